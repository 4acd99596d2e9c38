"""Run one import in a child process and report its peak memory, so a hostile file that fills
memory fails a test instead of the test run (and so the number is the import's alone).

    peak_rss_mb([path])  # {"peak_mb": 310.2, "outcome": "error: x.zip › …", "seconds": 1.4}

Peak RSS is the child's ``VmHWM`` (``ru_maxrss`` would count the forked parent's pages). The
child runs ``import_files`` only (nothing is written) under ``RLIMIT_AS`` (``limit_mb``, so a
runaway allocation ends as MemoryError in the child, never the machine) and a wall-clock timeout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_CHILD = r"""
import json, resource, sys, time
limit = int(sys.argv[1]) * 1024 * 1024
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

def peak_mb():
    # VmHWM belongs to this process's memory map; ru_maxrss would include the forked parent's.
    with open("/proc/self/status") as status:
        line = next(l for l in status if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024

from lib.importers import ImportFileError, import_files
baseline = peak_mb()
start = time.perf_counter()
try:
    result = import_files(sys.argv[2:])
    outcome = "ok: " + result.summary_line()
except ImportFileError as exc:
    outcome = "error: " + str(exc)
except MemoryError:
    outcome = "MemoryError"
print(json.dumps({"peak_mb": peak_mb(),
                  "baseline_mb": baseline, "outcome": outcome,
                  "seconds": time.perf_counter() - start}))
"""


def peak_rss_mb(paths: list[Path | str], *, limit_mb: int = 4096, timeout: float = 300) -> dict:
    """Import ``paths`` in a fresh interpreter; its peak RSS (MB), outcome line and seconds.

    Raises ``subprocess.TimeoutExpired`` past ``timeout`` and ``RuntimeError`` when the child
    crashed (its stderr in the message).
    """
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(limit_mb), *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"import child died ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
