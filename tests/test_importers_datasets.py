"""Track data sets: both layouts, as a library and as a feature source for the current library."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.importers import import_files, preview, write_import
from lib.importers.datasets import python_lists
from lib.store.library import load_library
from lib.store.db import Store
from tests import importers_samples as S


def read(name: str, text: str):
    return import_files([(name, text.encode("utf-8"))])


def test_tracks_dataset_layout():
    r = read("dataset.csv", S.tracks_dataset())
    assert r.files[0].format == "tracks-dataset"
    tracks = r.data.frames["tracks"].set_index("track_id")
    assert set(tracks.index) == {S.T1, S.T4}  # T1 is listed under two genres
    assert tracks.loc[S.T1, "popularity"] == 82 and bool(tracks.loc[S.T1, "explicit"])
    artists = r.data.frames["artists"]["name"].tolist()
    assert "Tyler, The Creator" in artists and "Kali Uchis" in artists
    genres = r.data.frames["artist_genres"]
    tyler = artists_id(r, "Tyler, The Creator")
    assert set(genres[genres["artist_id"] == tyler]["genre"]) == {"hip-hop", "rap"}
    assert r.counts["with_features"] == 2
    assert r.data.frames["tracks"]["source"].eq("dataset:dataset.csv").all()


def artists_id(result, name: str) -> str:
    a = result.data.frames["artists"]
    return a[a["name"] == name]["artist_id"].iloc[0]


def test_songs_1_2m_layout_with_python_lists():
    r = read("tracks_features.csv", S.songs_dataset())
    assert r.files[0].format == "songs-1.2m"
    credits = r.data.frames["track_artists"]
    blue = credits[credits["track_id"] == S.T4].sort_values("position")
    assert blue["artist_id"].tolist() == ["0LyfQWJT6nXafLPZqxe9Of", "3qm84nBOXUEQ2vnTfUTTFC"]
    names = r.data.frames["artists"].set_index("artist_id")["name"]
    assert names["3qm84nBOXUEQ2vnTfUTTFC"] == "Guns N' Roses"
    albums = r.data.frames["albums"].set_index("album_id")
    assert albums.loc[S.AL2, ["release_date", "release_year"]].tolist() == ["2011-10-18", 2011]
    assert albums.loc["2a0KQgF6wu0p0vC3PsZ0Y0", "release_year"] == 1987
    feats = r.data.frames["audio_features"].set_index("track_id")
    assert feats.loc[S.T2, "time_signature"] == 4  # written "4.0"


def test_python_list_parsing():
    got = python_lists(pd.Series(["['A', 'B']", "[\"Guns N' Roses\"]", "Solo", "[]", None],
                                 dtype=object))
    assert got == [["A", "B"], ["Guns N' Roses"], ["Solo"], None, None]


def test_dataset_as_a_feature_source_fills_only_missing_features(tmp_path):
    store = Store(tmp_path / "lib.duckdb")
    # A library with T1 (features known), T4 (no features): the old header has none.
    write_import(store, "local", import_files([
        ("a.csv", S.exportify_current().encode()), ("b.csv", S.exportify_old().encode())]),
        "replace")
    before = load_library(store, "local").tracks.set_index("track_id")
    assert not bool(before.loc[S.T4, "has_features"])
    data = read("dataset.csv", S.tracks_dataset())
    plan = preview(data, store, "local")
    assert plan.lacking_features == 1 and plan.fillable_features == 1
    report = write_import(store, "local", data, "features")
    assert report.features_filled == 1
    after = load_library(store, "local").tracks.set_index("track_id")
    assert after.loc[S.T4, "energy"] == pytest.approx(0.9)
    assert after.loc[S.T1, "energy"] == pytest.approx(0.559)  # known value kept
    assert after.loc[S.T4, "features_source"] == "dataset:dataset.csv"
    # Nothing else changed: same tracks, no data set tracks or genres added.
    assert set(after.index) == set(before.index)
    assert after.loc[S.T4, "genres"] == before.loc[S.T4, "genres"]
    store.close()


def test_feature_source_needs_a_library_and_features(tmp_path):
    store = Store(tmp_path / "lib.duckdb")
    with pytest.raises(ValueError, match="no tracks"):
        write_import(store, "local", read("dataset.csv", S.tracks_dataset()), "features")
    with pytest.raises(ValueError, match="no audio features"):
        write_import(store, "local", read("old.csv", S.exportify_old()), "features")
    assert store.version("local") == -1
    store.close()


def test_bad_ids_and_missing_names_are_skipped_with_their_row():
    text = S.tracks_dataset().replace(S.T4, "not-an-id", 1)
    r = read("dataset.csv", text)
    problems = r.skipped_frame()
    assert problems.iloc[0][["Row", "Action"]].tolist() == [4, "row skipped"]
    assert "'not-an-id' in column 'track_id' is not a Spotify track id" in problems.iloc[0]["Problem"]
    assert r.counts["tracks"] == 1
