"""Spotify sync benchmark: labelscope's own cost per sync, against the local fake Web API.

The network is a local fake (tests/fakes/spotify.py), so the numbers show what labelscope adds on
top of Spotify's latency: parsing, caching each album/artist answer, building the frames and the
atomic write. Real syncs are bound by Spotify (about 100–300 ms a request, rate limits).

    python -m bench.bench_spotify_sync                 # 2,000 and 10,000 liked songs
    python -m bench.bench_spotify_sync --albums 100 500 2000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(n_albums: int, per_album: int = 10) -> dict[str, float]:
    from lib.spotify.config import SpotifyConfig
    from lib.spotify.sync import sync_library
    from lib.store.db import Store
    from tests.fakes.fixtures import make_client, signed_in
    from tests.fakes.spotify import CLIENT_ID, FakeSpotify

    with FakeSpotify(n_artists=max(14, n_albums // 3), n_albums=n_albums,
                     tracks_per_album=per_album) as fake, tempfile.TemporaryDirectory() as tmp:
        fake.users["alice"].liked = list(fake.tracks)
        fake.users["alice"].playlists = fake.users["alice"].playlists[:2]
        cfg = SpotifyConfig(client_id=CLIENT_ID, api_url=fake.api_url,
                            accounts_url=fake.accounts_url, timeout=10)
        client = make_client(cfg, signed_in(cfg, fake))
        store = Store(Path(tmp) / "bench.duckdb")
        start = time.perf_counter()
        first = sync_library(client, store)
        t_first = time.perf_counter() - start
        start = time.perf_counter()
        again = sync_library(client, store)
        t_again = time.perf_counter() - start
        store.close()
    return {"tracks": first.tracks, "requests": first.stats.requests, "first_s": t_first,
            "ms_per_request": 1000 * t_first / first.stats.requests,
            "rerun_requests": again.stats.requests, "rerun_s": t_again}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--albums", type=int, nargs="+", default=[200, 1000])
    args = parser.parse_args()
    print(f"{'tracks':>8} {'requests':>9} {'first sync s':>13} {'ms/request':>11} "
          f"{'re-run requests':>16} {'re-run s':>9}")
    for n in args.albums:
        r = run(n)
        print(f"{r['tracks']:>8,} {r['requests']:>9,} {r['first_s']:>13.2f} "
              f"{r['ms_per_request']:>11.1f} {r['rerun_requests']:>16,} {r['rerun_s']:>9.2f}")


if __name__ == "__main__":
    main()
