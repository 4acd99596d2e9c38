"""Library snapshots: the frames :func:`lib.store.library.load_library` builds, kept beside the
store as Arrow files, one folder per library version.

A fresh process (a restarted dashboard, a second server, the CLI) otherwise rebuilds every frame
from the normalised tables: at 300k tracks that is the tracks query's joins and list aggregations
plus the label merging and the entity groupings, about 4 s of CPU. Reading the snapshot is a
memory-mapped Arrow read and one conversion to pandas.

Layout: ``<store file>.snapshots/<hash of the library id>/<version>-<updated at>-<code>/`` holding
``library/`` (one ``<frame>.arrow`` per frame of :class:`~lib.store.library.Library` and
``library.json``: the track count and the label index) and ``results/`` (see "per-version
results" below).

- The folder name holds the library's version and the time of its last write, so a library
  rewritten in a new file of the same name never meets a snapshot of the old one, and ``code``
  (a hash of every module of ``lib``) so another labelscope never reads this one's layout.
- Library ids are hashed: a hosted session's id is its secret (``session:<token>``).
- A snapshot is written to a temporary folder and renamed into place (atomic on one file
  system), so a reader in another process sees all of it or none of it. Older versions of the
  same library are removed after a write; a process still reading one keeps its memory-mapped
  files until it is done (POSIX unlink semantics).
- Snapshots are a cache: any failure to read one (missing, damaged, another format) rebuilds the
  frames, and a failure to write one (read-only folder, full disk) is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, fields, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather

from lib.labels import LabelEdit, LabelIndex

if TYPE_CHECKING:
    from lib.store.db import LibraryInfo, Store
    from lib.store.library import Library

# One record batch per file: a dictionary-encoded column's distinct lists are in every batch's
# dictionary, and converting them once per batch cost 3–5× at 300k tracks.
_ONE_BATCH = 2 ** 31 - 1
FRAMES = ("tracks", "artists", "albums", "playlists", "playlist_tracks", "labels", "genres")


def _code_hash() -> str:
    """A hash of every module of ``lib``: frames and results built by other code are not read."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE = _code_hash()


def snapshot_root(db: Path | str) -> Path | None:
    """The folder holding the snapshots of the store file ``db`` (None for ``:memory:``)."""
    if str(db) == ":memory:":
        return None
    db = Path(db)
    return db.parent / f"{db.name}.snapshots"


def _library_folder(store: Store, library_id: str) -> Path | None:
    root = snapshot_root(store.path)
    if root is None:
        return None
    return root / hashlib.sha256(library_id.encode()).hexdigest()[:24]


def _version_name(info: LibraryInfo) -> str:
    written = info.updated_at.timestamp() if info.updated_at is not None else 0.0
    return f"{info.version}-{written:.6f}-{CODE}"


def read_snapshot(store: Store, info: LibraryInfo) -> Library | None:
    """The library as its snapshot holds it, or None when there is no usable snapshot."""
    from lib.store.library import Library

    folder = _library_folder(store, info.library_id)
    if folder is None:
        return None
    path = folder / _version_name(info) / "library"
    try:
        frames = {name: frame_of(feather.read_table(path / f"{name}.arrow", memory_map=True))
                  for name in FRAMES if name != "tracks"}
        meta = json.loads((path / "library.json").read_text("utf-8"))
        index, track_count = _index_of(meta["label_index"]), int(meta["track_count"])
        # Opened now, read when a page first asks for the tracks: the open file outlives a
        # newer version's write removing this folder.
        tracks_file = pa.memory_map(str(path / "tracks.arrow"))
        pa.ipc.open_file(tracks_file)  # its footer: a cut-off file fails here, not on first use
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None

    def read_tracks() -> pd.DataFrame:
        try:
            tracks_file.seek(0)
            return frame_of(feather.read_table(tracks_file))
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            # Damaged inside: build them from the store (the edits given: no snapshot involved).
            from lib.store.library import load_library
            return load_library(store, info.library_id, list(index.edits)).tracks

    return Library(library_id=info.library_id, version=info.version, track_count=track_count,
                   read_tracks=read_tracks, label_index=index, **frames)


def write_snapshot(store: Store, info: LibraryInfo, library: Library) -> Path | None:
    """Keep ``library`` (built at ``info``'s version) as that version's snapshot; remove the
    library's older snapshots. Returns the folder, or None when nothing could be written."""
    folder = _library_folder(store, info.library_id)
    if folder is None:
        return None
    version = folder / _version_name(info)
    final = version / "library"
    if final.exists():
        return final
    try:
        version.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=version))
        try:
            for name in FRAMES:
                feather.write_feather(arrow_of(getattr(library, name)),
                                      staging / f"{name}.arrow", compression="lz4", chunksize=_ONE_BATCH)
            (staging / "library.json").write_text(json.dumps(
                {"track_count": library.track_count,
                 "label_index": _index_json(library.label_index)}), "utf-8")
            os.rename(staging, final)
        except OSError:
            if final.exists():  # another process wrote the same version first
                return final
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except (OSError, ValueError, TypeError, pa.ArrowException):
        return None
    _remove_older(folder, info.version, keep=version)
    return final


_writers: set[threading.Thread] = set()
_writers_lock = threading.Lock()


def _in_background(name: str, write: Callable[[], object]) -> None:
    def run() -> None:
        try:
            write()
        finally:
            with _writers_lock:
                _writers.discard(thread)

    thread = threading.Thread(target=run, name=name, daemon=True)
    with _writers_lock:
        _writers.add(thread)
    thread.start()


def write_snapshot_soon(store: Store, info: LibraryInfo, library: Library) -> None:
    """:func:`write_snapshot` on a background thread: the page that built the library shows
    it without waiting for the write (about 1 s at 300k tracks)."""
    _in_background("labelscope-snapshot", lambda: write_snapshot(store, info, library))


def write_result_soon(store: Store, library_id: str, version: int, key: str,
                      value: object) -> None:
    """:func:`write_result` on a background thread: the page that computed ``value`` shows it
    without waiting for the write (~70 ms for a clustering of 300k tracks). Treat ``value`` as
    read-only from now on, as every cached result."""
    _in_background("labelscope-result",
                   lambda: write_result(store, library_id, version, key, value))


def wait_for_snapshots(timeout: float | None = None) -> None:
    """Wait until the snapshots and results being written in the background are written."""
    with _writers_lock:
        pending = list(_writers)
    for thread in pending:
        thread.join(timeout)


def remove_snapshots(store: Store, library_id: str) -> None:
    """Remove every snapshot of the library (it was deleted)."""
    folder = _library_folder(store, library_id)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_older(folder: Path, version: int, keep: Path) -> None:
    """Remove the library's other versions up to ``version`` (with anything a crashed write
    left in them); a newer one another process just wrote stays."""
    for other in folder.iterdir():
        head = other.name.split("-", 1)[0]
        if other != keep and head.isdigit() and int(head) <= version:
            shutil.rmtree(other, ignore_errors=True)


def arrow_of(frame: pd.DataFrame, *, index: bool = False) -> pa.Table:
    """A frame as Arrow, with pandas' metadata (nullable dtypes come back as they were).

    List columns are dictionary-encoded: each distinct list once, one int32 code per row. At 300k
    tracks there are about 80k distinct artist lists, a few hundred genre lists and a hundred
    label lists, and :func:`frame_of` builds each distinct list once instead of one per row (the
    bulk of reading a tracks frame).
    """
    table = pa.Table.from_pandas(frame, preserve_index=None if index else False)
    for i, field in enumerate(table.schema):
        if not (pa.types.is_list(field.type) or pa.types.is_large_list(field.type)):
            continue
        if field.name not in frame.columns or table.column(i).null_count:
            continue
        table = table.set_column(i, field.name, _distinct_lists(table.column(i).combine_chunks(),
                                                                frame[field.name]))
    return table.combine_chunks()  # pandas' Arrow-backed strings keep DuckDB's 122,880-row chunks


def _distinct_lists(lists: pa.Array, values: pd.Series) -> pa.DictionaryArray:
    """``lists`` as one code per row into its distinct lists. Grouped in Arrow by a key of each
    list's length and its items joined; a key two different lists share (an item containing the
    separator) fails the check and the rows are grouped in Python instead."""
    if pa.types.is_string(lists.type.value_type) or pa.types.is_large_string(lists.type.value_type):
        key = pc.binary_join_element_wise(pc.cast(pc.list_value_length(lists), pa.string()),
                                          pc.binary_join(lists, "\x1f"), "\x1e")
        encoded = pc.dictionary_encode(key).combine_chunks() \
            if isinstance(key, pa.ChunkedArray) else pc.dictionary_encode(key)
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        _, first = np.unique(codes, return_index=True)
        uniques = lists.take(pa.array(first))
        if uniques.take(pa.array(codes)).equals(lists):
            return pa.DictionaryArray.from_arrays(pa.array(codes), uniques)
    seen: dict[tuple, int] = {}
    codes = np.fromiter((seen.setdefault(tuple(v), len(seen)) for v in values),
                        dtype=np.int32, count=len(values))
    return pa.DictionaryArray.from_arrays(pa.array(codes),
                                          pa.array([list(v) for v in seen], type=lists.type))


def frame_of(table: pa.Table) -> pd.DataFrame:
    """An Arrow table written by :func:`arrow_of` as pandas again; list columns as Python lists
    (what the pages' code iterates), not the NumPy arrays ``to_pandas`` would give. Rows with the
    same list share one list object: treat them as read-only, like every frame of a Library."""
    lists = [f.name for f in table.schema if _is_list_column(f.type)]
    frame = table.drop_columns(lists).to_pandas()
    for name in lists:
        frame[name] = _python_lists(table.column(name))
    meta = table.schema.pandas_metadata or {}
    index = {c for c in meta.get("index_columns", ()) if isinstance(c, str)}
    return frame[[c for c in table.column_names if c not in index]]


def _is_list_column(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.types.is_list(kind) or pa.types.is_large_list(kind)


def _python_lists(column: pa.ChunkedArray) -> list | np.ndarray:
    if not pa.types.is_dictionary(column.type):
        return column.to_pylist()
    parts = []
    for chunk in column.chunks:
        uniques = chunk.dictionary.to_pylist()
        shared = np.empty(len(uniques), dtype=object)
        for i, values in enumerate(uniques):  # not shared[:] = uniques: equal lengths broadcast
            shared[i] = values
        parts.append(shared[chunk.indices.to_numpy(zero_copy_only=False)])
    return np.concatenate(parts) if parts else np.empty(0, dtype=object)


def _index_json(index: LabelIndex) -> dict:
    return {
        "labels_of_raw": index.labels_of_raw,
        "aliases": {name: list(counts.items()) for name, counts in index.aliases.items()},
        "name_of_key": index.name_of_key,
        "edits": [{**asdict(e), "created_at": e.created_at.isoformat() if e.created_at else None}
                  for e in index.edits],
    }


def _index_of(data: dict) -> LabelIndex:
    names = {f.name for f in fields(LabelEdit)}
    edits = []
    for e in data["edits"]:
        e = {k: v for k, v in e.items() if k in names}
        if e.get("created_at"):
            e["created_at"] = datetime.fromisoformat(e["created_at"])
        edits.append(LabelEdit(**e))
    return LabelIndex(
        labels_of_raw={raw: list(v) for raw, v in data["labels_of_raw"].items()},
        aliases={name: Counter(dict(pairs)) for name, pairs in data["aliases"].items()},
        name_of_key=dict(data["name_of_key"]), edits=tuple(edits))


# -- per-version results ------------------------------------------------------------------------
# What a page derives from one library version (the Home page's overview, the library basis…)
# kept in the version's folder, so a fresh process reads it instead of converting the tracks
# frame to recompute it. The format is JSON for structure, Arrow for frames and .npy for arrays,
# decoded only into the dataclasses the caller names: never pickle, which would run code found in
# a data folder someone shared or planted.

class _Missing:
    pass


MISSING = _Missing()


def _results_folder(store: Store, info: LibraryInfo | None, version: int) -> Path | None:
    """The version's results folder (not created); None when ``version`` is not current."""
    if info is None or info.version != version:
        return None
    folder = _library_folder(store, info.library_id)
    return None if folder is None else folder / _version_name(info) / "results"


def read_result(store: Store, library_id: str, version: int, key: str,
                types: tuple[type, ...] = ()) -> object:
    """The result kept under ``key`` for the library's ``version``, or :data:`MISSING`.
    ``types``: the dataclasses it may contain."""
    folder = _results_folder(store, store.library(library_id), version)
    if folder is None:
        return MISSING
    path = folder / f"{_safe(key)}.json"
    try:
        return _decode(json.loads(path.read_text("utf-8")), path.parent,
                       {t.__qualname__: t for t in types})
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return MISSING


def write_result(store: Store, library_id: str, version: int, key: str, value: object) -> bool:
    """Keep ``value`` under ``key`` in the folder of the library's ``version`` (when that is its
    current version). Frames, series, arrays, bytes, dataclasses, lists, tuples, dicts and scalars; anything
    else (or any failure to write) keeps nothing. Returns whether it was kept."""
    folder = _results_folder(store, store.library(library_id), version)
    if folder is None:
        return False
    results = folder
    try:
        results.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=results))
        try:
            blobs: list[tuple[str, object]] = []
            tree = _encode(value, f"{_safe(key)}-{staging.name}", blobs)
            for name, blob in blobs:  # the blobs first: the JSON is what makes them visible
                if isinstance(blob, bytes):
                    (staging / name).write_bytes(blob)
                elif isinstance(blob, pd.DataFrame):
                    feather.write_feather(arrow_of(blob, index=True), staging / name,
                                          compression="lz4", chunksize=_ONE_BATCH)
                else:
                    np.save(staging / name, blob, allow_pickle=False)
                os.rename(staging / name, results / name)
            (staging / "tree.json").write_text(json.dumps(tree), "utf-8")
            os.rename(staging / "tree.json", results / f"{_safe(key)}.json")
            kept = {name for name, _ in blobs}
            for stale in results.glob(f"{_safe(key)}-.tmp-*"):  # an earlier write of the same key
                if stale.name not in kept:
                    stale.unlink(missing_ok=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except (OSError, ValueError, TypeError, pa.ArrowException):
        return False
    _keep_newest(results, MAX_RESULTS)
    return True


# Results are keyed by what a URL can name (a scope, a k, a seed): without a bound, a visitor
# stepping through seeds would fill the disk (a clustering of 300k tracks is ~15 MB).
MAX_RESULTS = 48


def _keep_newest(results: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently written results of one version folder."""
    try:
        trees = sorted(results.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for tree in trees[keep:]:
            tree.unlink(missing_ok=True)  # the tree first: a reader then misses, never half-reads
            for blob in results.glob(f"{tree.stem}-*"):
                blob.unlink(missing_ok=True)
    except OSError:
        pass


def _safe(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _encode(value: object, prefix: str, blobs: list) -> object:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return {"float": repr(float(value))}  # nan and inf survive
    if isinstance(value, pd.DataFrame):
        name = f"{prefix}-{len(blobs)}.arrow"
        blobs.append((name, value))
        return {"frame": name}
    if isinstance(value, bytes):  # e.g. a chart's data, Arrow-serialised by Streamlit
        name = f"{prefix}-{len(blobs)}.bin"
        blobs.append((name, value))
        return {"bytes": name}
    if isinstance(value, pd.Series):
        name = f"{prefix}-{len(blobs)}.arrow"
        blobs.append((name, value.to_frame("values")))
        return {"series": name, "name": _encode(value.name, prefix, blobs)}
    if isinstance(value, pd.arrays.ArrowStringArray):  # already Arrow: written without a copy
        name = f"{prefix}-{len(blobs)}.arrow"
        blobs.append((name, pd.DataFrame({"values": pd.Series(value, copy=False)})))
        return {"strings": name}
    if isinstance(value, np.ndarray) and value.dtype == object:  # strings: through Arrow
        if value.ndim != 1:
            raise TypeError("object arrays of more than one dimension are not kept")
        name = f"{prefix}-{len(blobs)}.arrow"
        blobs.append((name, pd.DataFrame({"values": pd.Series(value, dtype=object)})))
        return {"objects": name}
    if isinstance(value, np.ndarray):
        name = f"{prefix}-{len(blobs)}.npy"
        blobs.append((name, value))
        return {"array": name}
    if is_dataclass(value) and not isinstance(value, type):
        return {"dataclass": type(value).__qualname__,
                "fields": {f.name: _encode(getattr(value, f.name), prefix, blobs)
                           for f in fields(value)}}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple":
                [_encode(v, prefix, blobs) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[_encode(k, prefix, blobs), _encode(v, prefix, blobs)]
                         for k, v in value.items()]}
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _decode(tree: object, folder: Path, types: dict[str, type]) -> object:
    if tree is None or isinstance(tree, (bool, str, int)):
        return tree
    if not isinstance(tree, dict) or len(tree) not in (1, 2):
        raise ValueError("not a kept result")
    if "float" in tree:
        return float(tree["float"])
    if "frame" in tree:
        return frame_of(feather.read_table(folder / _blob(tree["frame"])))
    if "bytes" in tree:
        return (folder / _blob(tree["bytes"])).read_bytes()
    if "series" in tree:
        frame = frame_of(feather.read_table(folder / _blob(tree["series"])))
        return frame["values"].rename(_decode(tree["name"], folder, types))
    if "strings" in tree:
        column = feather.read_table(folder / _blob(tree["strings"])).column("values")
        return pd.array(column.to_pandas(), dtype="str")
    if "objects" in tree:
        column = feather.read_table(folder / _blob(tree["objects"])).column("values")
        return column.to_numpy(zero_copy_only=False).astype(object)
    if "array" in tree:
        return np.load(folder / _blob(tree["array"]), allow_pickle=False)
    if "dataclass" in tree:
        cls = types[tree["dataclass"]]  # KeyError: a class the caller did not allow
        return cls(**{k: _decode(v, folder, types) for k, v in tree["fields"].items()})
    if "list" in tree:
        return [_decode(v, folder, types) for v in tree["list"]]
    if "tuple" in tree:
        return tuple(_decode(v, folder, types) for v in tree["tuple"])
    if "dict" in tree:
        return {_decode(k, folder, types): _decode(v, folder, types) for k, v in tree["dict"]}
    raise ValueError("not a kept result")


def _blob(name: str) -> str:
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError("not a kept result")
    return name
