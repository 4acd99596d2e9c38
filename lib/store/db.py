"""The library store: one DuckDB file holding every library, schema-versioned.

Every row belongs to a library (``library_id``): ``demo`` (the generated demo), ``local`` (imports
from files and the CLI) or ``spotify:<user id>`` (one per connected Spotify account). A library is
written whole by :func:`replace_library` or :func:`merge_library`, each one transaction, so a failed
import or sync leaves the previous contents untouched. Each write bumps the library's ``version``,
which caches key on.

The path is ``data/library.duckdb`` unless the ``LABELSCOPE_DB`` environment variable says otherwise.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Mapping

import duckdb
import pandas as pd

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
    """A handle on the DuckDB file. Thread-safe: each call uses its own cursor."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else db_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(str(self.path))
        self._write_lock = threading.Lock()
        self.migrate()

    # -- schema -----------------------------------------------------------------------------
    def schema_version(self) -> int:
        with self.cursor() as cur:
            exists = cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
            ).fetchone()[0]
            if not exists:
                return 0
            row = cur.execute("SELECT max(version) FROM schema_version").fetchone()
            return int(row[0] or 0)

    def migrate(self) -> int:
        """Apply every forward migration the file lacks, each in its own transaction."""
        with self._write_lock, self.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMPTZ)"
            )
            current = int(cur.execute("SELECT coalesce(max(version), 0) FROM schema_version")
                          .fetchone()[0])
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has schema version {current}, newer than this labelscope "
                    f"({SCHEMA_VERSION}); upgrade labelscope or point LABELSCOPE_DB elsewhere."
                )
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
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def query(self, sql: str, params: list | tuple | None = None) -> pd.DataFrame:
        """Run a read query and return a frame."""
        with self.cursor() as cur:
            return cur.execute(sql, params or []).df()

    def close(self) -> None:
        self._con.close()

    # -- libraries --------------------------------------------------------------------------
    def libraries(self) -> list[LibraryInfo]:
        rows = self.query(
            "SELECT library_id, name, kind, version, updated_at, description FROM libraries "
            "ORDER BY library_id"
        )
        return [LibraryInfo(r.library_id, r.name, r.kind, int(r.version),
                            None if pd.isna(r.updated_at) else r.updated_at, r.description)
                for r in rows.itertuples()]

    def library(self, library_id: str) -> LibraryInfo | None:
        return next((library for library in self.libraries() if library.library_id == library_id), None)

    def version(self, library_id: str) -> int:
        """The library's version; -1 when it does not exist. Cheap: pages call it on every run."""
        with self.cursor() as cur:
            row = cur.execute("SELECT version FROM libraries WHERE library_id = ?",
                              [library_id]).fetchone()
        return -1 if row is None else int(row[0])

    def counts(self, library_id: str) -> dict[str, int]:
        with self.cursor() as cur:
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
        with self._write_lock, self.cursor() as cur:
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

    def touch(self, library_id: str) -> int:
        """Bump a library's version after a change made outside replace/merge (e.g. alias edits)."""
        with self._write_lock, self.cursor() as cur:
            cur.execute("UPDATE libraries SET version = version + 1, updated_at = ? "
                        "WHERE library_id = ?", [_now(), library_id])
        return self.version(library_id)

    def _write(self, library_id: str, data: LibraryData, *, name: str, kind: str,
               description: str | None, replace: bool) -> int:
        with self._write_lock, self.cursor() as cur:
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
