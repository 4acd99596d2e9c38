"""Browser tests: a real `streamlit run serve.py` on 127.0.0.1 driven by Debian's Chromium through
the Python playwright package (never `playwright install`: it cannot download here)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def start_streamlit(db: Path, *, log_name: str = "streamlit.log",
                    env: dict[str, str] | None = None, app: Path = ROOT / "serve.py",
                    log_path: Path | None = None, args: tuple[str, ...] = (),
                    port: int | None = None) -> Iterator[str]:
    """Run `streamlit run serve.py` (or another ``app``) on a free loopback port with the given
    library file, extra environment variables and server ``args``; yields its base URL once
    healthy. The log goes to ``log_path`` (default: ``log_name`` beside the library file).
    ``port``: a given one instead (a browser's cache is per origin: the benchmark's returning
    visitor meets each new server at the same address)."""
    port = port or _free_port()
    env = {**os.environ, "LABELSCOPE_DB": str(db), **(env or {})}
    log_path = log_path or db.parent / log_name
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false", *args],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log_path}")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory,
                     demo_db_template: Path) -> Iterator[str]:
    """Base URL of a running dashboard on its own copy of the demo store."""
    db = tmp_path_factory.mktemp("e2e") / "library.duckdb"
    shutil.copy(demo_db_template, db)
    with start_streamlit(db) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the script run finished and its elements are drawn.

    Finished: Streamlit's own test hook on stApp says ``notRunning`` (its status widget shows
    only after a delay, so a run's first element can be on screen while the rest is on its way).
    Drawn: a heading, and no skeleton (Streamlit loads each element type's code on first use
    and draws a skeleton meanwhile: a fresh browser can see a finished run whose page links are
    still skeletons)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stApp']\")"
        ".getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector(\"[data-testid='stStatusWidget']\")"
        " && document.querySelector(\"[data-testid='stMainBlockContainer'] h1\")"
        " && !document.querySelector(\"[data-testid='stSkeleton']\")",
        timeout=timeout)
    page.wait_for_timeout(300)
