"""Import benchmark: a generated 100k-row Exportify CSV (target ≤ 10 s) and a 1M-play extended
streaming history (target ≤ 20 s), each read and written into a fresh store (Replace), plus a
merge of the history into the imported CSV library.

The inputs are generated once into ``bench/out/`` (git-ignored) and reused.

    python -m bench.bench_import                  # default sizes
    python -m bench.bench_import --rows 100000 --plays 1000000
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

HEADER = [
    "Track URI", "Track Name", "Artist URI(s)", "Artist Name(s)", "Album URI", "Album Name",
    "Album Artist URI(s)", "Album Artist Name(s)", "Album Release Date", "Album Image URL",
    "Disc Number", "Track Number", "Track Duration (ms)", "Track Preview URL", "Explicit",
    "Popularity", "ISRC", "Added By", "Added At", "Artist Genres", "Danceability", "Energy",
    "Key", "Loudness", "Mode", "Speechiness", "Acousticness", "Instrumentalness", "Liveness",
    "Valence", "Tempo", "Time Signature", "Album Genres", "Label", "Copyrights",
]
B62 = np.array(list("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
PLAYS_PER_FILE = 16_000  # a real ~12 MB Streaming_History_Audio file


def ids(rng: np.random.Generator, n: int) -> list[str]:
    return ["".join(row) for row in B62[rng.integers(0, 62, size=(n, 22))]]


def catalogue(n_tracks: int, seed: int = 7) -> dict[str, list]:
    rng = np.random.default_rng(seed)
    n_artists, n_albums = max(10, n_tracks // 7), max(10, n_tracks // 4)
    artist_ids, album_ids, track_ids = ids(rng, n_artists), ids(rng, n_albums), ids(rng, n_tracks)
    artist_names = [f"Artist {i}" + (", Jr." if i % 97 == 0 else "") for i in range(n_artists)]
    album_artist = rng.integers(0, n_artists, n_albums)
    track_album = rng.integers(0, n_albums, n_tracks)
    return {"artist_ids": artist_ids, "artist_names": artist_names, "album_ids": album_ids,
            "album_artist": album_artist, "track_ids": track_ids, "track_album": track_album,
            "feat": rng.integers(0, n_artists, n_tracks), "has_feat": rng.random(n_tracks) < 0.2,
            "features": rng.random((n_tracks, 9)), "year": rng.integers(1960, 2025, n_albums)}


def write_exportify(path: Path, n: int) -> None:
    c = catalogue(n)
    esc = [a.replace(",", "\\,") for a in c["artist_names"]]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow(HEADER)
        for i in range(n):
            al = c["track_album"][i]
            a = c["album_artist"][al]
            artists = [a] + ([c["feat"][i]] if c["has_feat"][i] else [])
            f = c["features"][i]
            w.writerow([
                f"spotify:track:{c['track_ids'][i]}", f"Track {i}",
                ",".join(f"spotify:artist:{c['artist_ids'][x]}" for x in artists),
                ",".join(esc[x] for x in artists), f"spotify:album:{c['album_ids'][al]}",
                f"Album {al}", f"spotify:artist:{c['artist_ids'][a]}", esc[a],
                f"{c['year'][al]}-0{1 + al % 9}-1{al % 10}",
                f"https://i.scdn.co/image/{c['album_ids'][al]}", 1, 1 + i % 12,
                120_000 + (i * 7919) % 240_000, "", "false", i % 100, f"USAAA{i:07d}",
                "spotify:user:bench", "2021-03-04T10:20:30Z", "pop,dance pop",
                *(f"{x:.3f}" for x in f[:2]), i % 12, f"{-20 + 18 * f[2]:.2f}", i % 2,
                *(f"{x:.3f}" for x in f[3:8]), f"{60 + 120 * f[8]:.1f}", 4, "",
                f"Label {al % 500}", f"2020 Label {al % 500}"])


def write_history(folder: Path, n_plays: int, n_tracks: int = 30_000) -> None:
    c = catalogue(n_tracks, seed=11)
    rng = np.random.default_rng(5)
    folder.mkdir(parents=True, exist_ok=True)
    pick = np.minimum(rng.zipf(1.3, n_plays), n_tracks) - 1
    ms = rng.integers(0, 320_000, n_plays)
    episode = rng.random(n_plays) < 0.03
    for f, start in enumerate(range(0, n_plays, PLAYS_PER_FILE)):
        items = []
        for i in range(start, min(n_plays, start + PLAYS_PER_FILE)):
            t = int(pick[i])
            ep = bool(episode[i])
            al = c["track_album"][t]
            items.append({
                "ts": "2023-01-02T03:04:05Z", "platform": "android", "ms_played": int(ms[i]),
                "conn_country": "DE", "ip_addr": "198.51.100.7",
                "master_metadata_track_name": None if ep else f"Track {t}",
                "master_metadata_album_artist_name":
                    None if ep else c["artist_names"][c["album_artist"][al]],
                "master_metadata_album_album_name": None if ep else f"Album {al}",
                "spotify_track_uri": None if ep else f"spotify:track:{c['track_ids'][t]}",
                "episode_name": "Episode" if ep else None,
                "episode_show_name": "Show" if ep else None,
                "spotify_episode_uri": "spotify:episode:5Ka2gKsHvVQUqaOaYRhwjT" if ep else None,
                "audiobook_title": None, "audiobook_uri": None, "audiobook_chapter_uri": None,
                "audiobook_chapter_title": None, "reason_start": "trackdone",
                "reason_end": "trackdone", "shuffle": False, "skipped": False, "offline": False,
                "offline_timestamp": None, "incognito_mode": False})
        (folder / f"Streaming_History_Audio_2023_{f}.json").write_text(json.dumps(items))


def ensure_inputs(rows: int, plays: int) -> tuple[Path, list[Path]]:
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / f"exportify_{rows}.csv"
    if not csv_path.exists():
        write_exportify(csv_path, rows)
    hist = OUT / f"history_{plays}"
    marker = hist / ".complete"
    if not marker.exists():
        write_history(hist, plays)
        marker.write_text("ok")
    return csv_path, sorted(hist.glob("Streaming_History_Audio_*.json"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--plays", type=int, default=1_000_000)
    args = parser.parse_args()

    from lib.importers import import_files, write_import
    from lib.store.db import Store

    t0 = time.perf_counter()
    csv_path, history = ensure_inputs(args.rows, args.plays)
    gen = time.perf_counter() - t0
    print(f"inputs in {OUT} ({gen:.1f} s to generate or find): {csv_path.name} "
          f"({csv_path.stat().st_size / 1e6:.0f} MB), {len(history)} history files "
          f"({sum(p.stat().st_size for p in history) / 1e6:.0f} MB)\n")

    rows: list[tuple[str, str, float, float, float | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        for label, size, inputs, target in (
                ("Exportify CSV → replace", f"{args.rows:,} rows", [csv_path], 10.0),
                ("streaming history → replace", f"{args.plays:,} plays", history, 20.0)):
            library = "bench-" + label.split()[0].lower()
            start = time.perf_counter()
            result = import_files(inputs)
            read = time.perf_counter() - start
            write_import(store, library, result, "replace")
            total = time.perf_counter() - start
            rows.append((label, size, read, total, target))
        start = time.perf_counter()
        result = import_files(history)
        write_import(store, "bench-exportify", result, "merge")
        rows.append(("history → merge into the CSV library", f"{args.plays:,} plays",
                     float("nan"), time.perf_counter() - start, None))
        store.close()

    print(f"{'import':<38} {'size':>15} {'read s':>8} {'total s':>8} {'target':>8}  ok")
    print(f"{'-' * 38} {'-' * 15} {'-' * 8} {'-' * 8} {'-' * 8}  --")
    for label, size, read, total, target in rows:
        ok = "" if target is None else ("yes" if total <= target else "NO")
        tgt = "" if target is None else f"≤ {target:.0f}"
        rd = "" if read != read else f"{read:.2f}"
        print(f"{label:<38} {size:>15} {rd:>8} {total:>8.2f} {tgt:>8}  {ok}")


if __name__ == "__main__":
    main()
