"""Scale benchmark: generate, import (write), load and cluster one big library in one process, with
the process's peak resident memory after each step (issue 13: 1M tracks within 4 GB); then the
same open and clustering in a fresh process, as a restarted server does it.

    python -m bench.bench_scale                 # 1,000,000 tracks
    python -m bench.bench_scale --tracks 300000
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RSS_GB = 4.0


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2  # Linux: KiB


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    from lib.clusters.features import PRESETS
    from lib.clusters.kmeans import cluster_view
    from lib.clusters.features import build_matrix
    from lib.demo.generator import generate_library
    from lib.store.db import LOCAL_LIBRARY_ID, Store
    from lib.store.library import load_library

    rows = []

    def step(name: str, fn):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        rows.append((name, time.perf_counter() - wall, time.process_time() - cpu, _peak_gb()))
        print(f"  {name}: done", flush=True)
        return out

    with tempfile.TemporaryDirectory() as tmp:
        data = step("generate", lambda: generate_library(args.tracks))
        store = Store(Path(tmp) / "scale.duckdb")
        step("import (write, one transaction)",
             lambda: store.replace_library(LOCAL_LIBRARY_ID, data, name="Scale", kind="local"))
        del data
        library = step("open (load library frames)", lambda: load_library(store, LOCAL_LIBRARY_ID))
        matrix = step("feature matrix (Sound)",
                      lambda: build_matrix(library.tracks, PRESETS["sound"].features))
        step("cluster, k = 4, with the page's frames",
             lambda: cluster_view(library.tracks, matrix, 4))
        store.close()
        fresh = _fresh_process_open(Path(tmp) / "scale.duckdb")

    print(f"\n{args.tracks:,} tracks, one process (wall / CPU seconds; peak RSS so far):\n")
    print("| step | wall | CPU | peak RSS |\n|---|---|---|---|")
    for name, wall, cpu, peak in rows:
        print(f"| {name} | {wall:.1f} s | {cpu:.1f} s | {peak:.2f} GB |")
    print("\nA fresh process opening the same file (a restarted server; the frames come from "
          "the snapshot the open above kept, lib.store.snapshot):\n")
    print("| step | wall | CPU | peak RSS |\n|---|---|---|---|")
    for name, wall, cpu, peak in fresh:
        print(f"| {name} | {wall:.1f} s | {cpu:.1f} s | {peak:.2f} GB |")
    peak = max(rows[-1][3], fresh[-1][3])
    print(f"\nPeak RSS {peak:.2f} GB: {'within' if peak <= TARGET_RSS_GB else 'OVER'} the "
          f"{TARGET_RSS_GB:.0f} GB target (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores).")


FRESH = """
import json, sys, time
sys.path.insert(0, {root!r})
rows = []
def peak_gb():
    # VmHWM, not getrusage: Linux carries ru_maxrss over from the parent across fork and exec,
    # so a child would report the parent's peak.
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return kb / 1024 ** 2
def step(name, fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    rows.append((name, time.perf_counter() - wall, time.process_time() - cpu, peak_gb()))
    return out
from lib.store.db import LOCAL_LIBRARY_ID, Store
from lib.store.library import load_library
store = Store({db!r})
library = step("open (library from its snapshot)", lambda: load_library(store, LOCAL_LIBRARY_ID))
step("tracks frame (first use)", lambda: library.tracks)
from lib.clusters.features import PRESETS, build_matrix
from lib.clusters.kmeans import cluster_view
matrix = step("feature matrix (Sound)", lambda: build_matrix(library.tracks, PRESETS["sound"].features))
step("cluster, k = 4, with the page's frames (imports scikit-learn)",
     lambda: cluster_view(library.tracks, matrix, 4))
print(json.dumps(rows))
"""


def _fresh_process_open(db: Path) -> list[tuple[str, float, float, float]]:
    import json
    import subprocess
    out = subprocess.run([sys.executable, "-c", FRESH.format(root=str(ROOT), db=str(db))],
                         check=True, capture_output=True, text=True).stdout
    return [tuple(row) for row in json.loads(out.strip().splitlines()[-1])]


if __name__ == "__main__":
    main()
