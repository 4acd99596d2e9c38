"""Serve the dashboard: ``streamlit run serve.py`` (the router is app.py).

Before the server takes its first visitor it imports what the router and the pages import, and
what they import on first use (scikit-learn, Altair's chart code): about a second that the first
visitor of a fresh server would otherwise wait for (measured in Chromium, bench/bench_browser.py:
/clusters from 3.7 s to 2.7 s at 30k tracks). Once it takes visitors, a background thread opens
the store and loads the library a first visitor sees (from the snapshot: 0.5 s at 300k tracks;
built when it has none, ~20 s at 1M). Not before: a server would refuse connections meanwhile,
where a visitor arriving during the load waits for it with the page's spinner (the cache
computes each library once). Its tracks frame is converted next (0.2 s at 30k, ~1 s at 300k),
once the server has been quiet for a moment: Home and a kept clustering do not need it, and
converting it while a first visitor's page was being served and drawn made that page 0.3–0.6 s
slower at 300k (bench_browser). A page that needs the tracks sooner converts them itself. Then
what is alive is frozen out of the garbage collector's walks (ui.heap). When the server stops,
it finishes writing the snapshots it was writing. ``streamlit run app.py`` works too, without
any of that.
"""

import ast
import importlib
import logging
import threading
import time
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

ROOT = Path(__file__).resolve().parent
# Imported inside functions, on first use: not found in the pages' import statements.
ON_FIRST_USE = ("sklearn.cluster", "sklearn.decomposition", "sklearn.metrics",
                "streamlit.elements.vega_charts", "streamlit.emojis",
                "streamlit.material_icon_names",
                "lib.clusters.charts", "lib.reports.clusters")
# The tracks wait for this long without a request or websocket message (longer than the pauses
# while Chromium opens a page: at most ~0.4 s at 300k tracks), and at most QUIET_AT_MOST_S.
QUIET_S = 1.0
QUIET_AT_MOST_S = 30.0
SNAPSHOT_WAIT_S = 30  # at most, for the snapshots being written when the server stops


def page_imports() -> list[str]:
    """The modules app.py and app_pages/*.py import at their top level."""
    names: dict[str, None] = {}
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names[node.module] = None
    names.pop("__future__", None)
    return list(names)


@contextmanager
def no_script_run_warning():
    """Silence Streamlit's "missing ScriptRunContext" warning: expected from Streamlit calls made
    outside a script run, as here, and only noise."""
    context_log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = context_log.level
    context_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        context_log.setLevel(level)


class Activity:
    """ASGI middleware noting when the server last received or sent anything (a request, a
    websocket message), so background work can wait for a quiet moment."""

    last = time.monotonic()

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)

        async def receive_noted():
            message = await receive()
            Activity.last = time.monotonic()
            return message

        async def send_noted(message) -> None:
            Activity.last = time.monotonic()
            await send(message)

        Activity.last = time.monotonic()
        await self.app(scope, receive_noted, send_noted)


def wait_until_quiet(quiet_s: float, at_most_s: float) -> None:
    """Return once nothing was received or sent for ``quiet_s`` seconds, or after
    ``at_most_s``."""
    give_up = time.monotonic() + at_most_s
    while (now := time.monotonic()) < give_up:
        idle = now - Activity.last
        if idle >= quiet_s:
            return
        time.sleep(min(quiet_s - idle, give_up - now))


def warm_library() -> None:
    """Open the store and load the library a new visitor sees (ui.session) into the caches the
    pages use; its tracks once the server is quiet."""
    from ui.cache import get_library
    from ui.heap import FREEZE_FROM_TRACKS, freeze_long_lived
    from ui.session import first_visit_library
    try:
        with no_script_run_warning():  # the cache's "Loading library…" spinner has no page here
            library = get_library(first_visit_library())
            wait_until_quiet(QUIET_S, QUIET_AT_MOST_S)
            library.tracks
        if library.track_count < FREEZE_FROM_TRACKS:  # a larger one froze as it read its tracks
            freeze_long_lived()  # the imports and the library, out of the collector's walks
    except Exception as exc:  # noqa: BLE001 - a head start only: the first page tries again
        logging.getLogger(__name__).warning("Library not loaded before the first visitor: %s",
                                            exc)


@asynccontextmanager
async def warm_up(app):
    global warming
    for name in [*page_imports(), *ON_FIRST_USE]:
        importlib.import_module(name)
    # Streamlit checks once per process, at the first element drawn, whether it runs in a REPL:
    # inspect.stack() with the source of every frame, 160–280 ms on a script run's deep stack
    # (py-spy of a first open), a few ms here. Outside a script run nothing is drawn.
    with no_script_run_warning():
        st.empty()
    warming = threading.Thread(target=warm_library, name="labelscope-warm-up", daemon=True)
    warming.start()
    yield
    # A library this server built is kept as a snapshot on a background thread (seconds at 1M
    # tracks); stopped meanwhile, the server would lose it and its next start would build the
    # library again (25 s at 1M, bench_browser). Not the build itself: that is not waited for.
    from lib.store.snapshot import wait_for_snapshots
    wait_for_snapshots(timeout=SNAPSHOT_WAIT_S)


warming: threading.Thread | None = None  # the library load warm_up started (tests join it)


app = st.App("app.py", lifespan=warm_up, middleware=[Middleware(Activity)])
