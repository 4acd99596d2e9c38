"""A loaded library: one denormalised tracks frame plus entity tables, ready for the pages.

:func:`load_library` reads one library from the store. Pages get it through :mod:`ui.cache`,
keyed by (database, library id, version), so it is built once per library version.

Tracks frame columns (one row per track):
``track_id, track_name, album_id, album_name, release_date, release_year, image_url,
artist_ids, artist_names (lists, primary artist first), artists (joined), primary_artist_id,
primary_artist, label_raw, labels (list of standardised labels), label (the first of them),
genres (list, the primary artist's), genre (first genre), liked, liked_at, score (0 when unknown),
plays, has_score, duration_ms, explicit, popularity, isrc, spotify_url``, every audio feature of
:data:`lib.store.db.AUDIO_FEATURES` (NaN when unknown), ``has_features`` and ``features_source``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable
from urllib.parse import quote

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from lib.labels import LabelEdit, LabelIndex, build_label_index, load_label_edits
from lib.store.db import AUDIO_FEATURES, Store
from lib.store.snapshot import read_snapshot, write_snapshot, write_snapshot_soon

TRACKS_SQL = """
WITH ta AS (
    SELECT ta.track_id, list(ta.artist_id ORDER BY ta.position, ta.artist_id) AS artist_ids,
           list(a.name ORDER BY ta.position, ta.artist_id) AS artist_names
    FROM track_artists ta JOIN artists a USING (library_id, artist_id)
    WHERE ta.library_id = $lib GROUP BY ta.track_id
), ag AS (
    SELECT artist_id, list(genre ORDER BY position, genre) AS genres
    FROM artist_genres WHERE library_id = $lib GROUP BY artist_id
)
SELECT t.track_id, t.name AS track_name, t.album_id, al.name AS album_name,
       al.release_date, al.release_year, al.image_url, al.label_raw,
       coalesce(ta.artist_ids, []::VARCHAR[]) AS artist_ids,
       coalesce(ta.artist_names, []::VARCHAR[]) AS artist_names,
       coalesce(ag.genres, []::VARCHAR[]) AS genres,
       lk.track_id IS NOT NULL AS liked, lk.added_at AS liked_at,
       sc.score AS score_raw, sc.plays,
       t.duration_ms, t.explicit, t.popularity, t.isrc,
       {features}, af.source AS features_source
FROM tracks t
LEFT JOIN albums al ON al.library_id = t.library_id AND al.album_id = t.album_id
LEFT JOIN ta ON ta.track_id = t.track_id
LEFT JOIN ag ON ag.artist_id = ta.artist_ids[1]
LEFT JOIN liked lk ON lk.library_id = t.library_id AND lk.track_id = t.track_id
LEFT JOIN scores sc ON sc.library_id = t.library_id AND sc.track_id = t.track_id
LEFT JOIN audio_features af ON af.library_id = t.library_id AND af.track_id = t.track_id
WHERE t.library_id = $lib
ORDER BY t.track_id
""".replace("{features}", ", ".join(f"af.{f}" for f in AUDIO_FEATURES))


@dataclass(frozen=True, eq=False)
class Library:
    """One library version, denormalised. Treat every frame as read-only: it is shared.

    ``tracks`` is built on first use (``read_tracks``): a library read from its snapshot
    (:mod:`lib.store.snapshot`) converts the 300k-row tracks frame only for the pages that need
    it; the entity tables and ``track_count`` are there at once.
    """

    library_id: str
    version: int
    track_count: int
    artists: pd.DataFrame
    albums: pd.DataFrame
    playlists: pd.DataFrame
    playlist_tracks: pd.DataFrame
    labels: pd.DataFrame
    genres: pd.DataFrame
    label_index: LabelIndex
    read_tracks: Callable[[], pd.DataFrame] = field(repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def tracks(self) -> pd.DataFrame:
        """The tracks frame (see the module docstring for its columns)."""
        with self._lock:  # two sessions opening one library convert it once
            if "tracks" not in self.__dict__:
                self.__dict__["tracks"] = self.read_tracks()
            return self.__dict__["tracks"]

    @property
    def is_empty(self) -> bool:
        return self.track_count == 0

    def __getstate__(self) -> dict:
        # Pickled for the export's worker processes: they get the frame, not a file reader.
        state = {k: v for k, v in self.__dict__.items() if k not in ("tracks", "_lock")}
        return {**state, "read_tracks": Ready(self.tracks)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _lock=threading.Lock())


class Ready:
    """``read_tracks`` of a frame already built (a class, not a lambda: it pickles)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __call__(self) -> pd.DataFrame:
        return self.frame


def load_library(store: Store, library_id: str,
                 label_overrides: dict[str, str] | list[LabelEdit] | None = None, *,
                 keep_in_background: bool = False) -> Library:
    """Read one library from the store and build its frames.

    Label grouping applies the library's stored label edits unless ``label_overrides`` is given.
    With the stored edits, the frames come from the version's snapshot when there is one
    (:mod:`lib.store.snapshot`) and are kept as one after they are built: before returning, or
    on a background thread with ``keep_in_background`` (a server; not a CLI about to exit).
    """
    info = store.library(library_id)
    version = -1 if info is None else info.version
    keep = label_overrides is None and info is not None
    if keep:
        library = read_snapshot(store, info)
        if library is not None:
            return library
        label_overrides = load_label_edits(store, library_id)
    with store.reader() as cur:
        # A write between reading the version and this read: build, but keep no snapshot.
        keep = keep and cur.execute("SELECT version FROM libraries WHERE library_id = ?",
                                    [library_id]).fetchall() == [(version,)]
        tracks, table = _tracks_frame(cur, library_id)
        artists = cur.execute(
            "SELECT artist_id, name, image_url, source FROM artists WHERE library_id = ?",
            [library_id]).df()
        albums = cur.execute(
            "SELECT album_id, name, release_date, release_year, image_url, label_raw, upc, "
            "album_type FROM albums WHERE library_id = ?", [library_id]).df()
        playlists = cur.execute(
            "SELECT playlist_id, name, owner, description, image_url FROM playlists "
            "WHERE library_id = ?", [library_id]).df()
        playlist_tracks = cur.execute(
            "SELECT playlist_id, track_id, position, added_at FROM playlist_tracks "
            "WHERE library_id = ? ORDER BY playlist_id, position", [library_id]).df()
    tracks = _finish_tracks(tracks)
    raw = tracks["label_raw"]
    index = build_label_index(raw.dropna().value_counts().to_dict(), label_overrides)
    # Labels per track through the distinct raw strings (a few thousand), not per row.
    codes, uniques = pd.factorize(raw)
    label_lists = [index.labels_of_raw.get(r, []) for r in uniques]
    per_code = np.empty(len(uniques) + 1, dtype=object)
    per_code[:len(uniques)] = label_lists
    per_code[len(uniques)] = []  # code -1: no label string
    tracks["labels"] = per_code[codes]
    first = np.array([ls[0] if ls else None for ls in label_lists] + [None], dtype=object)
    tracks["label"] = first[codes]
    labels_arrow = pa.array(label_lists + [[]], type=pa.list_(pa.string())).take(
        pa.array(np.where(codes < 0, len(uniques), codes)))
    entities = _entity_tables(table.append_column("labels", labels_arrow), artists)
    library = Library(
        library_id=library_id, version=version, track_count=len(tracks),
        read_tracks=Ready(tracks),
        artists=entities["artists"], albums=_album_table(albums, entities["album_stats"], index),
        playlists=_playlist_table(playlists, playlist_tracks), playlist_tracks=playlist_tracks,
        labels=entities["labels"], genres=entities["genres"], label_index=index,
    )
    if keep:
        (write_snapshot_soon if keep_in_background else write_snapshot)(store, info, library)
    return library


LIST_COLUMNS = ("artist_ids", "artist_names", "genres")


def _tracks_frame(cur, library_id: str) -> tuple[pd.DataFrame, pa.Table]:
    """The tracks query as a frame, through Arrow: list columns become Python lists directly
    (half the time of DuckDB's own pandas conversion plus a list pass, at 300k tracks). Also
    returns the Arrow table itself, which the entity tables are aggregated from."""
    table = cur.sql(TRACKS_SQL, params={"lib": library_id}).to_arrow_table()
    return _arrow_to_frame(table, LIST_COLUMNS), table


def _arrow_to_frame(table: pa.Table, list_columns: tuple[str, ...]) -> pd.DataFrame:
    """An Arrow table as pandas: list columns as Python lists, booleans and integers with gaps as
    pandas' nullable dtypes (as DuckDB's ``.df()`` gives)."""
    list_columns = tuple(c for c in list_columns if c in table.column_names)
    frame = table.drop_columns(list(list_columns)).to_pandas()
    # Booleans and integers with gaps become pandas' nullable dtypes, as DuckDB's .df() gives.
    for field in table.schema:
        column = table.column(field.name)
        if field.name in list_columns or not column.null_count:
            continue
        if pa.types.is_boolean(field.type):
            frame[field.name] = frame[field.name].astype("boolean")
        elif pa.types.is_integer(field.type):
            frame[field.name] = frame[field.name].astype("Int64")
    for col in list_columns:
        frame[col] = table.column(col).to_pylist()  # never NULL: the queries coalesce to []
    return frame


def _finish_tracks(t: pd.DataFrame) -> pd.DataFrame:
    t["artists"] = [", ".join(v) for v in t["artist_names"]]
    t["primary_artist_id"] = [v[0] if v else None for v in t["artist_ids"]]
    t["primary_artist"] = [v[0] if v else None for v in t["artist_names"]]
    t["genre"] = [v[0] if v else None for v in t["genres"]]
    t["has_score"] = t["score_raw"].notna()
    t["score"] = t["score_raw"].fillna(0.0).astype(float)
    t = t.drop(columns=["score_raw"])
    t["liked"] = t["liked"].astype(bool)
    t["release_year"] = t["release_year"].astype("Int64")
    t["has_features"] = t[list(AUDIO_FEATURES[:7])].notna().all(axis=1)
    for f in AUDIO_FEATURES:
        t[f] = t[f].astype(float)
    url = "https://open.spotify.com/track/" + t["track_id"].astype(str)
    named = ~t["track_id"].astype(str).str.fullmatch(r"[0-9A-Za-z]{22}")
    if named.any():  # imported without a Spotify id (name-based ids, lib.importers): a search
        url[named] = ["https://open.spotify.com/search/" + quote(f"{n} {a}".strip(), safe="")
                      for n, a in zip(t.loc[named, "track_name"], t.loc[named, "artists"])]
    t["spotify_url"] = url
    return t


ENTITY_SQL = {
    # One row per artist of the library (with or without tracks), biggest first.
    "artists": """
        WITH per AS (SELECT UNNEST(artist_ids) AS artist_id, liked,
                            coalesce(score_raw, 0.0) AS score, labels[1] AS label
                     FROM t),
        stats AS (SELECT artist_id, count(*) AS tracks, sum(liked::INTEGER) AS liked,
                         sum(score) AS score FROM per GROUP BY artist_id),
        top AS (SELECT artist_id, first(label ORDER BY n DESC, label) AS top_label
                FROM (SELECT artist_id, label, count(*) AS n FROM per
                      WHERE label IS NOT NULL GROUP BY ALL) GROUP BY artist_id),
        g AS (SELECT artist_ids[1] AS artist_id, first(genres) AS genres FROM t
              WHERE len(artist_ids) > 0 GROUP BY 1)
        SELECT a.artist_id, a.name, a.image_url, a.source,
               coalesce(stats.tracks, 0)::BIGINT AS tracks,
               coalesce(stats.liked, 0)::BIGINT AS liked,
               coalesce(stats.score, 0.0)::DOUBLE AS score, top.top_label,
               coalesce(g.genres, []::VARCHAR[]) AS genres
        FROM a LEFT JOIN stats USING (artist_id) LEFT JOIN top USING (artist_id)
        LEFT JOIN g USING (artist_id)
        ORDER BY tracks DESC, a.name, a.artist_id""",
    # Per album with tracks: counts and the primary artist of its first track.
    "album_stats": """
        SELECT album_id, count(*) AS tracks, sum(liked::INTEGER)::BIGINT AS liked,
               sum(coalesce(score_raw, 0.0))::DOUBLE AS score,
               min_by(artist_names[1], track_id) AS artists,
               min_by(artist_ids[1], track_id) AS primary_artist_id
        FROM t WHERE album_id IS NOT NULL GROUP BY album_id""",
    # One row per standardised label: tracks, liked, artists, albums, top artist, years.
    "labels": """
        WITH per AS (SELECT UNNEST(labels) AS label, track_id, liked,
                            artist_names[1] AS primary_artist, album_id, release_year FROM t),
        top AS (SELECT label, first(primary_artist ORDER BY n DESC, primary_artist) AS top_artist
                FROM (SELECT label, primary_artist, count(*) AS n FROM per
                      WHERE primary_artist IS NOT NULL GROUP BY ALL) GROUP BY label)
        SELECT label, count(*)::BIGINT AS tracks, sum(liked::INTEGER)::BIGINT AS liked,
               count(DISTINCT primary_artist)::BIGINT AS artists,
               count(DISTINCT album_id)::BIGINT AS albums, top.top_artist,
               min(release_year) AS first_year, max(release_year) AS last_year
        FROM per LEFT JOIN top USING (label)
        GROUP BY label, top.top_artist ORDER BY tracks DESC, label""",
    "genres": """
        SELECT UNNEST(genres) AS genre, track_id, liked, artist_ids[1] AS primary_artist_id
        FROM t""",
}
GENRES_SQL = """
    SELECT genre, count(*)::BIGINT AS tracks, sum(liked::INTEGER)::BIGINT AS liked,
           count(DISTINCT primary_artist_id)::BIGINT AS artists
    FROM ({per}) GROUP BY genre ORDER BY tracks DESC, genre"""


def _entity_tables(table: pa.Table, artists: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Artist, album, label and genre aggregates of the tracks query's Arrow table (plus a
    ``labels`` list column), grouped in DuckDB: a fresh process at 300k tracks spent seconds
    exploding list columns and grouping strings in pandas for these."""
    con = duckdb.connect()
    try:
        con.register("t", table)
        con.register("a", artists)
        out = {}
        for name, sql in ENTITY_SQL.items():
            if name == "genres":
                sql = GENRES_SQL.replace("{per}", sql)
            out[name] = _arrow_to_frame(con.sql(sql).to_arrow_table(), ("genres",))
    finally:
        con.close()
    for col in ("first_year", "last_year"):
        out["labels"][col] = out["labels"][col].astype("Int64")
    return out


def _album_table(albums: pd.DataFrame, stats: pd.DataFrame, index: LabelIndex) -> pd.DataFrame:
    out = albums.set_index("album_id").join(stats.set_index("album_id"), how="inner")
    out["labels"] = [index.labels(r) for r in out["label_raw"]]
    out["liked"] = out["liked"].astype(int)
    out["tracks"] = out["tracks"].astype(int)
    return out.reset_index().sort_values(["tracks", "name", "album_id"],
                                         ascending=[False, True, True], ignore_index=True)


def _playlist_table(playlists: pd.DataFrame, playlist_tracks: pd.DataFrame) -> pd.DataFrame:
    sizes = playlist_tracks.groupby("playlist_id").size().rename("tracks")
    out = playlists.set_index("playlist_id").join(sizes)
    out["tracks"] = out["tracks"].fillna(0).astype(int)
    return out.reset_index().sort_values(["tracks", "name"], ascending=[False, True],
                                         ignore_index=True)


def coverage(tracks: pd.DataFrame) -> dict[str, float]:
    """Share of tracks (0–1) that have audio features, a label, genres and a listening score."""
    n = max(len(tracks), 1)
    return {
        "audio features": float(tracks["has_features"].sum()) / n,
        "labels": float(tracks["label_raw"].notna().sum()) / n,
        "genres": float((tracks["genres"].map(len) > 0).sum()) / n,
        "scores": float(tracks["has_score"].sum()) / n,
    }
