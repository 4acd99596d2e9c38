"""AppTest of the label, artist, playlist and genre pages (index and detail views)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from lib.labels import load_label_edits
from lib.store.library import Library, load_library
from lib.store.db import Store
from lib.analysis.display import TRACK_COLUMNS

PAGES = {"label": "app_pages/labels.py", "artist": "app_pages/artists.py",
         "playlist": "app_pages/playlists.py", "genre": "app_pages/genres.py"}


def _frames(at) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def _frame_with(at, *columns: str) -> pd.DataFrame:
    found = [f for f in _frames(at) if all(c in f.columns for c in columns)]
    assert found, f"no table with columns {columns}: {[list(f.columns) for f in _frames(at)]}"
    return found[0]


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + \
        [h.value for h in at.subheader] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def _param(at, key: str) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def _check_common(at, tracks: int) -> None:
    assert not at.exception, [e.value for e in at.exception]
    # Album-art tables of artists carry images (data URIs in the demo) and plain names (a
    # selected name opens its page in the same tab).
    artists = _frame_with(at, "Art", "Artist", "Tracks", "💚")
    assert artists["Art"].str.startswith("data:image/").all()
    assert artists["Artist"].notna().all() and not artists["Artist"].str.startswith("/").any()
    # The tracks table: the original's columns, one row per track.
    tracks_table = [f for f in _frames(at) if list(f.columns) == TRACK_COLUMNS]
    assert tracks_table and len(tracks_table[-1]) == min(tracks, 2000)
    # The feature section: its heading and the "10 most / 10 least" tables.
    text = _texts(at)
    assert "Sound" in [s.value for s in at.subheader]
    assert "most Danceable tracks" in text and "least Danceable tracks" in text
    assert any("Danceability" in f.columns for f in _frames(at))


def test_largest_label_page(app, demo_library: Library) -> None:
    name = demo_library.labels["label"].iloc[0]
    n = int(demo_library.labels["tracks"].iloc[0])
    at = app(PAGES["label"], label=name)
    _check_common(at, n)
    assert name in at.title[0].value
    assert f"{n:,} songs" in _texts(at)
    aliases = _frame_with(at, "Appears as", "Tracks")
    expected = demo_library.label_index.aliases[name]
    assert dict(zip(aliases["Appears as"], aliases["Tracks"])) == dict(expected)
    assert aliases["Tracks"].sum() == n
    albums = _frame_with(at, "Album", "Release date")
    assert albums["Art"].str.startswith("data:image/").all()
    assert any(e.label == "Edit aliases" for e in at.expander)


@pytest.mark.parametrize("kind", ["artist", "playlist", "genre"])
def test_largest_artist_playlist_genre_pages(app, demo_library: Library, kind: str) -> None:
    table = {"artist": demo_library.artists, "playlist": demo_library.playlists,
             "genre": demo_library.genres}[kind]
    column = "genre" if kind == "genre" else "name"
    name = table[column].iloc[0]
    at = app(PAGES[kind], **{kind: name})
    from lib.store.scopes import Scope, scope_tracks
    n = len(scope_tracks(demo_library, Scope(kind, name)))
    _check_common(at, n)
    assert name in at.title[0].value
    if kind == "artist":
        related = _frame_with(at, "Shared labels", "Shared genres")
        assert len(related) > 0
        assert _frame_with(at, "Label", "Tracks")["Label"].notna().all()


def test_one_track_label_renders(app, demo_library: Library) -> None:
    one = demo_library.labels[demo_library.labels["tracks"] == 1]["label"].iloc[0]
    at = app(PAGES["label"], label=one)
    assert not at.exception
    assert one in at.title[0].value and "1 song" in _texts(at)
    assert len(_frame_with(at, "Appears as", "Tracks")) >= 1


def test_unknown_label_is_not_found_with_a_search_box(app, demo_library: Library) -> None:
    at = app(PAGES["label"], label="Meridain Recrods")
    assert not at.exception
    assert "not found" in at.title[0].value
    assert any("no label called" in w.value for w in at.warning)
    box = at.text_input(key="not_found_search")
    assert box.value == "Meridain Recrods"
    box.set_value("Halcyon").run()
    assert not at.exception


def test_names_from_data_are_escaped(app, demo_library: Library) -> None:
    at = app(PAGES["label"], label="**bold** <b>x</b> [y](javascript:z)")
    assert not at.exception
    warning = at.warning[0].value
    assert "\\*\\*bold\\*\\*" in warning and "\\<b\\>" in warning and "\\[y\\]\\(" in warning


def test_label_index_search_and_canonical_names(app, demo_library: Library) -> None:
    at = app(PAGES["label"])
    assert not at.exception
    table = _frame_with(at, "Label", "Tracks", "Top artist", "First release")
    assert len(table) == len(demo_library.labels)
    at = app(PAGES["label"], q="records")
    table = _frame_with(at, "Label", "Tracks")
    assert 0 < len(table) < len(demo_library.labels)
    # A label written another way (case, raw alias) opens its page under the canonical name.
    name = demo_library.labels["label"].iloc[0]
    at = app(PAGES["label"], label=name.upper())
    assert not at.exception
    assert _param(at, "label") == name and name in at.title[0].value


@pytest.mark.parametrize("kind", ["artist", "playlist", "genre"])
def test_other_index_pages(app, kind: str) -> None:
    at = app(PAGES[kind])
    assert not at.exception
    assert len(_frames(at)) == 1 and len(_frames(at)[0]) > 0


def _labels(store: Store) -> pd.DataFrame:
    return load_library(store, "demo").labels


def test_alias_edits_survive_a_restart_and_undo_cleanly(app, db_path: Path,
                                                         demo_library: Library) -> None:
    name = demo_library.labels["label"].iloc[0]
    key = demo_library.label_index.key_of_name[name]
    other = demo_library.labels[demo_library.labels["tracks"] == 1]["label"].iloc[0]
    before = demo_library.labels.copy()

    at = app(PAGES["label"], label=name)
    at.selectbox(key=f"le_other_{key}").set_value(other).run()
    at.button(key=f"le_merge_{key}").click().run()
    assert not at.exception
    assert any("Merged" in s.value for s in at.success)
    raw_of_other = set(demo_library.label_index.aliases[other])
    assert raw_of_other <= set(_frame_with(at, "Appears as")["Appears as"])

    # Restart: a new process has empty caches and opens the file anew.
    st.cache_resource.clear()
    fresh = Store(db_path)
    edits = load_label_edits(fresh, "demo")
    assert [(e.action, e.source_name, e.target_name) for e in edits] == [("merge", other, name)]
    merged = _labels(fresh).set_index("label")
    assert other not in merged.index
    assert merged.at[name, "tracks"] == before.set_index("label").at[name, "tracks"] + 1
    at = app(PAGES["label"], label=name)
    assert not at.exception
    assert raw_of_other <= set(_frame_with(at, "Appears as")["Appears as"])

    # Undo from the History tab.
    at.button(key=f"le_undo_{edits[0].edit_id}").click().run()
    assert not at.exception
    assert any("Undone" in s.value for s in at.success)
    assert not raw_of_other & set(_frame_with(at, "Appears as")["Appears as"])
    assert load_label_edits(fresh, "demo") == []
    pd.testing.assert_frame_equal(_labels(fresh), before)
    fresh.close()


def test_rename_follows_the_label_and_move_alias(app, demo_library: Library) -> None:
    name = demo_library.labels["label"].iloc[0]
    key = demo_library.label_index.key_of_name[name]
    at = app(PAGES["label"], label=name)
    at.text_input(key=f"le_name_{key}").set_value(f"{name} Group Renamed").run()
    at.button(key=f"le_rename_{key}").click().run()
    assert not at.exception
    assert _param(at, "label") == f"{name} Group Renamed"
    assert f"{name} Group Renamed" in at.title[0].value

    raw = demo_library.label_index.aliases[name].most_common(1)[0][0]
    at.selectbox(key=f"le_raw_{key}").set_value(raw)
    at.text_input(key=f"le_new_{key}").set_value("Split Out Label").run()
    at.button(key=f"le_move_{key}").click().run()
    assert not at.exception
    assert raw not in set(_frame_with(at, "Appears as")["Appears as"])
    # A refused edit explains itself and changes nothing.
    at.text_input(key=f"le_name_{key}").set_value(demo_library.labels["label"].iloc[1]).run()
    at.button(key=f"le_rename_{key}").click().run()
    assert any("merge the two" in e.value for e in at.error)
