"""Clusters page benchmark: server-side page runs measured with Streamlit's AppTest.

For generated libraries of 3k, 30k and 300k tracks (``lib.demo.generate_library(n)`` written once
into ``bench/out/clusters_<n>.duckdb``, git-ignored, as the "local" library the page opens), it
times whole page runs of ``/clusters`` (the default view: whole library, Sound preset, k = auto):

- cache miss, auto k: first run of a view (k curve + clustering + charts); the library itself is
  loaded and scikit-learn imported beforehand, outside the timing;
- cache miss, k = 8: the slider moved to a k not seen before (the k curve is not needed);
- cache hit: the same view rerun (median of 5), and the slider moved back to a k seen before;
- the bytes the scatter chart element sends (spec + Arrow data) and all chart elements together.

Targets (issue 3): hit ≤ 100 ms at 300k, miss ≤ 2 s at 300k, scatter payload ≤ 1.5 MB.

    python -m bench.bench_clusters                     # 3k, 30k, 300k
    python -m bench.bench_clusters --sizes 3000 30000  # quicker
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from lib.demo import generate_library  # noqa: E402
from lib.store import LOCAL_LIBRARY_ID, Store  # noqa: E402

TARGET_HIT_S = 0.100
TARGET_MISS_S = 2.0
TARGET_PAYLOAD = 1_500_000


def bench_db(n_tracks: int) -> Path:
    """The bench store for ``n_tracks`` (written once; reused while the generator is unchanged)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"clusters_{n_tracks}.duckdb"
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


def _app(**params: str):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.switch_page("pages/clusters.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at


def _run(at) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


def _chart_bytes(at) -> tuple[int, int]:
    charts = at.get("vega_lite_chart")
    sizes = [c.proto.ByteSize() for c in charts]
    return (sizes[0] if sizes else 0), sum(sizes)


def run(n_tracks: int) -> dict[str, float]:
    os.environ["LABELSCOPE_DB"] = str(bench_db(n_tracks))
    import streamlit as st
    st.cache_resource.clear()
    st.cache_data.clear()
    # Warm-up outside the timing: load the library, import scikit-learn, cluster once.
    _run(_app(k="3"))
    at = _app()
    miss_auto = _run(at)
    scatter, charts = _chart_bytes(at)
    sections = sum(1 for h in at.subheader if h.value.startswith("Cluster #"))
    hits = [_run(at) for _ in range(5)]
    at.slider(key="cl_k").set_value(8)
    miss_k = _run(at)
    at.slider(key="cl_k").set_value(3)
    back = _run(at)
    return {"tracks": n_tracks, "k": sections, "miss_auto": miss_auto, "miss_k8": miss_k,
            "hit": median(hits), "hit_back": back, "scatter": scatter, "charts": charts}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3_000, 30_000, 300_000])
    args = parser.parse_args(argv)
    rows = []
    for n in args.sizes:
        print(f"{n:,} tracks …", flush=True)
        rows.append(run(n))
    print()
    print(f"{'tracks':>8} | {'auto k':>6} | {'miss auto':>9} | {'miss k=8':>8} | "
          f"{'hit':>7} | {'hit k=3':>7} | {'scatter':>9} | {'all charts':>10}")
    print("-" * 87)
    for r in rows:
        print(f"{r['tracks']:>8,} | {r['k']:>6} | {r['miss_auto']:>8.2f}s | {r['miss_k8']:>7.2f}s | "
              f"{r['hit'] * 1000:>5.0f}ms | {r['hit_back'] * 1000:>5.0f}ms | "
              f"{r['scatter'] / 1e6:>7.2f}MB | {r['charts'] / 1e6:>8.2f}MB")
    big = max(rows, key=lambda r: r["tracks"])
    ok = (big["hit"] <= TARGET_HIT_S and max(big["miss_auto"], big["miss_k8"]) <= TARGET_MISS_S
          and all(r["scatter"] <= TARGET_PAYLOAD for r in rows))
    print(f"\nTargets at {big['tracks']:,} tracks: hit ≤ {TARGET_HIT_S * 1000:.0f} ms, "
          f"miss ≤ {TARGET_MISS_S:.0f} s; scatter ≤ {TARGET_PAYLOAD / 1e6:.1f} MB at every size: "
          f"{'met' if ok else 'NOT met'}.")


if __name__ == "__main__":
    main()
