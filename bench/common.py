"""What the benchmarks share: a generated library written once per size, and a fresh server."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def bench_db(n_tracks: int, name: str) -> Path:
    """``bench/out/{name}_{n_tracks}.duckdb`` holding ``n_tracks`` generated tracks as the local
    library (written once; rewritten when missing or written by another bench description)."""
    from lib.demo.generator import generate_library
    from lib.store.db import LOCAL_LIBRARY_ID, Store

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}_{n_tracks}.duckdb"
    description = f"bench {n_tracks}"
    store = Store(path)
    try:
        info = store.library(LOCAL_LIBRARY_ID)
        if info is None or info.description != description:
            print(f"  writing {n_tracks:,} generated tracks to {path.relative_to(ROOT)} …",
                  flush=True)
            store.replace_library(LOCAL_LIBRARY_ID, generate_library(n_tracks),
                                  name=f"Bench {n_tracks:,}", kind="local",
                                  description=description)
    finally:
        store.close()
    return path
