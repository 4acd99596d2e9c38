"""The library store: one DuckDB file holding every library, schema-versioned.

Every row belongs to a library (``library_id``): ``demo`` (the generated demo), ``local`` (imports
from files and the CLI) or ``spotify:<user id>`` (one per connected Spotify account). A library is
written whole by :func:`replace_library` or :func:`merge_library`, each one transaction, so a failed
import or sync leaves the previous contents untouched. Each write bumps the library's ``version``,
which caches key on.

The path is ``data/library.duckdb`` unless the ``LABELSCOPE_DB`` environment variable says otherwise.

Connections are short-lived so that several processes share the file (the dashboard, a second
dashboard, ``python -m lib import|export|info|sync`` from cron): DuckDB lets one process write a
file or many processes read it, never both, so a :class:`Store` holds no connection between calls.
Reads open the file read-only, writes open it read-write for the one transaction; a call that
finds the file locked by another process retries for up to ``$LABELSCOPE_DB_WAIT`` seconds
(default 20) and then raises :class:`StoreBusyError`, one sentence naming that process.
"""

from __future__ import annotations

import os
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Mapping, TypeVar

import duckdb
import pandas as pd

T = TypeVar("T")
LOCAL_LIBRARY_ID = "local"  # imports from files and the CLI go here
DEFAULT_DB_PATH = Path(__file__).resolve().parents[2] / "data" / "library.duckdb"

AUDIO_FEATURES: tuple[str, ...] = (
    "danceability", "energy", "speechiness", "acousticness", "instrumentalness",
    "liveness", "valence", "tempo", "loudness", "key", "mode", "time_signature",
)

# Each entity table, its key columns and its value columns (besides library_id).
# The order of the value columns is the order of the frames passed to replace/merge.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "tracks": (("track_id",), ("name", "album_id", "duration_ms", "explicit", "popularity",
                                "isrc", "disc_number", "track_number", "source")),
    "albums": (("album_id",), ("name", "release_date", "release_year", "image_url", "label_raw",
                                "upc", "album_type", "source", "label_source")),
    "artists": (("artist_id",), ("name", "image_url", "source")),
    "track_artists": (("track_id", "artist_id"), ("position",)),
    "album_artists": (("album_id", "artist_id"), ("position",)),
    "artist_genres": (("artist_id", "genre"), ("position", "source")),
    "playlists": (("playlist_id",), ("name", "owner", "description", "image_url", "source")),
    "playlist_tracks": (("playlist_id", "track_id"), ("position", "added_at")),
    "liked": (("track_id",), ("added_at", "source")),
    "scores": (("track_id",), ("score", "plays", "ms_played", "source")),
    "audio_features": (("track_id",), AUDIO_FEATURES + ("source",)),
}

# Forward migrations: MIGRATIONS[i] brings a file from schema version i to i + 1.
MIGRATIONS: list[str] = [
    # 0 -> 1: the library model.
    """
    CREATE TABLE libraries (
        library_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        version BIGINT NOT NULL DEFAULT 0, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ,
        description VARCHAR
    );
    CREATE TABLE tracks (
        library_id VARCHAR NOT NULL, track_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
        album_id VARCHAR, duration_ms BIGINT, explicit BOOLEAN, popularity DOUBLE, isrc VARCHAR,
        disc_number INTEGER, track_number INTEGER, source VARCHAR,
        PRIMARY KEY (library_id, track_id)
    );
    CREATE TABLE albums (
        library_id VARCHAR NOT NULL, album_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
        release_date VARCHAR, release_year INTEGER, image_url VARCHAR, label_raw VARCHAR,
        upc VARCHAR, album_type VARCHAR, source VARCHAR,
        PRIMARY KEY (library_id, album_id)
    );
    CREATE TABLE artists (
        library_id VARCHAR NOT NULL, artist_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
        image_url VARCHAR, source VARCHAR,
        PRIMARY KEY (library_id, artist_id)
    );
    CREATE TABLE track_artists (
        library_id VARCHAR NOT NULL, track_id VARCHAR NOT NULL, artist_id VARCHAR NOT NULL,
        position INTEGER NOT NULL, PRIMARY KEY (library_id, track_id, artist_id)
    );
    CREATE TABLE album_artists (
        library_id VARCHAR NOT NULL, album_id VARCHAR NOT NULL, artist_id VARCHAR NOT NULL,
        position INTEGER NOT NULL, PRIMARY KEY (library_id, album_id, artist_id)
    );
    CREATE TABLE artist_genres (
        library_id VARCHAR NOT NULL, artist_id VARCHAR NOT NULL, genre VARCHAR NOT NULL,
        position INTEGER, source VARCHAR, PRIMARY KEY (library_id, artist_id, genre)
    );
    CREATE TABLE playlists (
        library_id VARCHAR NOT NULL, playlist_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
        owner VARCHAR, description VARCHAR, image_url VARCHAR, source VARCHAR,
        PRIMARY KEY (library_id, playlist_id)
    );
    CREATE TABLE playlist_tracks (
        library_id VARCHAR NOT NULL, playlist_id VARCHAR NOT NULL, track_id VARCHAR NOT NULL,
        position INTEGER, added_at TIMESTAMPTZ, PRIMARY KEY (library_id, playlist_id, track_id)
    );
    CREATE TABLE liked (
        library_id VARCHAR NOT NULL, track_id VARCHAR NOT NULL, added_at TIMESTAMPTZ,
        source VARCHAR, PRIMARY KEY (library_id, track_id)
    );
    CREATE TABLE scores (
        library_id VARCHAR NOT NULL, track_id VARCHAR NOT NULL, score DOUBLE NOT NULL,
        plays INTEGER, ms_played BIGINT, source VARCHAR, PRIMARY KEY (library_id, track_id)
    );
    CREATE TABLE audio_features (
        library_id VARCHAR NOT NULL, track_id VARCHAR NOT NULL,
        danceability DOUBLE, energy DOUBLE, speechiness DOUBLE, acousticness DOUBLE,
        instrumentalness DOUBLE, liveness DOUBLE, valence DOUBLE, tempo DOUBLE, loudness DOUBLE,
        key INTEGER, mode INTEGER, time_signature INTEGER, source VARCHAR,
        PRIMARY KEY (library_id, track_id)
    );
    """,
    # 1 -> 2: user corrections of the record-label grouping (lib/labels/), applied in edit_id
    # order on every load. Not in TABLES: replacing or merging a library's data keeps them.
    """
    CREATE TABLE label_edits (
        library_id VARCHAR NOT NULL, edit_id INTEGER NOT NULL, action VARCHAR NOT NULL,
        source_key VARCHAR NOT NULL, target_key VARCHAR, raw VARCHAR, name VARCHAR,
        source_name VARCHAR, target_name VARCHAR, created_at TIMESTAMPTZ,
        PRIMARY KEY (library_id, edit_id)
    );
    """,
    # 2 -> 3: answers of remote services (Spotify albums/artists, ReccoBeats, MusicBrainz), kept
    # so a re-run or an interrupted sync asks each id once (lib/spotify/cache.py). Catalogue data
    # only, never tokens or personal lists. Not in TABLES: library writes leave it alone.
    """
    CREATE TABLE remote_cache (
        provider VARCHAR NOT NULL, key VARCHAR NOT NULL, status VARCHAR NOT NULL,
        payload VARCHAR, fetched_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (provider, key)
    );
    """,
    # 3 -> 4: the last version of each deleted library, so a library deleted and written again
    # never reuses a version number (caches key on it).
    """
    CREATE TABLE deleted_libraries (
        library_id VARCHAR PRIMARY KEY, last_version BIGINT NOT NULL
    );
    """,
    # 4 -> 5: per library, the user's answer to "send these ids to this third-party service?"
    # (lib/enrichment/consent.py): 'yes' runs the provider after each sync or import, 'no' stops
    # asking. Not in TABLES: replacing or merging a library's data keeps the answers.
    """
    CREATE TABLE enrichment_consent (
        library_id VARCHAR NOT NULL, provider VARCHAR NOT NULL, answer VARCHAR NOT NULL,
        decided_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (library_id, provider)
    );
    """,
    # 5 -> 6: where an album's label came from when an enrichment provider filled it
    # (musicbrainz, imported); NULL means the album's own source (Spotify, Exportify…).
    """
    ALTER TABLE albums ADD COLUMN label_source VARCHAR;
    """,
    # -> +1: saved cluster maps (lib/clusters/maps.py): a clustering kept under a name (its
    # definition as JSON) and each clustered track's cluster. Not in TABLES: replacing or merging
    # a library's data keeps them, so a map reopens after a re-import.
    """
    CREATE TABLE cluster_maps (
        library_id VARCHAR NOT NULL, map_id INTEGER NOT NULL, name VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL, definition VARCHAR NOT NULL,
        PRIMARY KEY (library_id, map_id)
    );
    CREATE TABLE cluster_map_tracks (
        library_id VARCHAR NOT NULL, map_id INTEGER NOT NULL, track_id VARCHAR NOT NULL,
        cluster INTEGER NOT NULL, PRIMARY KEY (library_id, map_id, track_id)
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

# What a library owns besides its data (TABLES): kept when its data is replaced or merged,
# deleted with the library.
LIBRARY_OWNED_TABLES: tuple[str, ...] = ("label_edits", "enrichment_consent", "cluster_maps",
                                         "cluster_map_tracks")


class StoreError(RuntimeError):
    """A library could not be written; the previous contents are unchanged."""


class StoreBusyError(StoreError):
    """Another process held the library file past the wait; ``str()`` is one sentence for users."""


DEFAULT_WAIT_S = 20.0


def wait_seconds() -> float:
    """How long a call waits for a file another process holds: ``$LABELSCOPE_DB_WAIT`` or 20."""
    try:
        return max(0.0, float(os.environ.get("LABELSCOPE_DB_WAIT", DEFAULT_WAIT_S)))
    except ValueError:
        return DEFAULT_WAIT_S


def db_path() -> Path:
    """The DuckDB file in use: ``$LABELSCOPE_DB`` or ``data/library.duckdb``."""
    env = os.environ.get("LABELSCOPE_DB")
    return Path(env).expanduser() if env else DEFAULT_DB_PATH


@dataclass
class LibraryData:
    """One library's contents as plain frames, keyed like :data:`TABLES`.

    Missing tables are treated as empty. Frames may carry extra columns; only the columns named in
    :data:`TABLES` are written, and absent ones are written as NULL.
    """

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    def get(self, table: str) -> pd.DataFrame:
        keys, values = TABLES[table]
        frame = self.frames.get(table)
        if frame is None:
            return pd.DataFrame(columns=list(keys + values))
        return frame

    def count(self, table: str) -> int:
        frame = self.frames.get(table)
        return 0 if frame is None else len(frame)


@dataclass(frozen=True)
class LibraryInfo:
    library_id: str
    name: str
    kind: str
    version: int
    updated_at: datetime | None
    description: str | None


class Store:
    """A handle on the DuckDB file; holds no connection between calls (see the module docstring).

    Thread-safe: inside one process, reads share the file and a write waits for them (DuckDB
    refuses a read-only and a read-write connection to one file in one process at once).
    ``:memory:`` stores keep one connection (nothing else can open them).
    """

    def __init__(self, path: Path | str | None = None, *, wait: float | None = None) -> None:
        self.path = Path(path) if path is not None else db_path()
        self.wait = wait_seconds() if wait is None else wait
        self._memory = str(self.path) == ":memory:"
        self._con = duckdb.connect(":memory:") if self._memory else None
        if not self._memory:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._gate = _gate_of(self.path)
        self._memo: dict[tuple, tuple[tuple, object]] = {}  # see _while_unchanged
        self._memo_lock = threading.Lock()
        self.migrate()

    # -- schema -----------------------------------------------------------------------------
    def schema_version(self) -> int:
        if not self._memory and not self.path.exists():
            return 0
        with self.reader() as cur:
            return _schema_version(cur)

    def migrate(self) -> int:
        """Apply every forward migration the file lacks, each in its own transaction.

        A file that is up to date is only read (so starting a process never waits for a writer
        longer than a read does)."""
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this labelscope "
                f"({SCHEMA_VERSION}); upgrade labelscope or point LABELSCOPE_DB elsewhere."
            )
        if current == SCHEMA_VERSION:
            return SCHEMA_VERSION
        with self.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMPTZ)"
            )
            current = _schema_version(cur)
            for version in range(current, SCHEMA_VERSION):
                cur.execute("BEGIN TRANSACTION")
                try:
                    cur.execute(MIGRATIONS[version])
                    cur.execute("INSERT INTO schema_version VALUES (?, ?)", [version + 1, _now()])
                    cur.execute("COMMIT")
                except Exception:
                    cur.execute("ROLLBACK")
                    raise
            return SCHEMA_VERSION

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection for one unit of work; the file is locked until it closes.

        Keep the block short (a transaction, not a computation): other processes wait for it."""
        with self._connection(write=True) as con:
            yield con

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection: readers in this and other processes share the file."""
        with self._connection(write=False) as con:
            yield con

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._memory:
            cur = self._con.cursor()
            try:
                yield cur
            finally:
                cur.close()
            return
        held = _held.__dict__.setdefault("by_path", {})
        key = str(self.path.resolve())
        outer = held.get(key)
        if outer is not None:  # nested call in this thread: reuse its connection
            con, outer_write = outer
            if write and not outer_write:
                raise RuntimeError("a store write inside a read of the same thread")
            cur = con.cursor()
            try:
                yield cur
            finally:
                cur.close()
            return
        deadline = time.monotonic() + self.wait
        with self._gate.hold(write=write):
            con = _connect(self.path, read_only=not write, deadline=deadline)
            held[key] = (con, write)
            try:
                yield con
            finally:
                del held[key]
                con.close()

    def query(self, sql: str, params: list | tuple | None = None) -> pd.DataFrame:
        """Run a read query and return a frame."""
        with self.reader() as cur:
            return cur.execute(sql, params or []).df()

    def close(self) -> None:
        """Release the store (a no-op for files: no connection is held between calls)."""
        if self._con is not None:
            self._con.close()

    # -- libraries --------------------------------------------------------------------------
    def libraries(self) -> list[LibraryInfo]:
        """Every library in the file, by id. Cheap when the file has not changed: the answer is
        kept until the file's (or its write-ahead log's) size or modification time changes."""
        def read() -> list[LibraryInfo]:
            rows = self.query(
                "SELECT library_id, name, kind, version, updated_at, description FROM libraries "
                "ORDER BY library_id")
            return [LibraryInfo(r.library_id, r.name, r.kind, int(r.version),
                                None if pd.isna(r.updated_at) else r.updated_at, r.description)
                    for r in rows.itertuples()]
        return list(self._while_unchanged(("libraries",), read))

    def query_while_unchanged(self, sql: str, params: list | tuple = ()) -> pd.DataFrame:
        """:meth:`query`, its answer kept until the file changes (see :meth:`_signature`): pages
        ask for the saved maps on every rerun, and opening a connection costs more than the
        question. Treat the frame as read-only: it is shared."""
        return self._while_unchanged((sql, tuple(params)), lambda: self.query(sql, list(params)))

    def _while_unchanged(self, key: tuple, read: Callable[[], T]) -> T:
        signature = self._signature()
        with self._memo_lock:
            memo = self._memo.get(key)
        if signature is not None and memo is not None and memo[0] == signature:
            return memo[1]
        value = read()
        with self._memo_lock:
            if signature is None:
                self._memo.pop(key, None)
            else:
                if len(self._memo) > 256:  # bounded: params come from URLs (library ids)
                    self._memo.clear()
                self._memo[key] = (signature, value)
        return value

    def _signature(self) -> tuple | None:
        """(size, mtime) of the file and its WAL; None when it cannot be trusted: in memory, or
        changed within the last second (file times are only as fine as the kernel's clock tick)."""
        if self._memory:
            return None
        parts = []
        for path in (self.path, Path(f"{self.path}.wal")):
            try:
                st = path.stat()
            except OSError:
                parts.append(None)
                continue
            if time.time() - st.st_mtime < 1.0:
                return None
            parts.append((st.st_ino, st.st_size, st.st_mtime_ns))
        return tuple(parts)

    def library(self, library_id: str) -> LibraryInfo | None:
        return next((library for library in self.libraries() if library.library_id == library_id), None)

    def version(self, library_id: str) -> int:
        """The library's version; -1 when it does not exist. Cheap (two ``stat`` calls while the
        file is unchanged, see :meth:`libraries`): pages call it on every run."""
        info = self.library(library_id)
        return -1 if info is None else info.version

    def counts(self, library_id: str) -> dict[str, int]:
        with self.reader() as cur:
            return {table: int(cur.execute(
                f"SELECT count(*) FROM {table} WHERE library_id = ?", [library_id]).fetchone()[0])
                for table in TABLES}

    def replace_library(self, library_id: str, data: LibraryData, *, name: str, kind: str,
                        description: str | None = None) -> int:
        """Replace the library's whole contents with ``data`` in one transaction.

        Returns the new version. On any error the previous contents stay exactly as they were and a
        :class:`StoreError` names the table that could not be written.
        """
        return self._write(library_id, data, name=name, kind=kind, description=description,
                           replace=True)

    def merge_library(self, library_id: str, data: LibraryData, *, name: str, kind: str,
                      description: str | None = None) -> int:
        """Merge ``data`` into the library in one transaction, deduplicating by key.

        New rows are added; for rows already there, values in ``data`` fill the gaps (NULLs) of the
        stored row and never erase a known value with NULL. Returns the new version.
        """
        return self._write(library_id, data, name=name, kind=kind, description=description,
                           replace=False)

    def delete_library(self, library_id: str) -> None:
        """Delete the library and all it owns (label edits, enrichment answers, saved cluster
        maps) in one transaction."""
        with self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                for table in (*TABLES, *LIBRARY_OWNED_TABLES):
                    cur.execute(f"DELETE FROM {table} WHERE library_id = ?", [library_id])
                cur.execute(
                    "INSERT INTO deleted_libraries SELECT library_id, version FROM libraries "
                    "WHERE library_id = ? ON CONFLICT (library_id) DO UPDATE "
                    "SET last_version = excluded.last_version", [library_id])
                cur.execute("DELETE FROM libraries WHERE library_id = ?", [library_id])
                cur.execute("COMMIT")
            except Exception:
                cur.execute("ROLLBACK")
                raise
        from lib.store.snapshot import remove_snapshots  # snapshot reads this module's types
        remove_snapshots(self, library_id)  # its frames too, not only its rows

    @contextmanager
    def changing(self, library_id: str) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction that changes a library outside replace/merge (e.g. alias edits) and
        bumps its version with the change: another process never reads the change under the
        old version (and keeps a snapshot of it as that version), and a crash loses both."""
        with self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                cur.execute("UPDATE libraries SET version = version + 1, updated_at = ? "
                            "WHERE library_id = ?", [_now(), library_id])
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    def touch(self, library_id: str) -> int:
        """Bump a library's version (see :meth:`changing`); returns the new version."""
        with self.changing(library_id):
            pass
        return self.version(library_id)

    def _write(self, library_id: str, data: LibraryData, *, name: str, kind: str,
               description: str | None, replace: bool) -> int:
        with self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            table = "libraries"
            try:
                now = _now()
                cur.execute(
                    "INSERT INTO libraries VALUES (?, ?, ?, coalesce((SELECT last_version FROM "
                    "deleted_libraries WHERE library_id = ?), 0), ?, ?, ?) "
                    "ON CONFLICT (library_id) "
                    "DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                    "description = coalesce(excluded.description, libraries.description)",
                    [library_id, name, kind, library_id, now, now, description],
                )
                for table in TABLES:
                    if replace:
                        cur.execute(f"DELETE FROM {table} WHERE library_id = ?", [library_id])
                    frame = data.frames.get(table)
                    if frame is not None and len(frame):
                        _insert(cur, table, library_id, frame, replace=replace)
                table = "libraries"
                cur.execute("UPDATE libraries SET version = version + 1, updated_at = ? "
                            "WHERE library_id = ?", [now, library_id])
                version = int(cur.execute("SELECT version FROM libraries WHERE library_id = ?",
                                          [library_id]).fetchone()[0])
                cur.execute("COMMIT")
                return version
            except Exception as exc:
                cur.execute("ROLLBACK")
                raise StoreError(
                    f"Could not write table '{table}' of library '{library_id}': {exc}. "
                    "The library was left as it was."
                ) from exc


def _schema_version(cur: duckdb.DuckDBPyConnection) -> int:
    exists = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return int(cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])


# -- connections ---------------------------------------------------------------------------------
_held = threading.local()  # path -> (connection, write) this thread has open (nested calls reuse it)


class _Gate:
    """Inside one process: any number of readers or one writer per file (writers go first)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def hold(self, *, write: bool) -> Iterator[None]:
        with self._cond:
            if write:
                self._writers_waiting += 1
                self._cond.wait_for(lambda: not self._writing and self._readers == 0)
                self._writers_waiting -= 1
                self._writing = True
            else:
                self._cond.wait_for(lambda: not self._writing and not self._writers_waiting)
                self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                if write:
                    self._writing = False
                else:
                    self._readers -= 1
                self._cond.notify_all()


_gates: dict[str, _Gate] = {}
_gates_lock = threading.Lock()


def _gate_of(path: Path) -> _Gate:
    key = str(path) if str(path) == ":memory:" else str(path.resolve())
    with _gates_lock:
        return _gates.setdefault(key, _Gate())


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")


def _connect(path: Path, *, read_only: bool, deadline: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds it, until ``deadline``."""
    delay = 0.01
    while True:
        if read_only and not path.exists():
            read_only = False  # a new file: the first connection creates it
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            text = str(exc)
            if "lock" not in text.lower() and "different configuration" not in text:
                raise
            if time.monotonic() >= deadline:
                raise StoreBusyError(_busy_message(path, text)) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def _busy_message(path: Path, error: str) -> str:
    """One sentence naming the process that holds the file (from DuckDB's lock error)."""
    match = _LOCK_HOLDER.search(error)
    who = "another program"
    if match:
        pid = match.group("pid")
        command = _command_line(int(pid)) or Path(match.group("exe")).name
        who = f"another program ({command}, process {pid})"
    return (f"The library file {path} is in use by {who}; try again when it has finished "
            "(or set LABELSCOPE_DB_WAIT to wait longer).")


def _command_line(pid: int) -> str | None:
    """``python -m lib import …`` / ``streamlit run app.py`` for a process id, where /proc says."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    args = [a for a in raw.decode("utf-8", "replace").split("\0") if a]
    if not args:
        return None
    args[0] = Path(args[0]).name
    if len(args) > 2 and args[1].endswith("streamlit"):  # .../bin/streamlit run app.py
        args = ["streamlit", *args[2:]]
    text = " ".join(args)
    return text if len(text) <= 80 else text[:79] + "…"


def _insert(cur: duckdb.DuckDBPyConnection, table: str, library_id: str, frame: pd.DataFrame,
            *, replace: bool) -> None:
    keys, values = TABLES[table]
    columns = keys + values
    # A column with no known value is written as untyped NULLs (an all-NaN float column would
    # otherwise not fit a VARCHAR column).
    staged = pd.DataFrame({c: frame[c].to_numpy()
                           if c in frame.columns and frame[c].notna().any() else None
                           for c in columns})
    # Duplicate keys inside one write: keep the first occurrence (primary artist first, etc.).
    staged = staged.drop_duplicates(subset=list(keys), keep="first")
    cols = ", ".join(columns)
    select = ", ".join(f'staged."{c}"' for c in columns)
    if replace or not values:
        conflict = "NOTHING"
    else:
        # Later data fills gaps, never erases a known value.
        conflict = "UPDATE SET " + ", ".join(
            f"{v} = coalesce({table}.{v}, excluded.{v})" for v in values)
    # DuckDB reads the local frame `staged` by name (replacement scan).
    cur.execute(f"INSERT INTO {table} (library_id, {cols}) SELECT ?, {select} FROM staged "
                f"ON CONFLICT DO {conflict}", [library_id])


def _now() -> datetime:
    return datetime.now(timezone.utc)


def frames_of(data: Mapping[str, pd.DataFrame]) -> LibraryData:
    """Convenience: wrap a dict of frames, checking the table names."""
    unknown = set(data) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown tables: {sorted(unknown)}")
    return LibraryData(dict(data))
