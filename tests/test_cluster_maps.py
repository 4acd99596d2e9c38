"""Saved cluster maps (lib.clusters.maps): stored, listed, renamed, deleted, and reopened exactly
after the library changes."""

from __future__ import annotations

import numpy as np
import pytest

from lib.clusters import maps as M
from lib.clusters.features import PRESETS, build_matrix
from lib.clusters.kmeans import cluster_matrix
from lib.demo.generator import generate_library
from lib.store.db import LibraryData, Store
from lib.store.library import load_library
from lib.store.scopes import Scope


def _subset(data: LibraryData, keep: set[str]) -> LibraryData:
    """The library data with only the tracks in ``keep`` (and every other table as it is)."""
    frames = {}
    for table, frame in data.frames.items():
        frames[table] = frame[frame["track_id"].isin(keep)] if "track_id" in frame else frame
    return LibraryData(frames)


def _keep_clustering(store: Store, library_id: str, name: str, k: int = 4,
                     scope: Scope = Scope()):
    library = load_library(store, library_id)
    from lib.store.scopes import scope_tracks
    tracks = scope_tracks(library, scope)
    matrix = build_matrix(tracks, PRESETS["sound"].features, "auto")
    result = cluster_matrix(matrix, k, track_ids=tracks["track_id"].to_numpy()[matrix.kept])
    definition = M.map_definition(result, matrix, scope, library_version=library.version)
    M.save_map(store, library_id, name, definition, result.track_ids, result.labels)
    return result


def test_reimport_with_ten_percent_new_tracks_keeps_every_old_track(tmp_path) -> None:
    store = Store(tmp_path / "maps.duckdb")
    data = generate_library(1200, seed=5)
    ids = data.frames["tracks"]["track_id"].tolist()
    old = set(ids[: int(len(ids) * 0.9)])
    store.replace_library("local", _subset(data, old), name="Mine", kind="local")
    result = _keep_clustering(store, "local", "My map")
    saved_cluster = dict(zip(result.track_ids, result.labels))

    store.replace_library("local", data, name="Mine", kind="local")   # the re-import
    store.close()
    store = Store(tmp_path / "maps.duckdb")                             # kept across restarts
    library = load_library(store, "local")
    view = M.open_map(M.load_map(store, "local", "My map"), library)

    members = view.members.set_index("track_id")
    for track_id, cluster in saved_cluster.items():
        assert members.at[track_id, "cluster"] == cluster and not members.at[track_id, "new"]
    new = members[members["new"]]
    assert set(new.index) <= set(ids) - old and len(new) > 0.08 * len(ids) * 0.9
    assert view.left == 0
    # New tracks go to the nearest saved centre, in the saved scaling.
    d = view.saved.definition
    tracks = library.tracks.set_index("track_id").loc[new.index]
    raw = M.raw_columns(tracks.reset_index(), d["columns"], d["column_feature"])
    scaled = (raw - np.array(d["center"])) / np.array(d["scale"])
    nearest = ((scaled[:, None] - np.array(d["centres"])[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert (new["cluster"].to_numpy() == nearest).all()
    assert view.clusters["size"].sum() == len(members)
    assert view.clusters["new"].sum() == len(new)
    assert view.clusters["name"].tolist() == [c.name for c in result.clusters]


def test_tracks_that_left_are_counted(tmp_path) -> None:
    store = Store(tmp_path / "maps.duckdb")
    data = generate_library(600, seed=6)
    store.replace_library("local", data, name="Mine", kind="local")
    result = _keep_clustering(store, "local", "Before", k=3)
    ids = data.frames["tracks"]["track_id"].tolist()
    store.replace_library("local", _subset(data, set(ids[50:])), name="Mine", kind="local")
    view = M.open_map(M.load_map(store, "local", "Before"), load_library(store, "local"))
    gone = set(ids[:50]) & set(result.track_ids)
    assert view.left == len(gone) and not view.members["new"].any()
    assert not gone & set(view.members["track_id"])


def test_a_scope_that_disappeared_reopens_empty(tmp_path) -> None:
    store = Store(tmp_path / "maps.duckdb")
    data = generate_library(600, seed=7)
    store.replace_library("local", data, name="Mine", kind="local")
    library = load_library(store, "local")
    label = library.labels["label"].iloc[0]
    result = _keep_clustering(store, "local", "Label map", k=2, scope=Scope("label", label))
    albums = data.frames["albums"].assign(label_raw="Someone Else")
    store.replace_library("local", LibraryData({**data.frames, "albums": albums}), name="Mine",
                          kind="local")
    view = M.open_map(M.load_map(store, "local", "Label map"), load_library(store, "local"))
    assert view.scope_missing and view.members.empty and view.left == result.n_used


def test_names_rename_delete_and_listing(tmp_path) -> None:
    store = Store(tmp_path / "maps.duckdb")
    store.replace_library("local", generate_library(300, seed=8), name="Mine", kind="local")
    _keep_clustering(store, "local", "  First \n map ", k=2)
    assert M.list_maps(store, "local")["name"].tolist() == ["First map"]
    with pytest.raises(M.MapError, match="already exists"):
        _keep_clustering(store, "local", "First map", k=3)
    with pytest.raises(M.MapError, match="Give the map a name"):
        M.clean_name(" \t ")
    with pytest.raises(M.MapError, match="at most 80"):
        M.clean_name("x" * 81)
    _keep_clustering(store, "local", "Second", k=3)
    listing = M.list_maps(store, "local")
    assert listing["name"].tolist() == ["Second", "First map"]
    assert listing["k"].tolist() == [3, 2] and (listing["tracks"] > 0).all()
    with pytest.raises(M.MapError, match="already exists"):
        M.rename_map(store, "local", "Second", "First map")
    assert M.rename_map(store, "local", "Second", "Renamed") == "Renamed"
    saved = M.load_map(store, "local", "Renamed")
    assert saved.k == 3 and saved.query_params()["k"] == "3"
    M.delete_map(store, "local", "First map")
    assert M.list_maps(store, "local")["name"].tolist() == ["Renamed"]
    assert store.query("SELECT count(*) AS n FROM cluster_map_tracks WHERE map_id = 1")["n"][0] \
        == 0
    with pytest.raises(M.MapError, match="No saved map"):
        M.load_map(store, "local", "First map")
    assert M.list_maps(store, "other").empty
