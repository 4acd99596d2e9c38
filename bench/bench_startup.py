"""Start-up benchmark: demo generation, store write/load, and cold start of the dashboard.

Cold start is measured from process start to the first page rendered by AppTest, in a fresh
Python process, once on a new library file (the demo is generated and written on the way) and once
on a file that already holds it.

    python -m bench.bench_startup            # default sizes
    python -m bench.bench_startup --sizes 3400 30000 300000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD_START = """
import time, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=120)
at.run()
assert not at.exception, at.exception
print(time.time())
"""


def _timed(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def cold_start(db: Path) -> float:
    env = {**os.environ, "LABELSCOPE_DB": str(db)}
    start = time.time()
    out = subprocess.run([sys.executable, "-c", COLD_START.format(app=str(ROOT / "app.py"))],
                         env=env, capture_output=True, text=True, cwd=ROOT, check=True)
    return float(out.stdout.strip().splitlines()[-1]) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3400, 30000])
    args = parser.parse_args()

    from lib.demo.generator import generate_library
    from lib.store.library import load_library
    from lib.store.db import Store

    rows: list[tuple[str, str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            repeat = 3 if n <= 30000 else 1
            data = generate_library(n)
            rows.append(("generate demo library", f"{n:,} tracks",
                          _timed(lambda: generate_library(n), repeat)))
            store = Store(Path(tmp) / f"s{n}.duckdb")
            rows.append(("write library (one transaction)", f"{n:,} tracks",
                         _timed(lambda: store.replace_library("demo", data, name="Demo",
                                                              kind="demo"), repeat)))
            rows.append(("load library frames", f"{n:,} tracks",
                         _timed(lambda: load_library(store, "demo"), repeat)))
            store.close()
        fresh = [cold_start(Path(tmp) / f"fresh{i}.duckdb") for i in range(3)]
        rows.append(("cold start, new library file", "demo (3,400)", median(fresh)))
        warm_db = Path(tmp) / "fresh0.duckdb"
        warm = [cold_start(warm_db) for _ in range(3)]
        rows.append(("cold start, existing library file", "demo (3,400)", median(warm)))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'size':>14}  {'median s':>9}")
    print(f"{'-' * width}  {'-' * 14}  {'-' * 9}")
    for name, size, seconds in rows:
        print(f"{name:<{width}}  {size:>14}  {seconds:>9.3f}")


if __name__ == "__main__":
    main()
