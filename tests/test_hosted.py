"""Hosted mode (LABELSCOPE_HOSTED=1): files imported in a browser session belong to it; nobody
else can see, open or replace them; the demo is read-only. Two AppTests are two sessions."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.store.db import LibraryData
from ui.session import SESSION_KEY


@pytest.fixture
def hosted(monkeypatch):
    monkeypatch.setenv("LABELSCOPE_HOSTED", "1")


def _own(at) -> str:
    return at.session_state["_own_library_id"]


def _import(store, library_id: str, n: int) -> None:
    """What the Data page's import writes for the session (ui.data_import.import_target)."""
    tracks = pd.DataFrame({"track_id": [f"t{i}" for i in range(n)],
                           "name": [f"Private song {i}" for i in range(n)]})
    store.replace_library(library_id, LibraryData({"tracks": tracks}), name="Imported files",
                          kind="import")


def _ids(at) -> set[str]:
    return set(at.dataframe[0].value["Id"])


def test_b_never_sees_as_import(hosted, app, store):
    a = app("app_pages/data.py")
    b = app("app_pages/data.py")
    assert _own(a) != _own(b) and _own(a).startswith("session:")
    _import(store, _own(a), 3)
    a.run()
    assert _own(a) in _ids(a)
    a.switch_page("app_pages/home.py")
    a.query_params["library"] = _own(a)
    a.run()
    assert {m.label: m.value for m in a.metric}["Tracks"] == "3"  # A opens its own import
    b.run()
    assert _ids(b) == {"demo"}  # B's list holds neither A's library nor the local one
    b.switch_page("app_pages/home.py").run()
    assert b.session_state[SESSION_KEY] == "demo"
    # A's URL, copied into B's session, shows a message and none of the data.
    b.query_params["library"] = _own(a)
    b.run()
    assert not b.exception and "belongs to another visitor" in b.error[0].value
    assert not b.metric and not b.dataframe


def test_the_local_library_is_not_shared_when_hosted(hosted, app, store):
    _import(store, "local", 2)
    at = app("app_pages/data.py")
    assert "local" not in _ids(at)


def test_the_demo_is_read_only_when_hosted(hosted, app, demo_library):
    at = app("app_pages/data.py")
    assert "Reset to demo library" not in [b.label for b in at.button]
    name = demo_library.labels["label"].iloc[0]
    at = app("app_pages/labels.py", label=name)
    assert not at.exception and not [e for e in at.expander if e.label == "Edit aliases"]


def test_single_user_mode_is_unchanged(app, store):
    _import(store, "local", 2)
    at = app("app_pages/data.py")
    assert {"demo", "local"} <= _ids(at)
    assert "Reset to demo library" in [b.label for b in at.button]
