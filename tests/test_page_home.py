"""Every page renders on the demo library, and the Home page shows the library's numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.store.db import LibraryData

PAGES = ["app_pages/home.py", "app_pages/labels.py", "app_pages/artists.py", "app_pages/playlists.py",
         "app_pages/genres.py", "app_pages/clusters.py", "app_pages/data.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app, page):
    at = app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "each page has a title"


def test_sidebar_shows_the_library_and_its_size(app, demo_library):
    at = app("app_pages/home.py")
    assert any(f"{len(demo_library.tracks):,} tracks" in c.value for c in at.sidebar.caption)


def test_home_shows_kpis_of_the_library(app, demo_library):
    at = app("app_pages/home.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tracks"] == f"{len(demo_library.tracks):,}"
    assert metrics["Artists"] == f"{len(demo_library.artists):,}"
    assert metrics["Labels"] == f"{len(demo_library.labels):,}"
    assert metrics["Liked"] == f"{demo_library.tracks['liked'].mean():.0%}"
    assert any("Demo library" in i.value for i in at.sidebar.info)
    tables = [df.value for df in at.dataframe]
    # The top labels and top artists tables show each name (selecting it opens its page).
    top_label = demo_library.labels["label"].iloc[0]
    top_artist = demo_library.artists["name"].iloc[0]
    assert any(top_label in set(t.get("Label", [])) for t in tables)
    assert any(top_artist in set(t.get("Artist", [])) for t in tables)


def test_home_on_an_empty_library_says_what_to_do(app, store):
    store.replace_library("local", LibraryData(), name="Imported", kind="local")
    at = app("app_pages/home.py")
    assert not at.exception
    assert any("no tracks" in w.value for w in at.warning)


def test_sidebar_switches_library(app, store):
    data = LibraryData({"tracks": pd.DataFrame({"track_id": ["a"], "name": ["Only song"]})})
    store.replace_library("local", data, name="My imports", kind="local")
    at = app("app_pages/home.py")
    # An imported library is shown by default; the picker can go back to the demo.
    assert {m.label: m.value for m in at.metric}["Tracks"] == "1"
    at.sidebar.selectbox[0].select("demo").run()
    assert {m.label: m.value for m in at.metric}["Tracks"] != "1"


def test_reset_to_demo_library_button(app, store):
    at = app("app_pages/data.py")
    [b for b in at.button if b.label == "Reset to demo library"][0].click().run()
    assert not at.exception
    assert store.version("demo") == 2


def test_data_page_shows_the_active_librarys_coverage(app, demo_library):
    at = app("app_pages/data.py")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["With labels"] == "100%"
    assert metrics["With audio features"] == f"{demo_library.tracks['has_features'].mean():.0%}"
    assert any("tracks without scores" in m.value for m in at.markdown)


def test_a_fresh_process_opens_home_and_clusters_from_what_was_kept(app) -> None:
    """A restarted server reads the library's snapshot and the results an earlier visit kept
    (lib.store.snapshot): neither Home nor a kept clustering converts the tracks frame, and
    Clusters never refits."""
    import streamlit as st

    from ui.cache import get_library

    from lib.store.snapshot import wait_for_snapshots

    first_home = app("app_pages/home.py")
    first_clusters = app("app_pages/clusters.py", k="3", show="Profiles")
    first_map = app("app_pages/clusters.py", k="3")
    wait_for_snapshots()  # written in the background by the first visit
    st.cache_resource.clear()  # a new process: nothing in memory, the kept files on disk
    at = app("app_pages/home.py")
    assert not at.exception, [e.value for e in at.exception]
    assert "tracks" not in get_library("demo").__dict__
    assert [m.value for m in at.metric] == [m.value for m in first_home.metric]

    import lib.clusters.kmeans as kmeans
    fitted = []
    original = kmeans._fit
    kmeans._fit = lambda *a, **k: fitted.append(1) or original(*a, **k)
    try:
        at = app("app_pages/clusters.py", k="3", show="Profiles")
        on_map = app("app_pages/clusters.py", k="3")
    finally:
        kmeans._fit = original
    assert not at.exception, [e.value for e in at.exception]
    assert not on_map.exception, [e.value for e in on_map.exception]
    assert not fitted  # the clustering came from disk
    assert "tracks" not in get_library("demo").__dict__  # nor the scope, matrix or sources
    assert [m.value for m in at.metric] == [m.value for m in first_clusters.metric]
    assert at.dataframe[0].value.equals(first_clusters.dataframe[0].value)
    # What the page says of the scope (size, tracks left out, feature sources) was kept too.
    for kept, first in [(at, first_clusters), (on_map, first_map)]:
        assert [c.value for c in kept.caption] == [c.value for c in first.caption]
        assert [i.value for i in kept.info] == [i.value for i in first.info]
