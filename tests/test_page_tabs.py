"""The URL names the library (``?library=<id>``); switching, resetting and removing libraries
change it at once; a library the session may not see is refused with a message."""

from __future__ import annotations

import pandas as pd

from lib.store.db import LibraryData
from ui.session import SESSION_KEY


def _imported(store, n: int = 1) -> None:
    tracks = pd.DataFrame({"track_id": [f"t{i}" for i in range(n)],
                           "name": [f"Song {i}" for i in range(n)]})
    store.replace_library("local", LibraryData({"tracks": tracks}), name="My imports", kind="local")


def _param(at, key: str):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def _tracks(at) -> str:
    return {m.label: m.value for m in at.metric}["Tracks"]


def test_the_url_names_the_library(app, store, demo_library):
    _imported(store)
    at = app("app_pages/home.py")
    assert _param(at, "library") == "local" and _tracks(at) == "1"  # written into the URL
    at = app("app_pages/home.py", library="demo")
    assert _tracks(at) == f"{len(demo_library.tracks):,}"
    assert at.session_state[SESSION_KEY] == "demo"


def test_the_picker_changes_the_url(app, store):
    _imported(store)
    at = app("app_pages/home.py")
    at.sidebar.selectbox[0].select("demo").run()
    assert _param(at, "library") == "demo" and _tracks(at) != "1"


def test_another_users_spotify_library_is_refused(app, store):
    store.replace_library("spotify:bob", LibraryData(), name="Bob's Spotify", kind="spotify")
    at = app("app_pages/home.py", library="spotify:bob")
    assert not at.exception
    assert at.title[0].value == "Library not available"
    assert "another account" in at.error[0].value
    assert not at.metric and not at.dataframe  # none of its data


def test_an_unknown_library_is_explained(app):
    at = app("app_pages/labels.py", library="nope", label="Anything")
    assert not at.exception
    assert "does not exist" in at.error[0].value and not at.dataframe


def test_reset_to_demo_switches_at_once(app, store):
    _imported(store)
    at = app("app_pages/data.py")
    assert _param(at, "library") == "local"
    [b for b in at.button if b.label == "Reset to demo library"][0].click().run()
    assert not at.exception
    assert _param(at, "library") == "demo" and at.session_state[SESSION_KEY] == "demo"
    active = at.dataframe[0].value.set_index("Id")["Active"]
    assert active["demo"] == "✅" and active["local"] == ""


def test_remove_this_library(app, store):
    _imported(store)
    at = app("app_pages/data.py")
    at.checkbox(key="_remove_library_ok").check().run()
    [b for b in at.button if b.label == "Remove this library"][0].click().run()
    assert not at.exception
    assert store.version("local") == -1
    assert _param(at, "library") == "demo"
    assert "local" not in set(at.dataframe[0].value["Id"])
