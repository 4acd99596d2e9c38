"""Entity-page benchmark: label grouping and the data of the label/artist/playlist/genre pages.

For each library size it times (median of 3) building the label index with a few user edits, the
index tables, and :func:`lib.analysis.entities.build_entity_page` for the biggest label, a one-track label,
the biggest artist, playlist and genre — the work one page view does once the library and its
basis (:func:`lib.analysis.entities.library_basis`, cached per library version) are loaded.

    python -m bench.bench_entities                    # 3,400 and 30,000 tracks
    python -m bench.bench_entities --sizes 3400 30000 300000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_startup import _timed  # noqa: E402  (median of 3 runs)
from lib.analysis import entities  # noqa: E402
from lib.demo.generator import generate_library  # noqa: E402
from lib.labels import LabelEdit, build_label_index  # noqa: E402
from lib.store.library import load_library  # noqa: E402
from lib.store.db import Store  # noqa: E402


def run(n_tracks: int) -> list[tuple[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        store.replace_library("bench", generate_library(n_tracks), name="Bench", kind="demo")
        library = load_library(store, "bench")
        store.close()
    raw = library.tracks["label_raw"].dropna().value_counts().to_dict()
    keys = list(library.label_index.name_of_key)
    edits = [LabelEdit("merge", keys[-1], keys[0], edit_id=1),
             LabelEdit("rename", keys[1], name="Renamed", edit_id=2)]
    one = library.labels[library.labels["tracks"] == library.labels["tracks"].min()]["label"].iloc[0]
    basis = entities.library_basis(library)
    rows = [
        ("label index + 2 edits", _timed(lambda: build_label_index(raw, edits))),
        ("index tables (4 kinds)", _timed(lambda: [entities.index_table(library, k)
                                                  for k in entities.ENTITY_KINDS])),
        ("library basis (once per version)", _timed(lambda: entities.library_basis(library))),
    ]
    for kind, name in [("label", library.labels["label"].iloc[0]), ("label", one),
                       ("artist", library.artists["name"].iloc[0]),
                       ("playlist", library.playlists["name"].iloc[0]),
                       ("genre", library.genres["genre"].iloc[0])]:
        rows.append((f"{kind} page: {name[:28]}", _timed(
            lambda: entities.build_entity_page(library, kind, name, basis=basis))))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3400, 30000])
    args = parser.parse_args()
    print(f"{'tracks':>8}  {'step':<40} {'seconds':>8}")
    for n in args.sizes:
        for step, seconds in run(n):
            print(f"{n:>8,}  {step:<40} {seconds:>8.3f}")


if __name__ == "__main__":
    main()
