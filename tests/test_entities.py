"""Entity page data (lib/analysis/entities.py) on the demo library."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.store.kinds import KINDS
from lib.analysis import entities as E
from lib.store.library import Library
from lib.store.scopes import Scope, ScopeError, scope_tracks


@pytest.fixture
def library(demo_library: Library) -> Library:
    return demo_library


@pytest.fixture
def basis(library: Library) -> E.LibraryBasis:
    return E.library_basis(library)


def _largest(library: Library, kind: str) -> str:
    return E.index_table(library, kind).iloc[0][{"label": "label", "genre": "genre"}.get(kind, "name")]


def test_label_page_sections_add_up(library: Library, basis: E.LibraryBasis) -> None:
    name = _largest(library, "label")
    page = E.build_entity_page(library, "label", name, basis=basis)
    row = library.labels.set_index("label").loc[name]
    assert page.summary.tracks == row["tracks"] == len(page.tracks)
    assert page.summary.liked == row["liked"]
    assert page.summary.albums == row["albums"]
    assert all(name in ls for ls in page.tracks["labels"])
    # "Appears as": every raw string of the label, counts summing to its tracks.
    assert page.aliases["tracks"].sum() == row["tracks"]
    assert set(page.aliases["raw"]) == set(page.tracks["label_raw"])
    assert page.aliases["share"].sum() == pytest.approx(1.0)
    # Top artists count every credited artist; images and links are there.
    credited = pd.Series([a for ids in page.tracks["artist_ids"] for a in ids]).value_counts()
    top = page.top_artists.set_index("artist_id")["tracks"]
    assert top.to_dict() == credited.to_dict()
    assert page.top_artists["tracks"].is_monotonic_decreasing
    assert page.top_artists["image_url"].notna().all()
    assert page.top_artists["page_url"].iloc[0].startswith("/artists?artist=")
    assert page.top_artists["spotify_url"].str.startswith("https://open.spotify.com/artist/").all()
    assert page.top_albums["tracks"].sum() == len(page.tracks)
    assert page.years["tracks"].sum() == page.tracks["release_year"].notna().sum()
    # Co-labels never include the label itself and come from shared raw strings.
    assert name not in set(page.co_labels["label"])
    assert page.related_artists.empty and page.related_genres.empty


def test_feature_profile_against_library(library: Library, basis: E.LibraryBasis) -> None:
    name = _largest(library, "genre")
    tracks = scope_tracks(library, Scope("genre", name))
    profile = E.feature_profile(tracks, basis, name)
    cmp = profile.comparison.set_index("feature")
    with_f = tracks[tracks["has_features"]]
    assert cmp.at["energy", "scope_mean"] == pytest.approx(with_f["energy"].mean())
    everything = library.tracks[library.tracks["has_features"]]
    assert cmp.at["energy", "library_mean"] == pytest.approx(everything["energy"].mean())
    assert profile.with_features == len(with_f)
    # Both groups' shares sum to 1 per feature, on the same bins.
    sums = profile.binned.groupby(["group", "feature"])["share"].sum()
    assert np.allclose(sums.to_numpy(), 1.0)
    assert set(profile.binned["group"]) == {name, "Whole library"}
    starts = profile.binned.groupby("group")["bin_start"].apply(lambda s: tuple(s.round(9)))
    assert starts.iloc[0] == starts.iloc[1]
    # Highlights name the biggest differences with the catalog's adjectives.
    top = cmp.dropna(subset=["z"]).assign(a=lambda d: d["z"].abs()).sort_values("a").iloc[-1]
    word = top["high"] if top["z"] > 0 else top["low"]
    assert profile.highlights[0] == f"more {word}"


def test_feature_extremes(library: Library) -> None:
    tracks = library.tracks.head(400)
    ex = E.feature_extremes(tracks, "danceability")
    assert ex.most_title == "10 most Danceable tracks"
    assert ex.least_title == "10 least Danceable tracks"
    values = tracks["danceability"].dropna()
    assert ex.most["value"].tolist() == sorted(values, reverse=True)[:10]
    assert ex.least["value"].tolist() == sorted(values)[:10]
    assert E.feature_extremes(tracks, "tempo").most_title == "10 fastest tracks"
    assert len(E.feature_extremes(tracks.head(3), "energy").most) <= 3


def test_artist_page_related_and_collaborators(library: Library, basis: E.LibraryBasis) -> None:
    name = _largest(library, "artist")
    page = E.build_entity_page(library, "artist", name, basis=basis)
    ids = set(page.info["artist_ids"])
    assert not ids & set(page.top_artists["artist_id"])  # the artist is the page, not a row
    assert page.info["image_url"]
    rel = page.related_artists
    assert len(rel) > 0 and not ids & set(rel["artist_id"])
    assert (rel["shared"] == rel["shared_labels"].map(len) + rel["shared_genres"].map(len)).all()
    my_labels = {lab for ls in page.tracks["labels"] for lab in ls}
    assert all(set(x) <= my_labels for x in rel["shared_labels"])
    assert all(set(x) <= set(page.info["genres"]) for x in rel["shared_genres"])
    assert rel["shared"].is_monotonic_decreasing
    assert len(page.labels) > 0 and page.labels["page_url"].str.startswith("/labels?").all()


def test_playlist_page_keeps_playlist_order(library: Library, basis: E.LibraryBasis) -> None:
    name = _largest(library, "playlist")
    page = E.build_entity_page(library, "playlist", name, basis=basis)
    pid = page.info["playlist_ids"][0]
    pt = library.playlist_tracks[library.playlist_tracks["playlist_id"] == pid].sort_values("position")
    assert page.tracks["track_id"].tolist() == pt["track_id"].tolist()
    assert page.playlists.empty


def test_artist_playlists_and_genre_related(library: Library, basis: E.LibraryBasis) -> None:
    genre = _largest(library, "genre")
    page = E.build_entity_page(library, "genre", genre, basis=basis)
    assert genre not in set(page.related_genres["genre"])
    assert page.playlists["tracks"].le(page.playlists["size"]).all()
    assert page.playlists["tracks"].sum() > 0


def test_one_track_label(library: Library, basis: E.LibraryBasis) -> None:
    one = library.labels[library.labels["tracks"] == 1]["label"].iloc[0]
    page = E.build_entity_page(library, "label", one, basis=basis)
    assert page.summary.tracks == 1 and page.summary.years != ""
    assert len(page.top_artists) >= 1 and len(page.top_albums) == 1
    assert all(len(x.most) <= 1 for x in page.extremes.values())
    assert page.profile.highlights == ()  # one track is no basis for "sounds more …"


def test_unknown_names_raise_scope_error(library: Library) -> None:
    with pytest.raises(ScopeError, match="No label called"):
        E.build_entity_page(library, "label", "No Such Label")
    with pytest.raises(ScopeError):
        E.build_entity_page(library, "producer", "x")


def test_lookup_and_suggestions(library: Library) -> None:
    name = _largest(library, "label")
    assert E.resolve_name(library, "label", name) == name
    assert E.resolve_name(library, "label", name.upper()) == name
    raw = library.label_index.aliases[name].most_common(1)[0][0]
    assert E.resolve_name(library, "label", raw) == library.label_index.labels(raw)[0]
    assert E.resolve_name(library, "label", "No Such Label") is None
    typo = name[:-2]
    assert name in E.suggest_names(library, "label", typo)
    assert E.suggest_names(library, "label", "") == E.index_table(library, "label")["label"].head(8).tolist()
    assert E.filter_index(E.index_table(library, "artist"), "artist", "zzzz-none").empty


def test_index_tables_link_to_pages(library: Library) -> None:
    for kind in E.ENTITY_KINDS:
        table = E.index_table(library, kind)
        assert len(table) > 0
        spec = KINDS[kind]
        assert table["page_url"].str.startswith(f"/{spec.url_path}?{spec.param}=").all()
    assert E.entity_url("label", "A & B / C?") == "/labels?label=A%20%26%20B%20%2F%20C%3F"


def test_empty_scope_builders() -> None:
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in
                          ["artist_ids", "labels", "genres", "liked", "score", "track_id"]})
    assert E._count(empty, "labels", "label").empty
    assert E.co_labels(empty, "x").empty


def test_spotify_links_only_for_spotify_ids() -> None:
    ids = pd.Series(["4Z8W4fKeB5YxbusRsdQVPb", "local:artist:abc", "deadbeef", None])
    assert E._spotify("artist", ids) == [
        "https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb", None, None, None]
