"""AppTest: "Labels/Artists that sound like …" on entity pages and Home's loved/overlooked labels,
on the demo library and on a library imported from an Exportify CSV."""

from __future__ import annotations

import pytest

from lib.importers import import_files
from lib.importers.write import write_import
from tests import importers_samples as samples


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + \
        [h.value for h in at.subheader] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def _table(at, column: str):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, column
    return found[0]


def test_label_page_lists_five_labels_that_sound_alike(app, demo_library) -> None:
    name = demo_library.labels["label"].iloc[0]
    at = app("app_pages/labels.py", label=name)
    assert not at.exception, [e.value for e in at.exception]
    assert f"Labels that sound like {name}" in [h.value for h in at.subheader]
    table = _table(at, "In words")
    assert len(table) == 5 and table["Label"].isin(set(demo_library.labels["label"])).all()
    assert table["Similarity"].between(0, 1).all()


def test_small_label_gets_a_sentence(app, demo_library) -> None:
    from lib.analysis.similarity import sound_index
    index = sound_index(demo_library, "label")
    small = next(n for n, c in sorted(index.sizes.items()) if c < 5)
    at = app("app_pages/labels.py", label=small)
    assert not at.exception
    assert "comparing sounds needs at least 5" in _texts(at)


def test_artist_page_lists_artists_that_sound_alike(app, demo_library) -> None:
    artists = demo_library.artists.sort_values("tracks", ascending=False)
    name = artists["name"].iloc[0]
    at = app("app_pages/artists.py", artist=name)
    assert not at.exception
    assert any(h.value.startswith("Artists that sound like") for h in at.subheader)
    table = _table(at, "In words")
    assert len(table) == 5 and table["Artist"].isin(set(demo_library.artists["name"])).all()


def test_home_shows_loved_and_overlooked_labels(app) -> None:
    at = app()
    assert not at.exception
    heads = [h.value for h in at.subheader]
    assert "Labels you love most" in heads and "Labels you may be overlooking" in heads
    loved = [d.value for d in at.dataframe if "Minutes per track" in d.value.columns][0]
    assert len(loved) == 5
    over = _table(at, "Sounds like")
    assert len(over) >= 1 and not set(over["Label"]) & set(loved["Label"])


@pytest.fixture
def exportify_library(store):
    write_import(store, "local", import_files([("Liked Songs.csv", samples.exportify_current())]),
                 "replace")
    return store


def test_exportify_library_pages_render(app, exportify_library) -> None:
    at = app()
    assert not at.exception
    assert "Labels you love most" in [h.value for h in at.subheader]
    at = app("app_pages/labels.py", label="Columbia")
    assert not at.exception, [e.value for e in at.exception]
    assert "Columbia has only 1 track with audio features" in _texts(at)
    at = app("app_pages/artists.py", artist="M83")
    assert not at.exception
    assert "M83 has only 2 tracks with audio features" in _texts(at)
