"""Turn what the parsers read (:class:`Part` per file) into one :class:`~lib.store.db.LibraryData`.

Every parser returns *track rows* in one shape (:data:`TRACK_COLUMNS`): one row per track
occurrence, lists for the artists, Spotify ids where the file has them (else None). The builder
resolves ids, deduplicates and writes the store's tables:

- **Artists, albums and tracks without a Spotify id** get the id of a known entity with the same
  normalised names — first the library being merged into, then rows of this import that carry an
  id — and otherwise a stable name id (:func:`lib.importers.common.name_ids`). Tracks match on
  (track name, primary artist), albums on (album name, primary album artist), artists on name.
- **Listening history** rows (``plays``) match a track by ``spotify_track_uri`` first, then by
  track + artist names; a play of a track nobody else lists becomes a track of its own.
- **Duplicates** (the same track in several files) collapse to one row per id: the first file
  listed wins and later files fill its gaps (a later file never erases a value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd

from lib.importers.values import name_ids, name_key, normalise_names
from lib.store.db import AUDIO_FEATURES, LibraryData, Store

TRACK_COLUMNS: tuple[str, ...] = (
    "track_id", "track_name", "artist_ids", "artist_names", "album_id", "album_name",
    "album_artist_ids", "album_artist_names", "release_date", "release_year", "image_url",
    "label_raw", "genres", "disc_number", "track_number", "duration_ms", "explicit",
    "popularity", "isrc", *AUDIO_FEATURES, "source",
)
# Extra columns of history rows: plays of >= 30 s, all plays, all ms, ms of the counted plays.
PLAY_COLUMNS: tuple[str, ...] = ("plays", "plays_all", "ms_played", "counted_ms")
MIN_PLAY_MS = 30_000  # a play counts towards the score from 30 seconds on
MAX_PLAY_MS = 24 * 3_600_000  # one play longer than a day is a corrupt record, not a play


@dataclass
class Part:
    """What one file contributed. ``playlist_tracks`` and ``liked`` refer to rows of ``tracks`` by
    position (column ``ref``)."""

    file: str
    fmt: str
    tracks: pd.DataFrame
    is_history: bool = False
    playlists: pd.DataFrame | None = None  # playlist_id, name, owner, description, source
    playlist_tracks: pd.DataFrame | None = None  # playlist_id, ref, position, added_at
    liked: pd.DataFrame | None = None  # ref, added_at, source
    counts: dict[str, int] = field(default_factory=dict)  # e.g. podcast plays skipped
    notes: list[str] = field(default_factory=list)  # shown next to the file in the summary
    rows: int = 0  # rows or items read


@dataclass
class Known:
    """Matching keys of the library an import is merged into (empty for a replace)."""

    tracks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["track_id", "key"]))
    artists: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["artist_id", "key"]))
    albums: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["album_id", "key"]))

    @classmethod
    def from_store(cls, store: Store, library_id: str) -> "Known":
        with store.reader() as cur:
            tracks = cur.execute(
                "SELECT t.track_id, t.name AS track_name, a.name AS artist_name FROM tracks t "
                "LEFT JOIN (SELECT track_id, arg_min(artist_id, position) AS artist_id "
                "           FROM track_artists WHERE library_id = $lib GROUP BY track_id) p "
                "  USING (track_id) "
                "LEFT JOIN artists a ON a.library_id = $lib AND a.artist_id = p.artist_id "
                "WHERE t.library_id = $lib ORDER BY t.track_id", {"lib": library_id}).df()
            artists = cur.execute("SELECT artist_id, name FROM artists WHERE library_id = ? "
                                  "ORDER BY artist_id", [library_id]).df()
            albums = cur.execute(
                "SELECT al.album_id, al.name AS album_name, a.name AS artist_name FROM albums al "
                "LEFT JOIN (SELECT album_id, arg_min(artist_id, position) AS artist_id "
                "           FROM album_artists WHERE library_id = $lib GROUP BY album_id) p "
                "  USING (album_id) "
                "LEFT JOIN artists a ON a.library_id = $lib AND a.artist_id = p.artist_id "
                "WHERE al.library_id = $lib ORDER BY al.album_id", {"lib": library_id}).df()
        return cls(
            tracks=pd.DataFrame({"track_id": tracks["track_id"],
                                 "key": name_key(tracks["track_name"], tracks["artist_name"])}),
            artists=pd.DataFrame({"artist_id": artists["artist_id"],
                                  "key": normalise_names(artists["name"])}),
            albums=pd.DataFrame({"album_id": albums["album_id"],
                                 "key": name_key(albums["album_name"], albums["artist_name"])}),
        )

    @property
    def track_ids(self) -> set[str]:
        return set(self.tracks["track_id"])


@dataclass
class Built:
    """The library an import produces, with what the summary reports about it."""

    data: LibraryData
    stats: dict[str, int]
    track_ids: pd.Index


def empty_tracks() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in TRACK_COLUMNS})


def conform(tracks: pd.DataFrame) -> pd.DataFrame:
    """Add the missing canonical columns (as missing values); keep play columns if any."""
    extra = [c for c in PLAY_COLUMNS if c in tracks.columns]
    out = tracks.reindex(columns=list(TRACK_COLUMNS) + extra)
    return out


def build(parts: list[Part], known: Known | None = None) -> Built:
    """Resolve ids across all parts (and the ``known`` library) and produce the store's tables."""
    known = known or Known()
    frames = []
    for i, part in enumerate(parts):
        t = conform(part.tracks).reset_index(drop=True)
        t["_part"], t["_ref"], t["_play"] = i, np.arange(len(t)), part.is_history
        frames.append(t)
    frames = [f for f in frames if len(f)] or frames[:1]
    if not frames:
        return Built(LibraryData({}), _empty_stats(), pd.Index([]))
    rows = pd.concat(frames, ignore_index=True)
    # Plain object columns: pandas' Arrow-backed strings are slow to build from lists and to
    # look up with isin, which the matching does a lot.
    for col in rows.columns:
        if str(rows[col].dtype) in ("str", "string"):
            rows[col] = rows[col].astype(object).where(rows[col].notna(), None)
    for col in PLAY_COLUMNS:
        if col not in rows.columns:
            rows[col] = np.nan

    artists_long = _artist_rows(rows)
    artists_long["artist_id"] = _resolve(artists_long["sid"], artists_long["key"],
                                         known.artists.rename(columns={"artist_id": "id"}))
    first_artist = (artists_long[(artists_long["role"] == "track")
                                 & (artists_long["position"] == 0)]
                    .set_index("_row")[["artist_id", "name"]])
    primary_name = first_artist["name"].reindex(rows.index)
    album_primary = (artists_long[(artists_long["role"] == "album")
                                  & (artists_long["position"] == 0)]
                     .set_index("_row")["name"].reindex(rows.index)).fillna(primary_name)

    album_sid = rows["album_id"]
    has_album = album_sid.notna() | rows["album_name"].notna()
    album_keys = name_key(rows["album_name"], album_primary)
    album_ids = _resolve(album_sid.where(has_album), album_keys.where(has_album),
                         known.albums.rename(columns={"album_id": "id"}))
    rows["album_id"] = album_ids.where(has_album, None)

    track_keys = name_key(rows["track_name"], primary_name)
    rows["track_id"], match = _resolve_tracks(rows, track_keys, known)

    data = _tables(rows, artists_long)
    data.frames.update(_references(parts, rows))
    for frame in data.frames.values():
        for col in frame.columns:
            # Text columns hold None for missing values, and a column with no values at all is
            # untyped (a float NaN column would not merge into a VARCHAR column).
            if (frame[col].dtype == object or str(frame[col].dtype) in ("str", "string")
                    or (len(frame) and frame[col].isna().all())):
                frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    stats = _stats(rows, match, data, known)
    return Built(data, stats, pd.Index(data.frames["tracks"]["track_id"]))


# -- resolution ----------------------------------------------------------------------------------
def _artist_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (track row, artist) for track artists and album artists."""
    out = []
    for role, names_col, ids_col in (("track", "artist_names", "artist_ids"),
                                     ("album", "album_artist_names", "album_artist_ids")):
        names = rows[names_col].to_numpy()
        ids = rows[ids_col].to_numpy()
        lens = np.fromiter((len(n) if isinstance(n, list) else 0 for n in names),
                           dtype=np.int64, count=len(names))
        flat_names = list(chain.from_iterable(n for n in names if isinstance(n, list)))
        flat_ids = list(chain.from_iterable(
            (i if isinstance(i, list) and len(i) == len(n) else [None] * len(n))
            for n, i in zip(names, ids) if isinstance(n, list)))
        starts = np.repeat(np.cumsum(lens) - lens, lens)
        out.append(pd.DataFrame({"_row": np.repeat(np.arange(len(names)), lens), "role": role,
                                 "position": np.arange(len(flat_names)) - starts,
                                 "name": pd.Series(flat_names, dtype=object),
                                 "sid": pd.Series(flat_ids, dtype=object)}))
    long = pd.concat(out, ignore_index=True)
    long["key"] = normalise_names(long["name"])
    blank = (long["key"] == "").to_numpy()
    if blank.any():
        # Within a track's list, positions restart at 0 after dropping blank names.
        long = long[~blank].reset_index(drop=True)
        long["position"] = long.groupby(["role", "_row"]).cumcount()
    return long


def _resolve(sid: pd.Series, keys: pd.Series, known: pd.DataFrame) -> pd.Series:
    """Spotify id when present; else the id of a known entity with the same key (the library
    first, then rows of this import with ids); else a stable name id. Missing keys → None."""
    by_key: dict[str, str] = {}
    with_id = pd.DataFrame({"id": sid, "key": keys}).dropna()
    for frame in (known, with_id):
        if len(frame):
            f = frame[frame["key"].astype(str) != ""].drop_duplicates("key")
            for k, v in zip(f["key"], f["id"]):
                by_key.setdefault(k, v)
    missing = sid.isna() & keys.notna()
    out = sid.astype(object).copy()
    if missing.any():
        mapped = keys[missing].map(by_key).astype(object)
        fresh = mapped.isna()
        mapped[fresh] = name_ids(keys[missing][fresh])
        out[missing] = mapped
    return out.where(out.notna(), None)


def _resolve_tracks(rows: pd.DataFrame, keys: pd.Series,
                    known: Known) -> tuple[pd.Series, pd.Series]:
    """Final track ids, and how each history row was matched: ``uri`` (its Spotify id is a
    listed track), ``name`` (track + artist names match a listed track) or ``new`` (a track no
    file lists); other rows are ``id``."""
    sid = rows["track_id"]
    play = pd.Series(rows["_play"].to_numpy(dtype=bool), index=rows.index)
    listed = set(known.tracks["track_id"]) | set(sid[~play].dropna())
    by_key: dict[str, str] = {}
    sources = [known.tracks.rename(columns={"track_id": "id"}),
               pd.DataFrame({"id": sid[~play], "key": keys[~play]}).dropna(),
               pd.DataFrame({"id": sid[play], "key": keys[play]}).dropna()]
    for frame in sources:
        f = frame[frame["key"].astype(str) != ""].drop_duplicates("key")
        for k, v in zip(f["key"], f["id"]):
            by_key.setdefault(k, v)
    by_name = keys.map(by_key).astype(object)
    out = sid.astype(object).copy()
    # A play whose URI no file lists falls back to the names.
    unlisted = play & sid.notna() & ~sid.isin(listed) & by_name.notna()
    out[unlisted] = by_name[unlisted]
    no_id = sid.isna()
    if no_id.any():
        out[no_id] = by_name[no_id].where(by_name[no_id].notna(), name_ids(keys[no_id]))
    listed_final = set(known.tracks["track_id"]) | set(out[~play])
    match = pd.Series(np.where(~play, "id", np.where(
        out.isin(listed_final), np.where(out == sid, "uri", "name"), "new")), index=rows.index)
    return out, match


# -- tables --------------------------------------------------------------------------------------
def _first(frame: pd.DataFrame, key: str, columns: list[str]) -> pd.DataFrame:
    """One row per key: the first non-missing value of each column (first file wins)."""
    if frame.empty:
        return pd.DataFrame(columns=[key, *columns])
    return frame.groupby(key, sort=False)[columns].first().reset_index()


def _tables(rows: pd.DataFrame, long: pd.DataFrame) -> LibraryData:
    long = long.assign(track_id=rows["track_id"].to_numpy()[long["_row"].to_numpy()],
                       album_id=rows["album_id"].to_numpy()[long["_row"].to_numpy()],
                       source=rows["source"].to_numpy()[long["_row"].to_numpy()])
    tracks = _first(rows, "track_id", ["track_name", "album_id", "duration_ms", "explicit",
                                        "popularity", "isrc", "disc_number", "track_number",
                                        "source"]).rename(columns={"track_name": "name"})
    for col in ("duration_ms", "disc_number", "track_number"):
        tracks[col] = pd.to_numeric(tracks[col], errors="coerce").round().astype("Int64")
    tracks["popularity"] = pd.to_numeric(tracks["popularity"], errors="coerce").astype(float)
    tracks["explicit"] = tracks["explicit"].astype(object).where(tracks["explicit"].notna(), None)

    album_rows = rows[rows["album_id"].notna() & rows["album_name"].notna()]
    albums = _first(album_rows, "album_id", ["album_name", "release_date", "release_year",
                                             "image_url", "label_raw", "source"]
                    ).rename(columns={"album_name": "name"})
    albums["release_year"] = pd.to_numeric(albums["release_year"], errors="coerce").astype("Int64")
    # A track whose album has no name keeps no album; albums no kept track is on are dropped
    # (history rows name an album per play, but the track's first file decides its album).
    tracks.loc[~tracks["album_id"].isin(set(albums["album_id"])), "album_id"] = None
    albums = albums[albums["album_id"].isin(set(tracks["album_id"].dropna()))]
    albums = albums.reset_index(drop=True)

    artists = _first(long, "artist_id", ["name", "source"])
    track_artists = _credits(long[long["role"] == "track"], "track_id")
    album_long = long[(long["role"] == "album") & long["album_id"].notna()]
    # Albums without album-artist columns credit their tracks' primary artist.
    fallback = long[(long["role"] == "track") & (long["position"] == 0) & long["album_id"].notna()
                    & ~long["album_id"].isin(set(album_long["album_id"]))]
    album_artists = _credits(pd.concat([album_long, fallback], ignore_index=True), "album_id")
    album_artists = album_artists[album_artists["album_id"].isin(set(albums["album_id"]))]
    credited = set(track_artists["artist_id"]) | set(album_artists["artist_id"])
    artists = artists[artists["artist_id"].isin(credited)].reset_index(drop=True)

    genres = _genres(rows, long)
    features = rows[rows[list(AUDIO_FEATURES)].notna().any(axis=1)]
    features = _first(features, "track_id", [*AUDIO_FEATURES, "source"])
    for col in ("key", "mode", "time_signature"):
        features[col] = pd.to_numeric(features[col], errors="coerce").round().astype("Int64")
    for col in AUDIO_FEATURES:
        if col not in ("key", "mode", "time_signature"):
            features[col] = pd.to_numeric(features[col], errors="coerce").astype(float)

    plays = rows[rows["_play"].astype(bool)]
    scores = pd.DataFrame(columns=["track_id", "score", "plays", "ms_played", "source"])
    if len(plays):
        g = plays.groupby("track_id", sort=False)
        scores = g.agg(plays=("plays", "sum"), ms_played=("ms_played", "sum"),
                       counted_ms=("counted_ms", "sum"), source=("source", "first")).reset_index()
        scores["score"] = (scores["counted_ms"] / 60_000).round(1)
        scores["plays"] = scores["plays"].astype("int64")
        scores["ms_played"] = scores["ms_played"].astype("int64")
        scores = scores.drop(columns="counted_ms")

    frames = {
        "tracks": tracks, "albums": albums, "artists": artists, "track_artists": track_artists,
        "album_artists": album_artists, "artist_genres": genres, "audio_features": features,
        "scores": scores,
    }
    return LibraryData(frames)


def _credits(long: pd.DataFrame, key: str) -> pd.DataFrame:
    """(key, artist_id, position) from the first row of each key that lists artists."""
    if long.empty:
        return pd.DataFrame(columns=[key, "artist_id", "position"])
    first_row = long.groupby(key)["_row"].transform("min")
    out = long[long["_row"] == first_row][[key, "artist_id", "position"]]
    return out.drop_duplicates([key, "artist_id"]).reset_index(drop=True)


def _genres(rows: pd.DataFrame, long: pd.DataFrame) -> pd.DataFrame:
    """Genres listed on a track row belong to its primary artist."""
    primary = long[(long["role"] == "track") & (long["position"] == 0)]
    artist_of = pd.Series(primary["artist_id"].to_numpy(), index=primary["_row"].to_numpy())
    genres = rows["genres"].to_numpy()
    have = np.fromiter((isinstance(g, list) and len(g) > 0 for g in genres), dtype=bool,
                       count=len(genres))
    have &= np.isin(np.arange(len(rows)), artist_of.index.to_numpy())
    idx = np.flatnonzero(have)
    if not len(idx):
        return pd.DataFrame(columns=["artist_id", "genre", "position", "source"])
    lists = genres[idx]
    lens = np.fromiter((len(g) for g in lists), dtype=np.int64, count=len(lists))
    out = pd.DataFrame({"artist_id": np.repeat(artist_of.reindex(idx).to_numpy(), lens),
                        "genre": pd.Series([x.strip().lower() for g in lists for x in g],
                                           dtype=object),
                        "source": np.repeat(rows["source"].to_numpy()[idx], lens)})
    out = out[out["genre"] != ""].drop_duplicates(["artist_id", "genre"]).reset_index(drop=True)
    out["position"] = out.groupby("artist_id").cumcount()
    return out


def _references(parts: list[Part], rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """playlists, playlist_tracks and liked, with the parts' row refs turned into track ids."""
    playlists, entries, liked = [], [], []
    for i, part in enumerate(parts):
        lookup = rows.loc[rows["_part"] == i].set_index("_ref")["track_id"]
        if part.playlists is not None and len(part.playlists):
            playlists.append(part.playlists)
        if part.playlist_tracks is not None and len(part.playlist_tracks):
            entries.append(part.playlist_tracks.assign(
                track_id=part.playlist_tracks["ref"].map(lookup)))
        if part.liked is not None and len(part.liked):
            liked.append(part.liked.assign(track_id=part.liked["ref"].map(lookup)))
    out: dict[str, pd.DataFrame] = {}
    if playlists:
        out["playlists"] = _first(pd.concat(playlists, ignore_index=True), "playlist_id",
                                  ["name", "owner", "description", "source"])
    if entries:
        e = pd.concat(entries, ignore_index=True).dropna(subset=["track_id"])
        e = e.drop_duplicates(["playlist_id", "track_id"]).reset_index(drop=True)
        e["position"] = e.groupby("playlist_id").cumcount()
        e["added_at"] = pd.to_datetime(e["added_at"], utc=True, errors="coerce")
        out["playlist_tracks"] = e[["playlist_id", "track_id", "position", "added_at"]]
    if liked:
        lk = pd.concat(liked, ignore_index=True).dropna(subset=["track_id"])
        lk = _first(lk, "track_id", ["added_at", "source"])
        lk["added_at"] = pd.to_datetime(lk["added_at"], utc=True, errors="coerce")
        out["liked"] = lk
    return out


# -- summary -------------------------------------------------------------------------------------
def _empty_stats() -> dict[str, int]:
    return dict.fromkeys(
        ["tracks", "albums", "artists", "playlists", "liked", "with_features", "with_labels",
         "with_genres", "with_scores", "plays", "plays_counted", "plays_by_uri", "plays_by_name",
         "plays_new_track", "tracks_known", "tracks_new"], 0)


def _stats(rows: pd.DataFrame, match: pd.Series, data: LibraryData, known: Known) -> dict[str, int]:
    stats = _empty_stats()
    tracks = data.frames["tracks"]
    albums = data.frames["albums"].set_index("album_id")
    labelled = set(albums.index[albums["label_raw"].notna()])
    genre_artists = set(data.frames["artist_genres"]["artist_id"])
    primary = data.frames["track_artists"]
    primary = primary[primary["position"] == 0]
    play = rows["_play"].astype(bool)
    plays_all = pd.to_numeric(rows["plays_all"], errors="coerce").fillna(0)
    known_ids = known.track_ids
    stats.update(
        tracks=len(tracks), albums=len(albums), artists=len(data.frames["artists"]),
        playlists=data.count("playlists"), liked=data.count("liked"),
        with_features=int(data.frames["audio_features"][list(AUDIO_FEATURES[:7])].notna()
                          .all(axis=1).sum()),
        with_labels=int(tracks["album_id"].isin(labelled).sum()),
        with_genres=int(primary["artist_id"].isin(genre_artists).sum()),
        with_scores=data.count("scores"),
        plays=int(plays_all[play].sum()),
        plays_counted=int(pd.to_numeric(rows["plays"], errors="coerce").fillna(0)[play].sum()),
        plays_by_uri=int(plays_all[play & (match == "uri")].sum()),
        plays_by_name=int(plays_all[play & (match == "name")].sum()),
        plays_new_track=int(plays_all[play & (match == "new")].sum()),
        tracks_known=int(tracks["track_id"].isin(known_ids).sum()),
    )
    stats["tracks_new"] = stats["tracks"] - stats["tracks_known"]
    return stats
