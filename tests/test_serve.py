"""serve.py: `streamlit run serve.py` starts the app (st.App with app.py as its script) and,
before the first visitor, imports every module the router and the pages import and loads the
library a first visitor sees."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# In a fresh interpreter: run serve.py's lifespan and report which modules it left imported and
# whether the first visitor's library and its tracks were in memory.
PROBE = """
import asyncio, gc, json, sys
sys.path.insert(0, {root!r})
import serve
async def start():
    async with serve.warm_up(serve.app):
        serve.warming.join()
asyncio.run(start())
from ui.cache import get_library
from ui.session import first_visit_library
sys.stderr.flush(); print("--- after the lifespan", file=sys.stderr, flush=True)
library = get_library(first_visit_library())
import streamlit.delta_generator as dg
print(json.dumps({{"modules": sorted(sys.modules), "library": library.library_id,
                  "tracks_loaded": "tracks" in library.__dict__,
                  "repl_checked": dg._use_warning_has_been_displayed,
                  "frozen": gc.get_freeze_count()}}))
"""


def _page_imports() -> set[str]:
    """Modules the router and the pages import at their top level (ours and third parties')."""
    names: set[str] = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return names - {"__future__"}


def _probe(db: Path, **env: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE.format(root=str(ROOT))], cwd=ROOT,
                         check=True, capture_output=True, text=True,
                         env={**os.environ, "LABELSCOPE_DB": str(db), **env})
    starting = out.stderr.split("--- after the lifespan")[0]
    assert "ScriptRunContext" not in starting  # no warnings in the server's log
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_server_imports_what_every_page_imports_before_the_first_visitor(tmp_path) -> None:
    from serve import app
    import streamlit as st
    assert isinstance(app, st.App)
    probe = _probe(tmp_path / "library.duckdb")
    loaded = set(probe["modules"])
    missing = _page_imports() - loaded
    assert not missing, f"imported by a page but not by serve.py before the first visitor: {missing}"
    # and what they import on first use: clustering and the cluster charts
    assert {"pandas", "altair", "duckdb", "sklearn.cluster", "lib.clusters.charts",
            "streamlit.emojis"} <= loaded
    # Streamlit's one-time REPL check is done, and what is alive is out of the collector's walks
    assert probe["repl_checked"] and probe["frozen"] > 10_000


def test_the_server_loads_the_library_a_first_visitor_sees(tmp_path) -> None:
    from lib.demo.generator import DEMO_LIBRARY_ID, generate_library
    from lib.store.db import LOCAL_LIBRARY_ID, Store

    db = tmp_path / "library.duckdb"
    warmed = _probe(db)  # a new store: only the demo
    assert warmed["library"] == DEMO_LIBRARY_ID and warmed["tracks_loaded"]

    Store(db).replace_library(LOCAL_LIBRARY_ID, generate_library(200, seed=3), name="Mine",
                              kind="local")  # imported from a file
    warmed = _probe(db)
    assert warmed["library"] == LOCAL_LIBRARY_ID and warmed["tracks_loaded"]
    hosted = _probe(db, LABELSCOPE_HOSTED="1")  # a hosted visitor never sees `local`
    assert hosted["library"] == DEMO_LIBRARY_ID and hosted["tracks_loaded"]


# A library the server built is kept as a snapshot on a background thread (lib.store.snapshot);
# here the write is slowed down, so the lifespan ends while it is under way.
PROBE_STOP = """
import asyncio, sys, time
sys.path.insert(0, {root!r})
import lib.store.snapshot as snapshot
write = snapshot.write_snapshot
def slow_write(*args, **kwargs):
    time.sleep(1.5)
    return write(*args, **kwargs)
snapshot.write_snapshot = slow_write
import serve
async def start():
    async with serve.warm_up(serve.app):
        serve.warming.join()
asyncio.run(start())
from lib.store.db import Store
store = Store({db!r})
print(snapshot.read_snapshot(store, store.library("demo")) is not None)
"""


def test_a_server_that_stops_finishes_the_snapshot_it_is_writing(tmp_path) -> None:
    db = tmp_path / "library.duckdb"  # a new store: the demo is built, then kept
    out = subprocess.run([sys.executable, "-c", PROBE_STOP.format(root=str(ROOT), db=str(db))],
                         cwd=ROOT, check=True, capture_output=True, text=True,
                         env={**os.environ, "LABELSCOPE_DB": str(db)})
    assert out.stdout.strip().splitlines()[-1] == "True"  # the next start reads, not rebuilds


# serve.py converts the first visitor's tracks once the server is quiet (serve.Activity): here a
# thread keeps noting activity, as a page being served would, then stops.
PROBE_BUSY = """
import json, sys, threading, time
sys.path.insert(0, {root!r})
import serve
stop = threading.Event()
def serving():
    while not stop.is_set():
        serve.Activity.last = time.monotonic()
        time.sleep(0.05)
threading.Thread(target=serving, daemon=True).start()
warming = threading.Thread(target=serve.warm_library)
warming.start()
from ui.cache import get_library
from ui.session import first_visit_library
library = get_library(first_visit_library())  # loaded at once, with the warm-up's thread
time.sleep(2 * serve.QUIET_S)
while_serving = "tracks" in library.__dict__
stop.set()
warming.join(timeout=60)
print(json.dumps({{"while_serving": while_serving, "after": "tracks" in library.__dict__}}))
"""


def test_the_tracks_wait_until_the_server_is_quiet(tmp_path) -> None:
    db = tmp_path / "library.duckdb"
    out = subprocess.run([sys.executable, "-c", PROBE_BUSY.format(root=str(ROOT))], cwd=ROOT,
                         check=True, capture_output=True, text=True,
                         env={**os.environ, "LABELSCOPE_DB": str(db)})
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"while_serving": False,
                                                               "after": True}


def test_every_request_and_websocket_message_is_noted_as_activity() -> None:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from serve import Activity

    async def streamlit(scope, receive, send) -> None:
        await receive()
        await send({"type": "websocket.send", "text": "delta"})

    async def receive():
        return {"type": "websocket.receive", "text": "rerun"}

    noted = []

    async def send(message) -> None:
        noted.append(Activity.last)

    async def call(scope_type: str) -> bool:
        Activity.last = before = 0.0
        await Activity(streamlit)({"type": scope_type}, receive, send)
        return Activity.last != before

    def run(scope_type: str) -> bool:
        # On a thread of its own: the browser tests' Playwright keeps an event loop running in
        # this one, and asyncio.run refuses to start another there.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, call(scope_type)).result()

    assert run("websocket") and noted[-1] > 0
    assert run("http")
    assert not run("lifespan")  # the server starting is not a visitor


def test_waiting_for_quiet_gives_up_after_its_bound() -> None:
    import threading
    import time

    from serve import Activity, wait_until_quiet

    def returns_within_5_s(at_most_s: float) -> bool:
        # On a thread: a wait that broke its bound fails the test instead of hanging it.
        waiting = threading.Thread(target=wait_until_quiet, args=(1.0, at_most_s), daemon=True)
        waiting.start()
        waiting.join(timeout=5)
        return not waiting.is_alive()

    Activity.last = time.monotonic() + 3600  # busy for the next hour
    assert returns_within_5_s(at_most_s=0.2)
    Activity.last = time.monotonic() - 10  # quiet for 10 s
    assert returns_within_5_s(at_most_s=60)
