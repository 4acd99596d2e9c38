"""Compare page benchmark: two ~3k-track scopes compared, server-side.

A generated library of 36k tracks (``lib.demo.generator.generate_library``, written once into
``bench/out/compare_36000.duckdb``, git-ignored) has labels of about 3,000 tracks each. For pairs
of its biggest labels it times:

- ``lib``: :func:`lib.analysis.compare.compare_scopes` alone (cold: nothing cached but the
  library and its basis, which every page shares);
- ``miss``: a whole ``/compare?a=label:X&b=label:Y`` page run of a pair not seen before
  (AppTest; the library is loaded beforehand, outside the timing);
- ``hit``: the same page rerun (median of 5);
- the sound indexes of "Sounds like" (lib.analysis.similarity.sound_index, labels and artists),
  built once per library version, and one query.

Targets (issue 15): cold ≤ 1 s, cached ≤ 100 ms.

    python -m bench.bench_compare
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from statistics import median

from bench import common

from bench.common import ROOT  # noqa: E402  (also puts the repository on sys.path)

from lib.store.db import LOCAL_LIBRARY_ID, Store  # noqa: E402

N_TRACKS = 36_000
TARGET_COLD_S = 1.0
TARGET_HIT_S = 0.100


def bench_db(n_tracks: int = N_TRACKS) -> Path:
    """The bench store for ``n_tracks`` (see :func:`bench.common.bench_db`)."""
    return common.bench_db(n_tracks, "compare")


def _app(a: str, b: str):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.switch_page("app_pages/compare.py")
    at.query_params["a"] = a
    at.query_params["b"] = b
    return at


def _run(at) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


def main() -> None:
    path = bench_db()
    os.environ["LABELSCOPE_DB"] = str(path)
    from lib.analysis.compare import compare_scopes
    from lib.analysis.entities import library_basis
    from lib.store.library import load_library
    from lib.store.scopes import Scope

    store = Store(path)
    library = load_library(store, LOCAL_LIBRARY_ID)
    store.close()
    basis = library_basis(library)
    labels = library.labels.head(4)
    pairs = [(labels["label"].iloc[0], labels["label"].iloc[1]),
             (labels["label"].iloc[2], labels["label"].iloc[3]),
             (labels["label"].iloc[1], labels["label"].iloc[2])]
    sizes = dict(zip(labels["label"], labels["tracks"]))
    compare_scopes(library, Scope("label", pairs[0][0]), Scope("liked"), basis)  # imports
    lib_times = []
    for a, b in pairs:
        start = time.perf_counter()
        compare_scopes(library, Scope("label", a), Scope("label", b), basis)
        lib_times.append(time.perf_counter() - start)

    from lib.analysis.similarity import sound_index, sounds_like
    sound_times = {}
    for kind in ("label", "artist"):
        start = time.perf_counter()
        index = sound_index(library, kind)
        built = time.perf_counter() - start
        start = time.perf_counter()
        sounds_like(index, index.names[0])
        sound_times[kind] = (len(index.names), built, time.perf_counter() - start)

    import streamlit as st
    st.cache_resource.clear()
    _run(_app("library", "liked"))  # warm-up: library, basis, imports
    misses, hits = [], []
    for a, b in pairs:
        at = _app(f"label:{a}", f"label:{b}")
        misses.append(_run(at))
        hits.extend(_run(at) for _ in range(5))
    print(f"\n{N_TRACKS:,}-track library; pairs of labels (tracks):")
    for (a, b), t_lib, t_miss in zip(pairs, lib_times, misses):
        print(f"  {a} ({sizes[a]:,}) vs {b} ({sizes[b]:,}): lib {t_lib * 1000:.0f} ms, "
              f"page miss {t_miss * 1000:.0f} ms")
    print()
    print(f"{'measure':<34} | {'median':>9} | {'max':>9}")
    print("-" * 58)
    for name, values in (("compare_scopes, cold", lib_times),
                         ("page run, cache miss", misses), ("page run, cache hit", hits)):
        print(f"{name:<34} | {median(values) * 1000:>6.0f} ms | {max(values) * 1000:>6.0f} ms")
    for kind, (n, built, query) in sound_times.items():
        print(f"sound_index({kind}): {n:,} {kind}s indexed in {built * 1000:.0f} ms; one "
              f"sounds_like query {query * 1000:.1f} ms")
    ok = max(lib_times) <= TARGET_COLD_S and max(misses) <= TARGET_COLD_S and \
        median(hits) <= TARGET_HIT_S
    print(f"\nTargets: cold ≤ {TARGET_COLD_S:.0f} s, cached ≤ {TARGET_HIT_S * 1000:.0f} ms: "
          f"{'met' if ok else 'NOT met'} (wall clock; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores).")


if __name__ == "__main__":
    main()
