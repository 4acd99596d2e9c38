"""Hostile-input benchmark: peak RSS and time of one import of each hostile file of
``tests/hostile`` (and, for scale, honest files of the same size), each in a fresh child process
(``tests.hostile.measure``).

    python -m bench.bench_hostile              # honest files of 50 MB
    python -m bench.bench_hostile --mb 150     # the sizes issue 11 measured with

Targets: a hostile file is refused or read within 1 GB of peak RSS; honest files cost about
7–9 times their size (the reason for the 1 GB cap on one import's uncompressed total).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import importers_samples as S  # noqa: E402
from tests.hostile import corpus as C  # noqa: E402
from tests.hostile.measure import peak_rss_mb  # noqa: E402


def _honest_history(mb: int) -> tuple[str, bytes]:
    rng = random.Random(1)
    plays, size = [], 0
    while size < mb * C.MB:
        play = C.play(ms_played=rng.randint(1_000, 300_000),
                      master_metadata_track_name=f"Song {rng.randint(0, 50_000)}",
                      ip_addr="192.0.2.1", conn_country="DE", platform="android")
        plays.append(play)
        size += len(json.dumps(play)) + 2
    return C.HISTORY, json.dumps(plays).encode()


def _honest_csv(mb: int) -> tuple[str, bytes]:
    rng = random.Random(1)
    header, *rows = S.exportify_current().splitlines()
    out, size, i = [header], 0, 0
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    while size < mb * C.MB:
        row = rows[i % 2].replace(S.T1 if i % 2 == 0 else S.T2,
                                  "".join(rng.choice(alphabet) for _ in range(22)), 1)
        out.append(row)
        size += len(row) + 1
        i += 1
    return "liked_songs.csv", ("\n".join(out) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50, help="size of the honest files (MB)")
    args = parser.parse_args()
    cases = {
        f"honest Exportify CSV, {args.mb} MB": lambda: _honest_csv(args.mb),
        f"honest extended history, {args.mb} MB": lambda: _honest_history(args.mb),
        "zip bomb: 1.5 MB zip of 2 × 150 MB": C.zip_bomb,
        "CSV with 1,000,003 columns (7 MB)": C.many_columns_csv,
        "CSV with one 100 MB line": lambda: C.giant_line_csv(100 * C.MB),
        "JSON nested 100,000 deep": C.deeply_nested_json,
        "zip of 4,000 tiny members": C.many_members,
        "zip of 2,000 empty playlists": lambda: C.many_members(2000),
    }
    print(f"{'file':42} {'peak RSS':>10} {'seconds':>8}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for label, build in cases.items():
            name, data = build()
            path = Path(tmp) / name
            path.write_bytes(data)
            run = peak_rss_mb([path], limit_mb=0, timeout=900)
            outcome = run["outcome"].replace(str(path), name)
            print(f"{label:42} {run['peak_mb']:>7,.0f} MB {run['seconds']:>8.2f}  {outcome[:90]}")
            path.unlink()


if __name__ == "__main__":
    main()
