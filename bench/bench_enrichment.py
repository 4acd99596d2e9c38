"""MusicBrainz enrichment benchmark: requests and time at 1 request/second, by library size.

Against the local fake MusicBrainz (tests/fakes/catalogue.py: 2 tracks an album; 85 % of albums
found by barcode, 10 % only by ISRC, 5 % unknown; a few 503s with Retry-After). The clock is
simulated: every request waits its turn at 1 request/second as against the real service, so
"simulated time" is what a real run would take at least (plus MusicBrainz's own latency).
"1/album" estimates what one album per request costs (barcode search, then ISRC and release
look-ups for the albums the barcode does not find): the provider before batching, run against this
fake, made 624 requests for 1,000 tracks and 6,279 (105 minutes) for 10,000.

    python -m bench.bench_enrichment                 # 1,000 / 10,000 / 50,000 tracks
    python -m bench.bench_enrichment --tracks 2000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(n_tracks: int) -> dict[str, float]:
    from lib.enrichment import EnrichContext, enrich
    from lib.spotify.config import SpotifyConfig
    from lib.store.db import Store
    from lib.store.library import load_library
    from tests.fakes.catalogue import musicbrainz_for, synthetic
    from tests.fakes.server import Response

    data, plan = synthetic(n_tracks)
    os.environ.setdefault("LABELSCOPE_CONTACT", "bench@example.org")
    with musicbrainz_for(plan) as fake, tempfile.TemporaryDirectory() as tmp:
        fake.fail(r"/ws/2/release$", Response(503, {"error": "busy"}, {"Retry-After": "1"}),
                  times=3, after=5)
        store = Store(Path(tmp) / "bench.duckdb")
        store.replace_library("local:bench", data, name="Bench", kind="local")
        clock = [0.0]

        def sleep(seconds: float) -> None:
            clock[0] += seconds

        def now() -> float:
            return clock[0]
        config = SpotifyConfig(client_id=None, musicbrainz_url=fake.base_url, timeout=30)
        ctx = EnrichContext(store, "local:bench", config, sleep=sleep, clock=now)
        start = time.perf_counter()
        [result] = enrich(ctx, ["musicbrainz"])
        wall = time.perf_counter() - start
        tracks = load_library(store, "local:bench").tracks
        store.close()
    paths = fake.paths()
    findable = sum(1 for p in plan.values() if p["fate"] != "missing")
    # One album per request, as before batching: a barcode search each, then for albums the
    # barcode misses an ISRC look-up, and a release look-up when the ISRC is known.
    single = len(plan) + sum({"barcode": 0, "isrc": 2, "missing": 1}[p["fate"]]
                             for p in plan.values())
    return {"tracks": n_tracks, "albums": len(plan), "requests": result.requests,
            "label requests": sum(1 for p in paths if "/label/" not in p and "/artist/" not in p),
            "family requests": sum(1 for p in paths if "/label/" in p),
            "single": single, "sim_s": clock[0], "wall_s": wall,
            "coverage": float(tracks["label_raw"].notna().mean()),
            "reachable": findable / len(plan), "error": result.error or ""}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    args = parser.parse_args(argv)
    print(f"{'tracks':>8} {'albums':>7} {'requests':>9} {'labels':>7} {'families':>9} "
          f"{'1/album':>7} {'simulated':>10} {'wall':>7} {'coverage':>9} {'reachable':>9}")
    for n in args.tracks:
        r = run(n)
        print(f"{r['tracks']:>8,} {r['albums']:>7,} {r['requests']:>9,} "
              f"{r['label requests']:>7,} {r['family requests']:>9,} {r['single']:>7,} "
              f"{r['sim_s'] / 60:>8.1f} m {r['wall_s']:>6.1f}s {r['coverage']:>8.1%} "
              f"{r['reachable']:>8.1%} {r['error']}")
    print("requests: all MusicBrainz requests (labels + families + genres, 503 retries "
          "included); 1/album: one album per request (the provider before batching); "
          "simulated: at 1 request/second.")


if __name__ == "__main__":
    main()
