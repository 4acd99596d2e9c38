"""Audio features, labels and genres from files already imported (the ``local`` library).

No network. Tracks match by Spotify track id, then by ISRC; labels come through the matched
track's album; genres by artist id. Exportify CSVs and track data sets carry Spotify's original
features and album labels, so this often fills most gaps at once.
"""

from __future__ import annotations

from lib.enrichment.base import (EnrichContext, ProviderInfo, ProviderResult,
                                        albums_without_label, artists_without_genres,
                                        feature_frame, label_rows, merge_into,
                                        tracks_without_features)
from lib.store.db import AUDIO_FEATURES, LOCAL_LIBRARY_ID

INFO = ProviderInfo(
    key="imported", title="Imported files",
    adds="audio features, labels, genres", third_party=False, default_on=True,
    sends="Nothing leaves this machine: copies features, labels and genres from files you "
          "imported (Exportify CSVs, data sets), matched by track id or ISRC.")


def run(ctx: EnrichContext, source_library: str = LOCAL_LIBRARY_ID) -> ProviderResult:
    result = ProviderResult(INFO.key, INFO.title)
    store, library = ctx.store, ctx.library_id
    if library == source_library or store.version(source_library) < 0:
        result.notes.append("No imported library to copy from.")
        return result
    src_tracks = store.query("SELECT t.track_id, t.isrc, a.label_raw FROM tracks t LEFT JOIN "
                             "albums a ON a.library_id = t.library_id AND a.album_id = t.album_id "
                             "WHERE t.library_id = ?", [source_library])
    by_isrc = (src_tracks.dropna(subset=["isrc"]).drop_duplicates("isrc")
               .set_index("isrc")["track_id"].to_dict())

    # Features
    gaps = tracks_without_features(store, library)
    src_features = store.query(
        f"SELECT track_id, {', '.join(AUDIO_FEATURES)} FROM audio_features WHERE library_id = ? "
        "AND danceability IS NOT NULL", [source_library]).set_index("track_id")
    rows = []
    for track_id, isrc in zip(gaps["track_id"], gaps["isrc"]):
        match = track_id if track_id in src_features.index else by_isrc.get(isrc)
        if match is not None and match in src_features.index:
            rows.append(dict(src_features.loc[match].to_dict(), track_id=track_id))
    result.candidates = len(gaps)

    # Labels, through the matched track's album
    label_of_track = src_tracks.dropna(subset=["label_raw"]).set_index("track_id")["label_raw"]
    label_of_track = label_of_track[~label_of_track.index.duplicated()].to_dict()
    album_gaps = albums_without_label(store, library)
    album_tracks = store.query("SELECT album_id, track_id, isrc FROM tracks WHERE library_id = ?",
                               [library])
    album_tracks = album_tracks[album_tracks["album_id"].isin(album_gaps["album_id"])]
    labels: dict[str, str] = {}
    for album_id, track_id, isrc in album_tracks.itertuples(index=False):
        if album_id in labels:
            continue
        raw = label_of_track.get(track_id) or label_of_track.get(by_isrc.get(isrc, ""))
        if raw:
            labels[album_id] = raw

    # Genres by artist id
    genre_gaps = artists_without_genres(store, library)
    src_genres = store.query("SELECT artist_id, genre, position FROM artist_genres "
                             "WHERE library_id = ?", [source_library])
    genres = src_genres[src_genres["artist_id"].isin(genre_gaps["artist_id"])].assign(
        source=f"import:{source_library}")

    merge_into(store, library, {"audio_features": feature_frame(rows, f"import:{source_library}"),
                            "albums": label_rows(store, library, labels, INFO.key),
                            "artist_genres": genres})
    result.added = {"audio features": len(rows), "labels": len(labels),
                    "genres": int(genres["artist_id"].nunique()) if len(genres) else 0}
    ctx.emit(INFO.title, 1, 1, result.line())
    return result

