"""Library snapshots and kept results (lib.store.snapshot): what a fresh process reads instead of
rebuilding, exactly what it would have built, never stale, never code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib.demo.generator import DEMO_LIBRARY_ID, ensure_demo, generate_library
from lib.labels import rename_label
from lib.store.db import LOCAL_LIBRARY_ID, Store
from lib.store.library import Library, load_library
from lib.store.snapshot import (FRAMES, MISSING, read_result, read_snapshot, snapshot_root,
                                wait_for_snapshots, write_result, write_result_soon)


def _same(a: Library, b: Library) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert a.label_index == b.label_index
    assert (a.library_id, a.version, a.track_count) == (b.library_id, b.version, b.track_count)


def _fresh(path: Path) -> Store:
    """Another process's view of the file: a new Store, nothing cached in memory."""
    return Store(path)


def _write(store: Store, n: int, seed: int) -> None:
    store.replace_library(LOCAL_LIBRARY_ID, generate_library(n, seed=seed), name="Mine",
                          kind="local")


def test_a_fresh_process_reads_exactly_what_it_would_build(tmp_path: Path) -> None:
    path = tmp_path / "library.duckdb"
    store = Store(path)
    ensure_demo(store)
    built = load_library(store, DEMO_LIBRARY_ID)  # builds, and keeps the snapshot
    info = _fresh(path).library(DEMO_LIBRARY_ID)
    read = read_snapshot(_fresh(path), info)
    assert read is not None
    assert "tracks" not in read.__dict__  # not converted until a page asks for it
    _same(built, read)
    assert "tracks" in read.__dict__
    # Rows with the same list share one object; the values are those of the built frame.
    assert read.tracks["artist_ids"].map(type).eq(list).all()
    assert load_library(_fresh(path), DEMO_LIBRARY_ID).track_count == len(built.tracks)


def test_every_write_gets_its_own_snapshot_and_old_ones_go(tmp_path: Path) -> None:
    path = tmp_path / "library.duckdb"
    store = Store(path)
    _write(store, 300, seed=1)
    first = load_library(store, LOCAL_LIBRARY_ID)
    label = first.labels["label"].iloc[0]
    rename_label(store, LOCAL_LIBRARY_ID, first.label_index, label, "Renamed Records")
    again = load_library(_fresh(path), LOCAL_LIBRARY_ID)
    assert again.version > first.version
    assert "Renamed Records" in again.labels["label"].tolist()  # the edit, not the old snapshot
    _same(again, load_library(_fresh(path), LOCAL_LIBRARY_ID))
    versions = [p for p in snapshot_root(path).rglob("*") if p.is_dir() and "-" in p.name]
    assert len(versions) == 1 and versions[0].name.startswith(f"{again.version}-")


def test_a_new_file_at_the_same_path_never_reads_the_old_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "library.duckdb"
    store = Store(path)
    _write(store, 200, seed=1)
    old = load_library(store, LOCAL_LIBRARY_ID)
    store.close()
    path.unlink()
    store = Store(path)  # a new file: the library starts again at the same version number
    _write(store, 250, seed=2)
    new = load_library(_fresh(path), LOCAL_LIBRARY_ID)
    assert new.version == old.version
    assert new.track_count == 250 and len(new.tracks) == 250


@pytest.mark.parametrize("damage", ["truncate tracks", "garbage json", "missing artists",
                                    "scrambled tracks"])
def test_a_damaged_snapshot_is_rebuilt_not_trusted(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "library.duckdb"
    store = Store(path)
    ensure_demo(store)
    built = load_library(store, DEMO_LIBRARY_ID)
    folder = next(p for p in snapshot_root(path).rglob("library.json")).parent
    if damage == "truncate tracks":
        data = (folder / "tracks.arrow").read_bytes()
        (folder / "tracks.arrow").write_bytes(data[: len(data) // 2])
    elif damage == "scrambled tracks":  # intact footer, damaged body: found on first use
        data = bytearray((folder / "tracks.arrow").read_bytes())
        data[64:len(data) // 2] = bytes(len(data) // 2 - 64)
        (folder / "tracks.arrow").write_bytes(bytes(data))
    elif damage == "garbage json":
        (folder / "library.json").write_text("{not json", "utf-8")
    else:
        (folder / "artists.arrow").unlink()
    _same(built, load_library(_fresh(path), DEMO_LIBRARY_ID))


def test_no_snapshot_when_the_folder_cannot_be_written(tmp_path: Path) -> None:
    path = tmp_path / "library.duckdb"
    store = Store(path)
    ensure_demo(store)
    snapshot_root(path).write_text("a file where the folder would go", "utf-8")
    assert load_library(store, DEMO_LIBRARY_ID).track_count > 0  # built, nothing kept
    assert load_library(_fresh(path), DEMO_LIBRARY_ID).track_count > 0


def test_removing_a_library_removes_its_snapshots(tmp_path: Path) -> None:
    path = tmp_path / "library.duckdb"
    store = Store(path)
    _write(store, 200, seed=1)
    ensure_demo(store)
    load_library(store, LOCAL_LIBRARY_ID)
    load_library(store, DEMO_LIBRARY_ID)
    assert len(list(snapshot_root(path).iterdir())) == 2
    store.delete_library(LOCAL_LIBRARY_ID)
    assert len(list(snapshot_root(path).iterdir())) == 1  # the demo's stays


def test_library_ids_are_not_folder_names(tmp_path: Path) -> None:
    """A hosted session's library id is its secret: the folder is named by a hash."""
    path = tmp_path / "library.duckdb"
    store = Store(path)
    secret = "session:s3cr3t-token"
    store.replace_library(secret, generate_library(100, seed=3), name="Mine", kind="local")
    load_library(store, secret)
    names = [p.name for p in snapshot_root(path).rglob("*")]
    assert names and not any("s3cr3t" in n for n in names)


# -- kept results ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Inner:
    numbers: np.ndarray
    ids: np.ndarray
    arrow_ids: pd.arrays.ArrowStringArray


@dataclass(frozen=True)
class _Result:
    frame: pd.DataFrame
    series: pd.Series
    inner: tuple[_Inner, ...]
    mapping: dict[str, float]
    blob: bytes
    nothing: None


def _result() -> _Result:
    frame = pd.DataFrame({"name": ["a", "b"], "n": pd.array([1, None], dtype="Int64"),
                          "lists": [["x", "y"], []], "cat": pd.Categorical(["p", "q"])},
                         index=pd.Index(["r1", "r2"], name="row"))
    return _Result(frame=frame, series=pd.Series([0.5, float("nan")], index=["u", "v"], name="s"),
                   inner=(_Inner(np.arange(6.0).reshape(2, 3),
                                 np.array(["id1", "id2"], dtype=object),
                                 pd.array(["id3", "<b>id4</b>"], dtype="str")),),
                   mapping={"inf": float("inf"), "x": -0.0}, blob=b"\x00arrow", nothing=None)


@pytest.fixture
def kept_store(tmp_path: Path) -> tuple[Store, Path]:
    path = tmp_path / "library.duckdb"
    store = Store(path)
    ensure_demo(store)
    load_library(store, DEMO_LIBRARY_ID)
    return store, path


def test_a_kept_result_comes_back_equal_and_typed(kept_store) -> None:
    store, path = kept_store
    version = store.version(DEMO_LIBRARY_ID)
    value = _result()
    assert write_result(store, DEMO_LIBRARY_ID, version, "k", value)
    back = read_result(_fresh(path), DEMO_LIBRARY_ID, version, "k", (_Result, _Inner))
    assert isinstance(back, _Result) and isinstance(back.inner[0], _Inner)
    pd.testing.assert_frame_equal(back.frame, value.frame, check_exact=True)
    pd.testing.assert_series_equal(back.series, value.series, check_exact=True)
    np.testing.assert_array_equal(back.inner[0].numbers, value.inner[0].numbers)
    assert back.inner[0].ids.dtype == object and back.inner[0].ids.tolist() == ["id1", "id2"]
    assert isinstance(back.inner[0].arrow_ids, pd.arrays.ArrowStringArray)  # as it was kept
    assert back.inner[0].arrow_ids.tolist() == ["id3", "<b>id4</b>"]
    assert back.mapping == {"inf": float("inf"), "x": 0.0} and back.blob == value.blob
    files = {p.suffix for p in snapshot_root(path).rglob("results/*")}
    assert files <= {".json", ".arrow", ".npy", ".bin"}  # no pickle anywhere


def test_a_kept_result_is_only_read_into_the_classes_named(kept_store) -> None:
    store, path = kept_store
    version = store.version(DEMO_LIBRARY_ID)
    write_result(store, DEMO_LIBRARY_ID, version, "k", _result())
    assert read_result(store, DEMO_LIBRARY_ID, version, "k", (_Result,)) is MISSING  # no _Inner
    assert read_result(store, DEMO_LIBRARY_ID, version, "k", ()) is MISSING


def test_a_kept_result_cannot_point_outside_its_folder(kept_store) -> None:
    store, path = kept_store
    version = store.version(DEMO_LIBRARY_ID)
    write_result(store, DEMO_LIBRARY_ID, version, "k", {"a": pd.DataFrame({"x": [1]})})
    tree = next(snapshot_root(path).rglob("results/*.json"))
    outside = path.parent / "secret.npy"
    np.save(outside, np.arange(3))
    tree.write_text('{"dict": [["a", {"array": "../../../secret.npy"}]]}', "utf-8")
    assert read_result(store, DEMO_LIBRARY_ID, version, "k", ()) is MISSING


def test_results_of_another_version_are_not_read(kept_store) -> None:
    store, _ = kept_store
    version = store.version(DEMO_LIBRARY_ID)
    assert not write_result(store, DEMO_LIBRARY_ID, version + 1, "k", 1)  # no such snapshot
    write_result(store, DEMO_LIBRARY_ID, version, "k", 1)
    assert read_result(store, DEMO_LIBRARY_ID, version, "k") == 1
    store.touch(DEMO_LIBRARY_ID)
    assert read_result(store, DEMO_LIBRARY_ID, version, "k") is MISSING
    assert read_result(store, DEMO_LIBRARY_ID, version + 1, "k") is MISSING


def test_what_cannot_be_kept_is_not(kept_store) -> None:
    store, _ = kept_store
    version = store.version(DEMO_LIBRARY_ID)
    assert not write_result(store, DEMO_LIBRARY_ID, version, "k", {"a": object()})
    assert not write_result(store, DEMO_LIBRARY_ID, version, "k",
                            pd.DataFrame({"mixed": [1, "a", 2.5]}))
    assert read_result(store, DEMO_LIBRARY_ID, version, "k") is MISSING


def test_a_library_read_from_its_snapshot_pickles_with_its_frames(tmp_path: Path) -> None:
    """The static-site export hands the library to worker processes (multiprocessing pickles it):
    they get the tracks frame itself, not a reader of a memory-mapped file."""
    import pickle

    path = tmp_path / "library.duckdb"
    store = Store(path)
    ensure_demo(store)
    built = load_library(store, DEMO_LIBRARY_ID)
    read = load_library(_fresh(path), DEMO_LIBRARY_ID)
    assert "tracks" not in read.__dict__
    _same(built, pickle.loads(pickle.dumps(read)))
    _same(built, pickle.loads(pickle.dumps(built)))


def test_kept_results_of_one_version_are_bounded(kept_store, monkeypatch) -> None:
    """Keys come from URLs (scope, k, seed): stepping through seeds must not fill the disk."""
    import lib.store.snapshot as snapshot
    store, path = kept_store
    monkeypatch.setattr(snapshot, "MAX_RESULTS", 3)
    version = store.version(DEMO_LIBRARY_ID)
    for seed in range(6):
        assert write_result(store, DEMO_LIBRARY_ID, version, f"seed={seed}",
                            {"frame": pd.DataFrame({"x": [seed]})})
    results = next(snapshot_root(path).rglob("results"))
    assert len(list(results.glob("*.json"))) == 3
    assert len(list(results.glob("*.arrow"))) == 3  # their frames went with them
    assert read_result(store, DEMO_LIBRARY_ID, version, "seed=5")["frame"]["x"].tolist() == [5]


def test_writing_a_result_again_leaves_one_copy(kept_store) -> None:
    """Two sessions can compute the same result: the later write replaces the earlier's files."""
    store, path = kept_store
    version = store.version(DEMO_LIBRARY_ID)
    for n in range(3):
        assert write_result(store, DEMO_LIBRARY_ID, version, "same", {"frame": pd.DataFrame({"x": [n]})})
    results = next(snapshot_root(path).rglob("results"))
    assert len(list(results.glob("*.json"))) == 1 and len(list(results.glob("*.arrow"))) == 1
    assert read_result(store, DEMO_LIBRARY_ID, version, "same")["frame"]["x"].tolist() == [2]


def test_a_result_kept_soon_is_written_after_the_call_returns(kept_store, monkeypatch) -> None:
    """The page that computed a result shows it without waiting for its write; a stopping
    server (wait_for_snapshots) waits for it."""
    import threading

    import lib.store.snapshot as snapshot

    store, path = kept_store
    version = store.version(DEMO_LIBRARY_ID)
    may_write = threading.Event()
    write = snapshot.write_result

    def slow_write(*args):
        assert may_write.wait(timeout=10)
        return write(*args)
    monkeypatch.setattr(snapshot, "write_result", slow_write)
    write_result_soon(store, DEMO_LIBRARY_ID, version, "soon", {"ids": np.arange(3)})
    assert read_result(store, DEMO_LIBRARY_ID, version, "soon") is MISSING  # not yet written
    may_write.set()
    wait_for_snapshots(timeout=10)
    assert read_result(store, DEMO_LIBRARY_ID, version, "soon")["ids"].tolist() == [0, 1, 2]


def test_the_cli_keeps_what_it_writes(tmp_path: Path, monkeypatch) -> None:
    """`python -m lib demo` (like `import` and `sync`) leaves the new version's snapshot, so the
    dashboard's first open of it reads files instead of rebuilding."""
    from lib.cli import main

    path = tmp_path / "library.duckdb"
    monkeypatch.setenv("LABELSCOPE_DB", str(path))
    assert main(["demo", "--tracks", "300", "--library", "gen"]) == 0
    store = _fresh(path)
    kept = read_snapshot(store, store.library("gen"))
    assert kept is not None and kept.track_count == 300
