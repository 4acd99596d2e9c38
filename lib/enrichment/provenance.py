"""Where a library's values came from: per kind (features, labels, genres, scores), per source.

Every value keeps its source in the store: ``audio_features.source``, ``albums.label_source``
(else the album's own ``source``), ``artist_genres.source``, ``scores.source``.
:func:`coverage_by_source` counts tracks per (kind, source); :func:`feature_sources` does it for
the tracks of one scope (the Clusters page).
"""

from __future__ import annotations

import pandas as pd

from lib.store.db import Store

KINDS = ("audio features", "labels", "genres", "scores")
NONE = "none"
SOURCE_TITLES = {
    "spotify": "Spotify", "reccobeats": "ReccoBeats", "musicbrainz": "MusicBrainz",
    "deezer": "Deezer (tempo, loudness)", "imported": "Imported files", "exportify": "Exportify CSV",
    "privacy": "Privacy export", "dataset": "Data set", "demo": "Demo data", NONE: "Not known",
}


def title(source: object) -> str:
    """A source key as people read it ("reccobeats" → "ReccoBeats")."""
    key = str(source) if isinstance(source, str) and source else NONE
    return SOURCE_TITLES.get(key, key.replace("_", " ").capitalize())


def coverage_by_source(store: Store, library_id: str) -> pd.DataFrame:
    """Tracks per kind and source: columns ``kind``, ``source``, ``tracks``, ``share`` (0–1).

    Tracks without a value count under ``none``, so each kind's shares add up to 1. Features
    count a track with any audio feature (Deezer gives only tempo and loudness); genres count a
    track whose first artist has genres, under the source of that artist's first genre.
    """
    frame = store.query(
        """
        WITH t AS (SELECT track_id, album_id FROM tracks WHERE library_id = $lib),
        first_artist AS (SELECT track_id, artist_id FROM track_artists WHERE library_id = $lib
                         QUALIFY row_number() OVER (PARTITION BY track_id ORDER BY position) = 1),
        genre_source AS (SELECT artist_id, arg_min(source, position) AS source
                         FROM artist_genres WHERE library_id = $lib GROUP BY artist_id)
        SELECT 'audio features' AS kind, coalesce(f.source, 'none') AS source, count(*) AS tracks
          FROM t LEFT JOIN audio_features f ON f.library_id = $lib AND f.track_id = t.track_id
          AND coalesce(f.danceability, f.energy, f.valence, f.tempo, f.loudness) IS NOT NULL
          GROUP BY ALL
        UNION ALL
        SELECT 'labels', CASE WHEN a.label_raw IS NULL OR a.label_raw = '' THEN 'none'
                              ELSE coalesce(a.label_source, a.source, 'none') END, count(*)
          FROM t LEFT JOIN albums a ON a.library_id = $lib AND a.album_id = t.album_id
          GROUP BY ALL
        UNION ALL
        SELECT 'genres', CASE WHEN g.artist_id IS NULL THEN 'none'
                              ELSE coalesce(g.source, 'spotify') END, count(*)
          FROM t LEFT JOIN first_artist fa USING (track_id)
          LEFT JOIN genre_source g ON g.artist_id = fa.artist_id GROUP BY ALL
        UNION ALL
        SELECT 'scores', coalesce(s.source, 'none'), count(*)
          FROM t LEFT JOIN scores s ON s.library_id = $lib AND s.track_id = t.track_id
          GROUP BY ALL
        """, {"lib": library_id})
    if frame.empty:
        return pd.DataFrame(columns=["kind", "source", "tracks", "share"])
    frame["tracks"] = frame["tracks"].astype(int)
    frame["share"] = frame["tracks"] / frame.groupby("kind")["tracks"].transform("sum")
    order = {k: i for i, k in enumerate(KINDS)}
    frame["_k"] = frame["kind"].map(order)
    frame["_none"] = frame["source"] == NONE
    return frame.sort_values(["_k", "_none", "tracks"], ascending=[True, True, False],
                             ignore_index=True).drop(columns=["_k", "_none"])


def feature_sources(tracks: pd.DataFrame) -> pd.DataFrame:
    """Share of ``tracks`` (a tracks frame with ``features_source``) per audio-feature source.

    Columns ``source``, ``tracks``, ``share``, largest first, tracks without features last as
    ``none``.
    """
    if tracks.empty:
        return pd.DataFrame(columns=["source", "tracks", "share"])
    src = tracks["features_source"].where(tracks["features_source"].notna(), NONE)
    counts = src.value_counts()
    out = pd.DataFrame({"source": counts.index.astype(str), "tracks": counts.to_numpy()})
    out["share"] = out["tracks"] / len(tracks)
    out["_none"] = out["source"] == NONE
    return out.sort_values(["_none", "tracks"], ascending=[True, False],
                           ignore_index=True).drop(columns="_none")
