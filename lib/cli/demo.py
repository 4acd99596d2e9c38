"""``python -m lib demo``: (re)write the demo library; ``python -m lib info``: list libraries."""

from __future__ import annotations

import argparse

from lib.demo.generator import DEMO_SEED, DEFAULT_TRACKS, DEMO_LIBRARY_ID, DEMO_DESCRIPTION, generate_library
from lib.store.db import Store
from lib.store.library import load_library


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="write the demo library into the store")
    demo.add_argument("--tracks", type=int, default=DEFAULT_TRACKS,
                      help=f"library size (default {DEFAULT_TRACKS})")
    demo.add_argument("--seed", type=int, default=DEMO_SEED, help="generator seed")
    demo.add_argument("--library", default=DEMO_LIBRARY_ID,
                      help="library id to write (default: demo)")
    demo.set_defaults(func=_demo)
    info = sub.add_parser("info", help="list the libraries in the store")
    info.set_defaults(func=_info)


def _demo(args: argparse.Namespace) -> int:
    store = Store()
    data = generate_library(args.tracks, args.seed)
    default = args.tracks == DEFAULT_TRACKS and args.seed == DEMO_SEED
    version = store.replace_library(
        args.library, data, name="Demo library" if args.library == DEMO_LIBRARY_ID else args.library,
        kind="demo", description=DEMO_DESCRIPTION if default else f"Generated, {args.tracks} tracks")
    print(f"Wrote {data.count('tracks'):,} tracks, {data.count('artists'):,} artists, "
          f"{data.count('albums'):,} albums to '{args.library}' (version {version}) in {store.path}")
    load_library(store, args.library)  # keeps its snapshot now, so the dashboard opens it warm
    return 0


def _info(args: argparse.Namespace) -> int:
    store = Store()
    print(f"{store.path} (schema {store.schema_version()})")
    for info in store.libraries():
        counts = store.counts(info.library_id)
        print(f"  {info.library_id:<24} {info.name:<24} v{info.version:<4} "
              f"{counts['tracks']:>8,} tracks  {counts['playlists']:>5,} playlists")
    return 0
