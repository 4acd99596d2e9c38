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

from dataclasses import dataclass
from urllib.parse import quote

import numpy as np
import pandas as pd
import pyarrow as pa

from lib.labels import LabelEdit, LabelIndex, build_label_index, load_label_edits
from lib.store.db import AUDIO_FEATURES, Store

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


@dataclass(frozen=True)
class Library:
    """One library version, denormalised. Treat every frame as read-only: it is shared."""

    library_id: str
    version: int
    tracks: pd.DataFrame
    artists: pd.DataFrame
    albums: pd.DataFrame
    playlists: pd.DataFrame
    playlist_tracks: pd.DataFrame
    labels: pd.DataFrame
    genres: pd.DataFrame
    label_index: LabelIndex

    @property
    def is_empty(self) -> bool:
        return self.tracks.empty


def load_library(store: Store, library_id: str,
                 label_overrides: dict[str, str] | list[LabelEdit] | None = None) -> Library:
    """Read one library from the store and build its frames.

    Label grouping applies the library's stored label edits unless ``label_overrides`` is given.
    """
    version = store.version(library_id)
    if label_overrides is None:
        label_overrides = load_label_edits(store, library_id)
    with store.reader() as cur:
        tracks = _tracks_frame(cur, library_id)
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
    index = build_label_index(tracks["label_raw"].dropna().value_counts().to_dict(),
                              label_overrides)
    labels_of_raw = index.labels_of_raw
    tracks["labels"] = [labels_of_raw.get(r, []) if isinstance(r, str) else []
                        for r in tracks["label_raw"]]
    tracks["label"] = [ls[0] if ls else None for ls in tracks["labels"]]
    return Library(
        library_id=library_id, version=version, tracks=tracks,
        artists=_artist_table(artists, tracks), albums=_album_table(albums, tracks, index),
        playlists=_playlist_table(playlists, playlist_tracks), playlist_tracks=playlist_tracks,
        labels=_label_table(tracks), genres=_genre_table(tracks), label_index=index,
    )


LIST_COLUMNS = ("artist_ids", "artist_names", "genres")


def _tracks_frame(cur, library_id: str) -> pd.DataFrame:
    """The tracks query as a frame, through Arrow: list columns become Python lists directly
    (half the time of DuckDB's own pandas conversion plus a list pass, at 300k tracks)."""
    table = cur.sql(TRACKS_SQL, params={"lib": library_id}).to_arrow_table()
    frame = table.drop_columns(list(LIST_COLUMNS)).to_pandas()
    # Booleans and integers with gaps become pandas' nullable dtypes, as DuckDB's .df() gives.
    for field in table.schema:
        column = table.column(field.name)
        if field.name in LIST_COLUMNS or not column.null_count:
            continue
        if pa.types.is_boolean(field.type):
            frame[field.name] = frame[field.name].astype("boolean")
        elif pa.types.is_integer(field.type):
            frame[field.name] = frame[field.name].astype("Int64")
    for col in LIST_COLUMNS:
        frame[col] = table.column(col).to_pylist()  # never NULL: the query coalesces to []
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


def _explode(tracks: pd.DataFrame, column: str, keep: list[str]) -> pd.DataFrame:
    lens = np.fromiter((len(v) for v in tracks[column]), dtype=np.int64, count=len(tracks))
    out = tracks.loc[np.repeat(tracks.index.to_numpy(), lens), keep].reset_index(drop=True)
    out[column] = [x for v in tracks[column] for x in v]
    return out


def _artist_table(artists: pd.DataFrame, tracks: pd.DataFrame) -> pd.DataFrame:
    per = _explode(tracks, "artist_ids", ["track_id", "liked", "score", "label"])
    stats = per.groupby("artist_ids").agg(tracks=("track_id", "size"), liked=("liked", "sum"),
                                          score=("score", "sum"))
    top_label = (per.dropna(subset=["label"]).groupby(["artist_ids", "label"]).size()
                 .reset_index(name="n").sort_values(["artist_ids", "n", "label"],
                                                     ascending=[True, False, True])
                 .drop_duplicates("artist_ids").set_index("artist_ids")["label"])
    genres = tracks.drop_duplicates("primary_artist_id").set_index("primary_artist_id")["genres"]
    out = artists.set_index("artist_id").join(stats).join(top_label.rename("top_label"))
    out["genres"] = [genres.get(a, []) if isinstance(genres.get(a, []), list) else []
                     for a in out.index]
    out[["tracks", "liked"]] = out[["tracks", "liked"]].fillna(0).astype(int)
    out["score"] = out["score"].fillna(0.0)
    return out.reset_index().sort_values(["tracks", "name"], ascending=[False, True],
                                         ignore_index=True)


def _album_table(albums: pd.DataFrame, tracks: pd.DataFrame, index: LabelIndex) -> pd.DataFrame:
    stats = tracks.groupby("album_id").agg(tracks=("track_id", "size"), liked=("liked", "sum"),
                                           score=("score", "sum"),
                                           artists=("primary_artist", "first"),
                                           primary_artist_id=("primary_artist_id", "first"))
    out = albums.set_index("album_id").join(stats, how="inner")
    out["labels"] = [index.labels(r) for r in out["label_raw"]]
    out["liked"] = out["liked"].astype(int)
    return out.reset_index().sort_values(["tracks", "name"], ascending=[False, True],
                                         ignore_index=True)


def _playlist_table(playlists: pd.DataFrame, playlist_tracks: pd.DataFrame) -> pd.DataFrame:
    sizes = playlist_tracks.groupby("playlist_id").size().rename("tracks")
    out = playlists.set_index("playlist_id").join(sizes)
    out["tracks"] = out["tracks"].fillna(0).astype(int)
    return out.reset_index().sort_values(["tracks", "name"], ascending=[False, True],
                                         ignore_index=True)


def _label_table(tracks: pd.DataFrame) -> pd.DataFrame:
    """One row per standardised label: tracks, liked, artists, albums, top artist, years."""
    per = _explode(tracks, "labels", ["track_id", "liked", "primary_artist", "album_id",
                                      "release_year"])
    if per.empty:
        return pd.DataFrame(columns=["label", "tracks", "liked", "artists", "albums",
                                     "top_artist", "first_year", "last_year"])
    g = per.groupby("labels")
    out = g.agg(tracks=("track_id", "size"), liked=("liked", "sum"),
                artists=("primary_artist", "nunique"), albums=("album_id", "nunique"),
                first_year=("release_year", "min"), last_year=("release_year", "max"))
    top = (per.groupby(["labels", "primary_artist"]).size().reset_index(name="n")
           .sort_values(["labels", "n", "primary_artist"], ascending=[True, False, True])
           .drop_duplicates("labels").set_index("labels")["primary_artist"])
    out["top_artist"] = top
    out = out.reset_index(names="label")
    out["liked"] = out["liked"].astype(int)
    return out.sort_values(["tracks", "label"], ascending=[False, True], ignore_index=True)[
        ["label", "tracks", "liked", "artists", "albums", "top_artist", "first_year", "last_year"]]


def _genre_table(tracks: pd.DataFrame) -> pd.DataFrame:
    per = _explode(tracks, "genres", ["track_id", "liked", "primary_artist_id"])
    if per.empty:
        return pd.DataFrame(columns=["genre", "tracks", "liked", "artists"])
    out = per.groupby("genres").agg(tracks=("track_id", "size"), liked=("liked", "sum"),
                                    artists=("primary_artist_id", "nunique"))
    out = out.reset_index(names="genre")
    out["liked"] = out["liked"].astype(int)
    return out.sort_values(["tracks", "genre"], ascending=[False, True], ignore_index=True)


def coverage(tracks: pd.DataFrame) -> dict[str, float]:
    """Share of tracks (0–1) that have audio features, a label, genres and a listening score."""
    n = max(len(tracks), 1)
    return {
        "audio features": float(tracks["has_features"].sum()) / n,
        "labels": float(tracks["label_raw"].notna().sum()) / n,
        "genres": float((tracks["genres"].map(len) > 0).sum()) / n,
        "scores": float(tracks["has_score"].sum()) / n,
    }
