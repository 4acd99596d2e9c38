"""The entity-kind registry: the four kinds read from it, and one entry is enough for a new kind
(an album page) to have scopes, an index and a detail page's data."""

from __future__ import annotations

from typing import Iterator

import numpy as np
import pytest

from lib.analysis import display
from lib.analysis import entities as E
from lib.reports import site
from lib.store.kinds import KINDS, EntityKind, Part, kind_of, register, unregister
from lib.store.library import Library
from lib.store.scopes import Scope, ScopeError, scope_names, scope_tracks


def _album_mask(library: Library, name: str) -> np.ndarray | None:
    ids = set(library.albums.loc[library.albums["name"] == name, "album_id"])
    return library.tracks["album_id"].isin(ids).to_numpy() if ids else None


ALBUM = EntityKind(
    key="album", title="Album", plural="albums", icon="💿", page_file="app_pages/albums.py",
    url_path="albums", param="album", name_column="name",
    rows=lambda library: library.albums[["album_id", "image_url", "name", "tracks", "liked"]],
    track_mask=_album_mask,
    index_columns=(("Art", "image_url", None), ("Album", "name", "album"),
                   ("Tracks", "tracks", None), ("💚", "liked", None)),
    metrics=(("Liked", lambda p: p.summary.liked), ("Artists", lambda p: p.summary.artists)),
    layout=((Part("header"),), (Part("top_artists", key="artists"),), (Part("tracks", "Tracks"),)),
    index_title="Albums", index_caption=lambda library: "Every album, most tracks first.",
    extras=frozenset({"playlists"}), spotify=("album", "album_id"),
)


@pytest.fixture
def albums() -> Iterator[EntityKind]:
    register(ALBUM)
    try:
        yield ALBUM
    finally:
        unregister("album")
    assert "album" not in KINDS


def test_the_four_kinds_are_registered() -> None:
    assert list(KINDS) == ["label", "artist", "playlist", "genre"]
    assert [k.plural for k in KINDS.values()] == ["labels", "artists", "playlists", "genres"]
    assert KINDS["label"].url("A & B") == "/labels?label=A%20%26%20B"
    assert KINDS["artist"].art and not KINDS["genre"].art
    assert KINDS["artist"].article == "an" and KINDS["genre"].article == "a"
    with pytest.raises(ValueError, match="Unknown kind 'album'"):
        kind_of("album")


def test_every_kind_is_a_scope_with_names_and_tracks(demo_library: Library) -> None:
    for key, kind in KINDS.items():
        names = scope_names(demo_library, key)
        assert names == E.index_table(demo_library, key)[kind.name_column].astype(str).tolist()
        assert len(scope_tracks(demo_library, Scope(key, names[0]))) > 0
        with pytest.raises(ScopeError, match=f"No {key} called"):
            scope_tracks(demo_library, Scope(key, "No such name at all"))


def test_one_registry_entry_builds_a_new_kinds_index_and_page(albums: EntityKind,
                                                              demo_library: Library) -> None:
    library = demo_library
    table = E.index_table(library, "album")
    assert len(table) == len(library.albums)
    assert table["page_url"].str.startswith("/albums?album=").all()
    assert table["spotify_url"].str.startswith("https://open.spotify.com/album/").all()
    shown = display.index_display(table, "album")
    assert list(shown.columns) == ["Art", "Album", "Tracks", "💚"]
    assert shown["Album"].iloc[0] == table["name"].iloc[0]  # a name cell: selecting it opens the page

    folded = table["name"].str.casefold()
    name = table.loc[~folded.duplicated(keep=False), "name"].iloc[0]  # a name only one album has
    assert E.resolve_name(library, "album", name.upper()) == name
    assert name in E.suggest_names(library, "album", name[:-1])
    assert E.filter_index(table, "album", name).shape[0] >= 1
    assert name in set(site.entity_names(library, "album")["name"])  # the static site's pages

    page = E.build_entity_page(library, "album", name)
    expected = library.tracks[library.tracks["album_id"].isin(
        set(library.albums.loc[library.albums["name"] == name, "album_id"]))]
    assert page.summary.tracks == len(expected) == len(page.tracks) > 0
    assert page.scope == Scope("album", name) and page.url == albums.url(name)
    assert not page.top_artists.empty and not page.top_albums.empty
    assert page.playlists.columns.tolist()[:3] == ["playlist_id", "image_url", "name"]
    assert page.aliases.empty and page.related_artists.empty
    assert [title for title, _ in albums.metrics] == ["Liked", "Artists"]
    assert [value(page) for _, value in albums.metrics] == [page.summary.liked,
                                                            page.summary.artists]


def test_an_unknown_kind_is_a_clear_error(demo_library: Library) -> None:
    with pytest.raises(ScopeError, match="Unknown page kind 'album'"):
        E.build_entity_page(demo_library, "album", "x")
    with pytest.raises(ScopeError, match="Unknown scope 'album'"):
        Scope("album", "x")


def test_the_label_index_caption_counts_raw_strings_without_converting_tracks(
        tmp_path) -> None:
    from lib.demo.generator import DEMO_LIBRARY_ID, ensure_demo
    from lib.store.db import Store
    from lib.store.library import load_library
    from lib.store.snapshot import read_snapshot

    store = Store(tmp_path / "library.duckdb")
    ensure_demo(store)
    built = load_library(store, DEMO_LIBRARY_ID)  # keeps the snapshot
    raw = built.tracks["label_raw"].nunique()
    assert raw > len(built.labels) > 0
    read = read_snapshot(Store(tmp_path / "library.duckdb"), store.library(DEMO_LIBRARY_ID))
    caption = KINDS["label"].index_caption(read)
    assert f"{len(built.labels):,} labels, standardised from {raw:,} raw label strings" in caption
    assert "tracks" not in read.__dict__  # a fresh server's Labels page waits for no conversion
