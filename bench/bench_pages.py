"""Page reruns benchmark: the server's script run of the library pages, measured with AppTest.

For generated libraries (the browser benchmark's ``bench/out/browser_<n>.duckdb``) it runs each
page once (the library and its kept results loaded, the caches filled) and then times 5 reruns:
what a user waits for on the server each time a page is drawn again (a widget, a tab, coming
back to it). The browser's part is measured by ``bench.bench_browser``.

    python -m bench.bench_pages                       # 30k and 300k tracks
    python -m bench.bench_pages --sizes 30000
"""

from __future__ import annotations

import argparse
import os
import time
from statistics import median

from bench import common
from bench.common import ROOT

RERUNS = 5


def _pages(labels: list[str]) -> list[tuple[str, str, dict[str, str]]]:
    return [("Home", "app_pages/home.py", {}),
            ("Labels index", "app_pages/labels.py", {}),
            ("Label page (biggest label)", "app_pages/labels.py", {"label": labels[0]}),
            ("Clusters (k = 4)", "app_pages/clusters.py", {"k": "4"})]


def run(n_tracks: int) -> list[tuple[str, float, float]]:
    """(page, first run s, median rerun s) per page, on a library of ``n_tracks``."""
    from streamlit.testing.v1 import AppTest

    from lib.store.db import LOCAL_LIBRARY_ID, Store
    from lib.store.library import load_library

    db = common.bench_db(n_tracks, "browser")
    os.environ["LABELSCOPE_DB"] = str(db)
    store = Store(db)
    try:
        labels = load_library(store, LOCAL_LIBRARY_ID).labels["label"].tolist()
    finally:
        store.close()
    rows = []
    for title, page, params in _pages(labels):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()
        at.switch_page(page)
        for key, value in params.items():
            at.query_params[key] = value
        times = []
        for _ in range(1 + RERUNS):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
            if at.exception:
                raise SystemExit(f"{title}: {at.exception[0].value}")
        rows.append((title, times[0], median(times[1:])))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 300_000])
    args = parser.parse_args(argv)
    results = {n: run(n) for n in args.sizes}
    print(f"\nAppTest page runs: the first (caches filled beforehand by another page's run) and "
          f"the median of {RERUNS} reruns.")
    print("\n| page | " + " | ".join(f"{n:,}: first / rerun" for n in args.sizes) + " |")
    print("|---|" + "---|" * len(args.sizes))
    for i, (title, _, _) in enumerate(results[args.sizes[0]]):
        cells = [f"{results[n][i][1] * 1000:,.0f} / {results[n][i][2] * 1000:,.0f} ms"
                 for n in args.sizes]
        print(f"| {title} | " + " | ".join(cells) + " |")
    print(f"\nLoad average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
