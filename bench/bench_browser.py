"""What a user feels, measured in Chromium: first open and slider moves on the Clusters page.

Runs ``streamlit run`` on a loopback port against a generated library
(``lib.demo.generator.generate_library(n)`` written once into ``bench/out/browser_<n>.duckdb``,
git-ignored) and drives Debian's Chromium through Playwright (the browser tests' launcher and
arguments; never ``playwright install``). The same library is opened by the naive app kept in
``bench/naive_app.py`` for comparison, and ``bench/floor_app.py`` (the Clusters page's kinds of
elements with no work behind them) shows what Streamlit and Chromium alone cost.

Measured, medians of 5:

- first open: a fresh server (started and healthy, not yet visited; its start is reported
  too), then the time from navigation start to the page settled, for ``/clusters?k=4`` and
  ``/`` (Home); once with nothing kept on disk (the library's snapshot folder removed, as
  right after an import) and once with what an earlier visit kept there
  (:mod:`lib.store.snapshot`); and the kept opens again in a browser that has opened
  labelscope before (its HTTP cache holds Streamlit's scripts, fonts and the lazily loaded
  element code, and Chromium has compiled them before: a returning visitor after a restart of
  the server), each fresh server at the same address;
- slider to a new k: focus the k slider, press → (k = 5 … 9, each new), keydown → settled;
- slider back to a seen k: press ← (k = 8 … 4, all seen);
- feature set change: pick another preset in "Feature set" (labelscope only);
- bytes the server sent over the websocket per interaction.

"Settled" is the moment of the last DOM change before the page is quiet: Streamlit's status widget
is gone, no element is marked stale, the charts have drawn, and nothing in the document changed
for 1.5 s (a MutationObserver stamps every change; the settle time is the last stamp, not when
the quiet period ended).

    python -m bench.bench_browser                        # 30k and 300k
    python -m bench.bench_browser --sizes 30000 --apps labelscope
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path
from statistics import median
from urllib.parse import parse_qs, urlsplit

from bench import common

from bench.common import OUT, ROOT  # noqa: E402  (also puts the repository on sys.path)
from lib.store.snapshot import snapshot_root  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
APPS = {"labelscope": ROOT / "serve.py", "naive": ROOT / "bench" / "naive_app.py",
        "floor": ROOT / "bench" / "floor_app.py"}
VIEWPORT = {"width": 1400, "height": 1000}
REPEAT = 5
QUIET_S = 1.5
TIMEOUT_S = 240

OBSERVER_JS = """
() => {
  if (window.__ls_observer) return;
  window.__ls_last = performance.now();
  window.__ls_observer = new MutationObserver(() => { window.__ls_last = performance.now(); });
  window.__ls_observer.observe(document, {subtree: true, childList: true, attributes: true,
                                          characterData: true});
}
"""
# ``needChart``: a Clusters page (every app's ``?k=`` page) is not drawn until its scatter is.
# Without it the naive app's 300k page "settled" at its title and slider, 890 bytes in, while
# its script was still clustering (the status widget is not always shown during a first run).
BUSY_JS = """
(needChart) => {
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  const stale = document.querySelector('[data-stale="true"]');
  const spinner = document.querySelector('[data-testid="stSpinner"]');
  const main = document.querySelector('[data-testid="stMain"] h1');
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  const undrawn = charts.some(c => !c.querySelector('canvas, svg'))
    || (needChart && charts.length === 0);
  return {busy: !!(running || stale || spinner || !main || undrawn),
          last: window.__ls_last, now: performance.now()};
}
"""


def floor_scatters(path: Path = OUT / "floor_scatters.json") -> Path:
    """Write the floor app's scatters (bench/floor_app.py): for k = 2 … 20, labelscope's scatter
    spec (``ui.cache.scatter_spec``'s template and Arrow datasets) of ``SCATTER_MAX_POINTS``
    random dots in k clusters."""
    import base64
    import json

    import numpy as np
    import pandas as pd

    from lib.clusters.charts import cluster_scatter, scatter_data
    from lib.clusters.kmeans import K_MAX, K_MIN, SCATTER_MAX_POINTS as N
    from ui.charts import arrow_datasets, chart_spec

    def frames(k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        rng = np.random.default_rng(k)
        names = [f"#{i + 1} Cluster {i + 1}" for i in range(k)]
        labels = rng.integers(0, k, N)
        centres = rng.normal(0, 2, (k, 2))
        xy = centres[labels] + rng.normal(0, 1, (N, 2))
        words = np.array([f"Word {i}" for i in range(500)], dtype=object)
        points = pd.DataFrame({
            "x": xy[:, 0].astype(np.float32), "y": xy[:, 1].astype(np.float32),
            "cluster": pd.Categorical(np.array(names, dtype=object)[labels], categories=names),
            "track": rng.choice(words, N) + " " + rng.choice(words, N),
            "artists": pd.Categorical(rng.choice(words, N)),
            "album": pd.Categorical(rng.choice(words, N)),
            "label": pd.Categorical(rng.choice(words[:60], N))})
        centroids = pd.DataFrame({"x": centres[:, 0], "y": centres[:, 1], "cluster": names,
                                  "size": np.bincount(labels, minlength=k)})
        return points, centroids

    template = chart_spec(cluster_scatter(*frames(4), axis_names=("Energetic", "Danceable"),
                                          axis_names_low=("Acoustic", "Slow"),
                                          explained=(0.4, 0.2)))
    specs = {k: {**template, "datasets": {
        name: base64.b64encode(data).decode() for name, data in
        (arrow_datasets(scatter_data(*frames(k))) or {}).items()}}
        for k in range(K_MIN, K_MAX + 1)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(specs), "utf-8")
    return path


def bench_db(n_tracks: int) -> Path:
    """The bench store for ``n_tracks`` (see :func:`bench.common.bench_db`)."""
    return common.bench_db(n_tracks, "browser")


def server(app: Path, db: Path, port: int | None = None):
    """A fresh ``streamlit run`` of ``app`` (labelscope: serve.py, as the README starts it) on a
    loopback port (``port``, or a free one), healthy and not yet visited (the browser tests'
    server, without the file watcher). Healthy means after serve.py's imports: they are part
    of starting the server."""
    from tests.e2e.conftest import start_streamlit
    return start_streamlit(db, app=app, log_path=OUT / f"streamlit_{app.stem}.log",
                           args=("--server.fileWatcherType", "none"), port=port)


class Tab:
    """One Chromium page with a byte counter on Streamlit's websocket: in a context of its own
    (``browser``: nothing cached), or in ``context`` (what it cached before)."""

    def __init__(self, browser, context=None) -> None:
        self.page = (context.new_page() if context is not None
                     else browser.new_page(viewport=VIEWPORT))
        self.received = 0
        self.page.on("websocket", self._on_socket)

    def _on_socket(self, ws) -> None:
        ws.on("framereceived", lambda payload: self._count(payload))

    def _count(self, payload) -> None:
        self.received += len(payload) if payload is not None else 0

    def settle(self, since: float) -> float:
        """Seconds from ``since`` (performance.now() ms) to the last DOM change of a quiet page
        (a Clusters page: with its chart drawn)."""
        need_chart = "k" in parse_qs(urlsplit(self.page.url).query)
        deadline = time.time() + TIMEOUT_S
        while time.time() < deadline:
            state = self.page.evaluate(BUSY_JS, need_chart)
            if not state["busy"] and state["now"] - state["last"] >= QUIET_S * 1000:
                return max(state["last"] - since, 0.0) / 1000
            time.sleep(0.05)
        raise TimeoutError("the page did not settle")

    def open(self, url: str) -> float:
        self.page.add_init_script(f"({OBSERVER_JS})()")
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.evaluate(OBSERVER_JS)
        return self.settle(0.0)  # performance.now() counts from navigation start

    def act(self, action) -> tuple[float, int]:
        self.page.evaluate(OBSERVER_JS)
        before = self.received
        since = self.page.evaluate("() => performance.now()")
        action()
        seconds = self.settle(since)
        return seconds, self.received - before


def _press(tab: Tab, key: str):
    thumb = tab.page.locator('[data-testid="stSlider"] input[type="range"]').first
    return lambda: thumb.press(key)


def _choose_preset(tab: Tab, title: str):
    def action() -> None:
        tab.page.get_by_role("combobox", name="Feature set").click()
        tab.page.get_by_role("option", name=title, exact=False).first.click()
    return action


def _first_open(app: str, db: Path, browser, path: str, *, kept: bool, context=None,
                port: int | None = None) -> tuple[float, float]:
    """A fresh server's first page load, and the server's start before it (launch to healthy:
    serve.py's imports and library loading); ``kept=False`` removes the library's snapshot and
    kept results first (lib.store.snapshot), as right after an import. ``context`` and
    ``port``: a returning browser's context and the address it visited before."""
    if not kept:
        shutil.rmtree(snapshot_root(db), ignore_errors=True)
    started = time.perf_counter()
    with server(APPS[app], db, port) as url:
        start = time.perf_counter() - started
        tab = Tab(browser, context)
        seconds = tab.open(url + path)
        tab.page.close()
    return seconds, start


def measure(app: str, db: Path, browser, repeat: int = REPEAT, *,
            opens: bool = True) -> dict[str, object]:
    out: dict[str, list] = {}
    if app == "floor":
        floor_scatters()
    path = "/clusters?k=4" if app == "labelscope" else "/?k=4"
    pages = {"open": path, "home": "/"} if app == "labelscope" else {"open": path}
    for _ in range(repeat if opens else 0):
        for key, page in pages.items():
            seconds, start = _first_open(app, db, browser, page, kept=False)
            out.setdefault(key + "_cold", []).append(seconds)
            out.setdefault("start_cold", []).append(start)
            if app == "labelscope":  # the naive app keeps nothing between processes
                seconds, start = _first_open(app, db, browser, page, kept=True)
                out.setdefault(key, []).append(seconds)
                out.setdefault("start", []).append(start)
    if opens and app != "naive":
        _returning_opens(app, db, browser, pages, repeat, out)
    if not opens:  # as after the opens: no clustering kept but k = 4's (the one opened)
        shutil.rmtree(snapshot_root(db), ignore_errors=True)
    with server(APPS[app], db) as url:
        tab = Tab(browser)
        tab.open(url + path)
        new = [tab.act(_press(tab, "ArrowRight")) for _ in range(repeat)]   # k = 5 … 9
        seen = [tab.act(_press(tab, "ArrowLeft")) for _ in range(repeat)]   # k = 8 … 4
        features = []
        if app == "labelscope":
            for title in ("Mood", "Original", "Metadata only", "Sound", "Mood")[:repeat]:
                features.append(tab.act(_choose_preset(tab, title)))
        tab.page.close()
    return {**out, "new": new, "seen": seen, "features": features}


def _returning_opens(app: str, db: Path, browser, pages: dict[str, str], repeat: int,
                     out: dict[str, list]) -> None:
    """The kept first opens again, in one browser context that visited a server at the same
    address before (Home and the page measured, once each, on a server of its own)."""
    from tests.e2e.conftest import _free_port
    port = _free_port()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        with server(APPS[app], db, port) as url:
            for page in pages.values():
                tab = Tab(browser, context)
                tab.open(url + page)
                tab.page.close()
        for _ in range(repeat):
            for key, page in pages.items():
                seconds, _ = _first_open(app, db, browser, page, kept=True, context=context,
                                         port=port)
                out.setdefault(key + "_returning", []).append(seconds)
    finally:
        context.close()


def _cell(values: list, with_bytes: bool = False) -> str:
    if not values:
        return "–"
    if with_bytes:
        secs = [v[0] for v in values]
        sent = median(v[1] for v in values)
        return f"{median(secs):.2f} s ({min(secs):.2f}–{max(secs):.2f}; {sent / 1e3:,.0f} KB)"
    return f"{median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 300_000])
    parser.add_argument("--apps", nargs="+", default=list(APPS), choices=list(APPS))
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--moves-only", action="store_true",
                        help="skip the first opens (a fresh server each): slider and preset only")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    results: dict[tuple[int, str], dict] = {}
    loads: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in args.sizes:
                db = bench_db(n)
                for app in args.apps:
                    print(f"{n:,} tracks, {app} … (load average {os.getloadavg()[0]:.1f})",
                          flush=True)
                    loads.append(os.getloadavg()[0])
                    results[n, app] = measure(app, db, browser, args.repeat,
                                              opens=not args.moves_only)
                    loads.append(os.getloadavg()[0])
        finally:
            browser.close()
    print()
    print(f"Chromium, keypress or navigation → page settled; median of {args.repeat} (min–max; "
          "median bytes received over the websocket).")
    rows = [("first open of /clusters?k=4, fresh server, nothing kept (just imported)",
             "open_cold", False),
            ("first open of /clusters?k=4, fresh server, kept from an earlier visit", "open", False),
            ("first open of Home /, fresh server, nothing kept", "home_cold", False),
            ("first open of Home /, fresh server, kept from an earlier visit", "home", False),
            ("first open of /clusters?k=4, fresh server, kept, browser that visited before",
             "open_returning", False),
            ("first open of Home /, fresh server, kept, browser that visited before",
             "home_returning", False),
            ("(before those: server start to healthy, nothing kept)", "start_cold", False),
            ("(before those: server start to healthy, kept)", "start", False),
            ("slider to a new k", "new", True),
            ("slider back to a k already seen", "seen", True),
            ("feature set change", "features", True)]
    for n in args.sizes:
        print(f"\n| {n:,} tracks | " + " | ".join(args.apps) + " |")
        print("|---|" + "---|" * len(args.apps))
        for title, key, with_bytes in rows:
            cells = [_cell(results[n, app].get(key, []), with_bytes) for app in args.apps]
            print(f"| {title} | " + " | ".join(cells) + " |")
    print(f"\nMachine load average (1 min) during the runs: {min(loads):.1f}–{max(loads):.1f} "
          f"on {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
