"""The store: schema migrations, round trips, atomic replace and merge, library isolation."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from lib.demo.generator import generate_library
from lib.store.db import SCHEMA_VERSION, TABLES, LibraryData, Store, StoreError, db_path


def small_library(n: int = 3, prefix: str = "t") -> LibraryData:
    tracks = pd.DataFrame({"track_id": [f"{prefix}{i}" for i in range(n)],
                           "name": [f"Song {i}" for i in range(n)],
                           "album_id": ["al1"] * n, "duration_ms": [200_000 + i for i in range(n)]})
    albums = pd.DataFrame({"album_id": ["al1"], "name": ["Album"], "release_year": [2020],
                           "label_raw": ["Kestrel Sound/Meridian Records"]})
    artists = pd.DataFrame({"artist_id": ["ar1"], "name": ["Ayla Finch"]})
    track_artists = pd.DataFrame({"track_id": tracks["track_id"], "artist_id": "ar1",
                                  "position": 0})
    return LibraryData({"tracks": tracks, "albums": albums, "artists": artists,
                        "track_artists": track_artists})


def test_new_file_is_migrated_to_current_schema(tmp_path):
    path = tmp_path / "sub" / "library.duckdb"
    store = Store(path)
    assert path.exists()
    assert store.schema_version() == SCHEMA_VERSION
    store.close()
    # Opening again applies nothing new and keeps one row per version.
    store = Store(path)
    assert store.query("SELECT count(*) AS n FROM schema_version")["n"][0] == SCHEMA_VERSION


def test_migration_from_an_empty_duckdb_file(tmp_path):
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()  # a valid DuckDB file with no tables
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION
    tables = set(store.query("SELECT table_name FROM information_schema.tables")["table_name"])
    assert set(TABLES) | {"libraries", "schema_version"} <= tables


def test_file_from_a_newer_labelscope_is_refused(tmp_path):
    path = tmp_path / "future.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version VALUES (?, now())", [SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_round_trip_of_the_demo_library(tmp_path):
    data = generate_library(600, seed=7)
    store = Store(tmp_path / "l.duckdb")
    version = store.replace_library("demo", data, name="Demo", kind="demo")
    assert version == 1
    counts = store.counts("demo")
    for table in TABLES:
        assert counts[table] == data.count(table), table
    back = store.query("SELECT * FROM audio_features WHERE library_id = 'demo' ORDER BY track_id")
    expected = data.frames["audio_features"].sort_values("track_id").reset_index(drop=True)
    pd.testing.assert_series_equal(back["energy"], expected["energy"], check_names=False)
    assert back["key"].tolist() == expected["key"].tolist()


def test_env_var_chooses_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_DB", str(tmp_path / "x.duckdb"))
    assert db_path() == tmp_path / "x.duckdb"
    assert Store().path == tmp_path / "x.duckdb"


def test_failed_replace_leaves_the_previous_library(tmp_path):
    store = Store(tmp_path / "l.duckdb")
    store.replace_library("local", small_library(3), name="Mine", kind="local")
    before = store.query("SELECT * FROM tracks ORDER BY track_id")
    bad = small_library(5, prefix="new")
    # A broken row in a table written late in the transaction (scores need a score).
    bad.frames["scores"] = pd.DataFrame({"track_id": ["new0"], "score": [None]})
    with pytest.raises(StoreError, match="scores"):
        store.replace_library("local", bad, name="Mine", kind="local")
    after = store.query("SELECT * FROM tracks ORDER BY track_id")
    pd.testing.assert_frame_equal(before, after)
    assert store.version("local") == 1
    assert store.counts("local")["albums"] == 1


def test_replace_replaces_and_merge_fills_gaps_without_erasing(tmp_path):
    store = Store(tmp_path / "l.duckdb")
    store.replace_library("local", small_library(3), name="Mine", kind="local")
    update = LibraryData({"tracks": pd.DataFrame({
        "track_id": ["t0", "t9"], "name": ["Song 0 (other spelling)", "New"],
        "duration_ms": [None, 1000], "isrc": ["QZAAA2000001", None]})})
    assert store.merge_library("local", update, name="Mine", kind="local") == 2
    rows = store.query("SELECT track_id, name, duration_ms, isrc FROM tracks "
                       "WHERE library_id = 'local' ORDER BY track_id").set_index("track_id")
    assert list(rows.index) == ["t0", "t1", "t2", "t9"]
    assert rows.loc["t0", "name"] == "Song 0"          # known value kept
    assert rows.loc["t0", "duration_ms"] == 200_000     # NULL never erases
    assert rows.loc["t0", "isrc"] == "QZAAA2000001"     # gap filled
    store.replace_library("local", small_library(1, prefix="z"), name="Mine", kind="local")
    assert store.query("SELECT track_id FROM tracks")["track_id"].tolist() == ["z0"]


def test_libraries_are_isolated(tmp_path):
    store = Store(tmp_path / "l.duckdb")
    store.replace_library("spotify:alice", small_library(2, "a"), name="Alice", kind="spotify")
    store.replace_library("spotify:bob", small_library(4, "b"), name="Bob", kind="spotify")
    store.replace_library("spotify:alice", small_library(1, "a"), name="Alice", kind="spotify")
    assert store.counts("spotify:alice")["tracks"] == 1
    assert store.counts("spotify:bob")["tracks"] == 4
    store.delete_library("spotify:alice")
    assert store.version("spotify:alice") == -1
    assert [i.library_id for i in store.libraries()] == ["spotify:bob"]


def test_duplicate_keys_in_one_write_keep_the_first(tmp_path):
    store = Store(tmp_path / "l.duckdb")
    data = small_library(2)
    data.frames["track_artists"] = pd.DataFrame({"track_id": ["t0", "t0"],
                                                 "artist_id": ["ar1", "ar1"], "position": [0, 3]})
    store.replace_library("local", data, name="Mine", kind="local")
    assert store.query("SELECT position FROM track_artists")["position"].tolist() == [0]


def test_touch_bumps_the_version(tmp_path):
    store = Store(tmp_path / "l.duckdb")
    store.replace_library("local", small_library(1), name="Mine", kind="local")
    assert store.touch("local") == 2


def test_merge_accepts_a_column_with_no_values_of_another_type(tmp_path):
    store = Store(tmp_path / "l.duckdb")
    store.replace_library("local", small_library(2), name="Mine", kind="local")
    update = LibraryData({"tracks": pd.DataFrame({
        "track_id": ["t0"], "name": ["Song 0"], "isrc": [float("nan")]})})
    store.merge_library("local", update, name="Mine", kind="local")
    assert store.query("SELECT isrc FROM tracks WHERE track_id = 't0'")["isrc"].isna().all()


def test_a_deleted_library_written_again_never_reuses_a_version(tmp_path):
    store = Store(tmp_path / "l.duckdb")
    store.replace_library("local", small_library(2), name="Mine", kind="local")
    store.replace_library("local", small_library(3), name="Mine", kind="local")
    store.delete_library("local")
    assert store.replace_library("local", small_library(1), name="Mine", kind="local") == 3


def test_deleting_a_library_deletes_what_it_owns_and_nothing_of_another(tmp_path):
    from lib.clusters.maps import list_maps, save_map
    from lib.enrichment.consent import answers, record
    store = Store(tmp_path / "l.duckdb")
    for library_id in ("local", "other"):
        store.replace_library(library_id, small_library(3), name=library_id, kind="local")
        record(store, library_id, "reccobeats", "yes")
        save_map(store, library_id, "Moods", {"scope": {"kind": "library", "name": None}, "k": 2},
                 ["t0", "t1", "t2"], [0, 1, 1])
    store.delete_library("local")
    assert answers(store, "local") == {} and list_maps(store, "local").empty
    assert answers(store, "other") == {"reccobeats": "yes"} and len(list_maps(store, "other")) == 1


def test_a_kept_answer_is_never_older_than_the_file(tmp_path, monkeypatch):
    """query_while_unchanged answers from memory only while the file is unchanged: a write by
    another Store (another process) is seen at once, even within the same second."""
    import os
    import time

    path = tmp_path / "library.duckdb"
    store, other = Store(path), Store(path)
    sql = "SELECT count(*) AS n FROM libraries"
    other.replace_library("a", generate_library(50, seed=1), name="A", kind="local")
    assert store.query_while_unchanged(sql)["n"].tolist() == [1]
    other.replace_library("b", generate_library(50, seed=2), name="B", kind="local")
    assert store.query_while_unchanged(sql)["n"].tolist() == [2]
    old = time.time() - 10  # an unchanged file (not touched in the last second) is not re-read
    for p in (path, tmp_path / "library.duckdb.wal"):
        if p.exists():
            os.utime(p, (old, old))
    first = store.query_while_unchanged(sql)
    assert store.query_while_unchanged(sql) is first
    assert [i.library_id for i in store.libraries()] == ["a", "b"]
