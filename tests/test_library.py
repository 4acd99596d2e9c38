"""The denormalised tracks frame and entity tables built from the store."""

from __future__ import annotations

import pandas as pd

from lib.store.library import coverage, load_library
from lib.store.db import LibraryData, Store


def test_tracks_frame_has_one_row_per_track_and_documented_columns(demo_library, store):
    t = demo_library.tracks
    assert t["track_id"].is_unique
    assert len(t) == store.counts("demo")["tracks"]
    for col in ["track_name", "album_name", "release_year", "image_url", "artist_ids",
                "artist_names", "artists", "primary_artist", "label_raw", "labels", "label",
                "genres", "liked", "score", "has_score", "energy", "has_features", "spotify_url"]:
        assert col in t.columns, col
    assert t["spotify_url"].str.startswith("https://open.spotify.com/track/").all()
    assert (t["score"] >= 0).all()
    assert not t.loc[~t["has_score"], "score"].any()  # unknown scores show as 0


def test_primary_artist_comes_first(demo_library):
    t = demo_library.tracks
    multi = t[t["artist_ids"].map(len) > 1]
    assert len(multi) > 100
    assert (multi["primary_artist"] == multi["artist_names"].map(lambda v: v[0])).all()
    assert (multi["artists"].str.split(", ").map(len) >= 2).all()


def test_entity_tables_add_up(demo_library):
    library = demo_library
    assert library.albums["tracks"].sum() == len(library.tracks)
    assert library.labels["tracks"].sum() == library.tracks["labels"].map(len).sum()
    assert library.labels["tracks"].is_monotonic_decreasing
    top = library.labels.iloc[0]
    in_label = library.tracks[library.tracks["labels"].map(lambda ls: top["label"] in ls)]
    assert len(in_label) == top["tracks"]
    assert int(in_label["liked"].sum()) == top["liked"]
    assert library.artists.loc[library.artists["tracks"] > 0, "tracks"].sum() == \
        library.tracks["artist_ids"].map(len).sum()


def test_coverage_reports_shares(demo_library):
    cov = coverage(demo_library.tracks)
    assert 0.9 < cov["audio features"] < 1
    assert cov["labels"] == 1.0
    assert 0 < cov["scores"] < 1


def test_a_sparse_library_loads(tmp_path):
    """Tracks with no album, artist, label or features still load (imports can be that thin)."""
    store = Store(tmp_path / "l.duckdb")
    store.replace_library("local", LibraryData({"tracks": pd.DataFrame(
        {"track_id": ["a", "b"], "name": ["One", "Two"]})}), name="Thin", kind="local")
    library = load_library(store, "local")
    assert len(library.tracks) == 2
    assert library.tracks["labels"].map(len).sum() == 0
    assert not library.tracks["has_features"].any()
    assert library.labels.empty and library.genres.empty
    assert coverage(library.tracks)["audio features"] == 0


def test_coverage_report_says_how_to_get_what_is_missing(demo_library):
    from lib.analysis.overview import coverage_report
    rows = {measure: (share, missing, hint) for measure, share, missing, hint in
            coverage_report(demo_library.tracks)}
    assert set(rows) == {"audio features", "labels", "genres", "scores"}
    share, missing, hint = rows["scores"]
    assert missing == round((1 - share) * len(demo_library.tracks)) > 0
    assert "privacy" in hint
    assert rows["labels"][1] == 0


def test_gaps_in_boolean_and_integer_columns_stay_missing(tmp_path):
    store = Store(tmp_path / "l.duckdb")
    store.replace_library("local", LibraryData({"tracks": pd.DataFrame({
        "track_id": ["a", "b"], "name": ["One", "Two"], "explicit": [True, None],
        "duration_ms": [200_000, None]})}), name="Thin", kind="local")
    t = load_library(store, "local").tracks.set_index("track_id")
    assert t.loc["a", "explicit"] == True and pd.isna(t.loc["b", "explicit"])  # noqa: E712
    assert t.loc["a", "duration_ms"] == 200_000 and pd.isna(t.loc["b", "duration_ms"])
    assert t["artist_ids"].map(list).tolist() == [[], []]
