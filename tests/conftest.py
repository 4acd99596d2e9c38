"""Shared fixtures: every test gets its own library file, copied from one demo store built once."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import os
import re
import sys

import pytest
from hypothesis import settings
from streamlit.testing.v1 import AppTest

from lib.demo.generator import ensure_demo
from lib.store.db import Store
from lib.store.library import load_library
from lib.store.snapshot import snapshot_root

ROOT = Path(__file__).resolve().parent.parent

# Property-based tests explore new random inputs on developers' machines; in CI they replay a
# fixed sequence, so a run's result depends only on the code (new finds surface locally).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file holding the demo library, written once per test session."""
    path = tmp_path_factory.mktemp("template") / "library.duckdb"
    store = Store(path)
    ensure_demo(store)
    load_library(store, "demo")  # and its snapshot (lib.store.snapshot), copied with the file
    store.close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, demo_db_template: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the demo store at ``$LABELSCOPE_DB`` for this test."""
    path = tmp_path / "library.duckdb"
    shutil.copy(demo_db_template, path)
    if snapshot_root(demo_db_template).exists():  # valid for the copy: same versions and times
        shutil.copytree(snapshot_root(demo_db_template), snapshot_root(path))
    monkeypatch.setenv("LABELSCOPE_DB", str(path))
    return path


@pytest.fixture
def store(db_path: Path) -> Store:
    """The test's store. Pages running in AppTest open the same file through ui.cache."""
    from ui.cache import get_store
    return get_store()


@pytest.fixture
def demo_library(store: Store):
    from ui.cache import get_library
    return get_library("demo")


@pytest.fixture
def app(db_path: Path) -> Callable[..., AppTest]:
    """``app("app_pages/labels.py", label="X")``: an AppTest of the whole app, switched to a page with
    the given query parameters, already run once."""

    def make(page: str = "app_pages/home.py", *, timeout: float = 60, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        for key, value in params.items():
            at.query_params[key] = value
        if page != "app_pages/home.py":
            # AppTest resolves st.navigation's url paths only after a first run. (Known AppTest
            # quirk: after switch_page the main script's sidebar elements are not in at.sidebar;
            # the browser tests check the sidebar on every page instead.)
            at.run()
            at.switch_page(page)
            for key, value in params.items():
                at.query_params[key] = value
        at.run()
        return at

    return make


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is a browser test (select with -m e2e, skip with -m "not e2e")."""
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)


def shown(markdown: str) -> str:
    """What a reader sees of Markdown written with ``streamlit_text``: backslash escapes resolved
    and the invisible word joiners removed (AppTest exposes an element's Markdown source)."""
    from lib.reports.markdown import WORD_JOINER
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


@pytest.fixture(autouse=True)
def _keep_main_module():
    """AppTest, like the Streamlit server, installs the page script as ``sys.modules["__main__"]``
    and leaves it there. A later test whose code starts "spawn" processes (the parallel export)
    would then have every child re-run that page script; restore pytest's own ``__main__``."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main
