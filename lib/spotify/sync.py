"""Sync a Spotify user's library into the store, atomically and incrementally.

What is read (each a step reported to ``progress``):

1. profile (``/me``) → the library id ``spotify:<user id>``;
2. liked songs (``/me/tracks``), 3. saved albums with their tracks (``/me/albums``);
4. playlists (``/me/playlists``): contents (``/playlists/{id}/items``) of the user's own and
   collaborative playlists; others' playlists are kept as metadata only, because Spotify returns
   the items of a playlist only to its owner and collaborators;
5. top tracks and artists for ``short_term``, ``medium_term`` and ``long_term``, and 6. the last
   50 recently played tracks: together they make the **Score** when no listening history was
   imported (see :func:`top_scores`);
7. albums (``/albums/{id}``) and 8. artists (``/artists/{id}``), one id at a time (batch reads are
   gone), each asked once: answers are kept in the ``remote_cache`` table as they arrive, so a
   re-run or a sync interrupted half-way fetches only what it lacks.

Null tracks, local files and podcast episodes are skipped and counted. ISRC (tracks) and UPC
(albums) are kept for the MusicBrainz look-ups. The library is written with one
``store.replace_library`` call at the end, so a failed or interrupted sync leaves the previous
library as it was. Values that came from elsewhere (imported listening history, audio features,
labels and genres from files or enrichment providers) are carried over for tracks still there.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import pandas as pd

from lib.store.remote_cache import MISSING, OK, RemoteCache
from lib.spotify.client import CallStats, Forbidden, NotFound, SpotifyClient
from lib.store.db import AUDIO_FEATURES, LibraryData, Store

TIME_RANGES: tuple[str, ...] = ("short_term", "medium_term", "long_term")
# Weight of each time range in the Score: long-term favourites count most.
RANGE_WEIGHTS: dict[str, float] = {"short_term": 1.0, "medium_term": 2.0, "long_term": 3.0}
ARTIST_SHARE = 0.5   # a top artist lends half a top-track's points to each of their tracks
RECENT_PLAY_POINTS = 0.5
SOURCE = "spotify"
SCORE_SOURCE = "spotify-top"
ALBUM_PROVIDER = "spotify.album"
ARTIST_PROVIDER = "spotify.artist"

STEPS: tuple[str, ...] = ("profile", "liked songs", "saved albums", "playlists",
                          "top tracks & artists", "recently played", "albums", "artists",
                          "saving")


@dataclass(frozen=True)
class Progress:
    """One progress event: ``step`` (one of :data:`STEPS`), counts so far, a short message."""

    step: str
    done: int
    total: int | None
    message: str


ProgressFn = Callable[[Progress], None]


@dataclass
class SyncOptions:
    playlists: bool = True
    top: bool = True
    recent: bool = True
    albums: bool = True      # fetch each album (UPC, and label where the app still gets it)
    artists: bool = True     # fetch each artist (image, genres)
    refresh_cache: bool = False  # ask again for albums/artists already cached


@dataclass
class SyncReport:
    """What a sync did, for the UI and the CLI (:meth:`summary_lines`)."""

    user_id: str = ""
    display_name: str = ""
    library_id: str = ""
    version: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)
    fetched: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    stats: CallStats = field(default_factory=CallStats)
    tracks: int = 0

    def summary_lines(self) -> list[str]:
        lines = [f"Spotify library of {self.display_name or self.user_id} → '{self.library_id}'"
                 + (f" (version {self.version})" if self.version is not None else "")]
        lines.append(f"{self.tracks:,} tracks: " + ", ".join(
            f"{v:,} {k}" for k, v in self.counts.items()))
        if self.fetched:
            lines.append("Fetched one at a time: " + ", ".join(
                f"{k} {v:,}" for k, v in self.fetched.items()))
        if self.skipped:
            lines.append("Skipped: " + ", ".join(f"{v:,} {k}" for k, v in
                                                 sorted(self.skipped.items())))
        s = self.stats
        lines.append(f"{s.requests:,} requests, {s.retries:,} retries, {s.waited:.1f} s waited"
                     + (f", {s.refreshes} token refresh(es)" if s.refreshes else ""))
        lines.extend(self.notes)
        return lines


class SyncError(RuntimeError):
    """The sync stopped; the previous library is unchanged. ``report`` holds what was done."""

    def __init__(self, message: str, report: SyncReport) -> None:
        super().__init__(message)
        self.report = report


# -- payload helpers ------------------------------------------------------------------------------
def _image(obj: dict | None) -> str | None:
    images = (obj or {}).get("images") or []
    return images[0].get("url") if images and isinstance(images[0], dict) else None


def _year(date: Any) -> int | None:
    try:
        year = int(str(date)[:4])
    except (TypeError, ValueError):
        return None
    return year if year > 0 else None


def trim_album(album: dict) -> dict:
    """The fields of an album object labelscope keeps (full or simplified object)."""
    ext = album.get("external_ids") or {}
    return {"id": album.get("id"), "name": album.get("name") or "(untitled album)",
            "release_date": album.get("release_date"),
            "image_url": _image(album), "album_type": album.get("album_type"),
            "label": album.get("label") or None, "upc": ext.get("upc") or ext.get("ean"),
            "genres": list(album.get("genres") or []),
            "artists": [{"id": a.get("id"), "name": a.get("name")}
                        for a in album.get("artists") or [] if a and a.get("id")]}


def trim_artist(artist: dict) -> dict:
    return {"id": artist.get("id"), "name": artist.get("name") or "(unknown artist)",
            "image_url": _image(artist), "genres": list(artist.get("genres") or [])}


class _Collector:
    """Accumulates what the pages return, deduplicated by id."""

    def __init__(self) -> None:
        self.tracks: dict[str, dict] = {}
        self.track_artists: dict[str, list[str]] = {}
        self.albums_simple: dict[str, dict] = {}
        self.albums_full: dict[str, dict] = {}
        self.artist_names: dict[str, str] = {}
        self.artists_full: dict[str, dict] = {}
        self.liked: dict[str, Any] = {}
        self.playlists: list[dict] = []
        self.playlist_tracks: list[dict] = []
        self.top_tracks: dict[str, list[str]] = {}
        self.top_artists: dict[str, list[str]] = {}
        self.recent: list[str] = []
        self.skipped: Counter = Counter()

    def add_track(self, obj: Any, album: dict | None = None, is_local: bool = False) -> str | None:
        """Record a track object; return its id, or None when it is skipped (and counted)."""
        if obj is None:
            self.skipped["null tracks"] += 1
            return None
        if is_local or obj.get("is_local"):
            self.skipped["local files"] += 1
            return None
        if obj.get("type") == "episode" or obj.get("episode") is True:
            self.skipped["episodes"] += 1
            return None
        track_id = obj.get("id")
        if not track_id:
            self.skipped["unavailable tracks"] += 1
            return None
        album = obj.get("album") or album or {}
        if album.get("id") and album["id"] not in self.albums_simple:
            self.albums_simple[album["id"]] = trim_album(album)
            for a in album.get("artists") or []:
                if a and a.get("id"):
                    self.artist_names.setdefault(a["id"], a.get("name") or "")
        known = self.tracks.get(track_id)
        isrc = (obj.get("external_ids") or {}).get("isrc")
        if known is None:
            self.tracks[track_id] = {
                "track_id": track_id, "name": obj.get("name") or "(untitled)",
                "album_id": album.get("id"), "duration_ms": obj.get("duration_ms"),
                "explicit": obj.get("explicit"), "popularity": obj.get("popularity"),
                "isrc": isrc, "disc_number": obj.get("disc_number"),
                "track_number": obj.get("track_number"), "source": SOURCE}
            artists = [a for a in obj.get("artists") or [] if a and a.get("id")]
            self.track_artists[track_id] = [a["id"] for a in artists]
            for a in artists:
                self.artist_names.setdefault(a["id"], a.get("name") or "")
        elif isrc and not known.get("isrc"):
            known["isrc"] = isrc  # a full object fills what a simplified one lacked
        return track_id


# -- the sync -----------------------------------------------------------------------------------
def sync_library(client: SpotifyClient, store: Store, progress: ProgressFn | None = None,
                 options: SyncOptions | None = None) -> SyncReport:
    """Read the signed-in user's library and replace ``spotify:<user id>`` with it.

    Raises :class:`SyncError` (with the partial report) when Spotify or the store fails; the
    stored library is then unchanged and the fetched albums/artists stay cached for the re-run.
    """
    options = options or SyncOptions()
    client.stats = CallStats()  # count this sync's requests only
    report = SyncReport(stats=client.stats)
    emit = progress or (lambda _event: None)
    try:
        _run(client, store, emit, options, report)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except Exception as exc:
        if getattr(type(exc), "__module__", "").startswith("streamlit"):
            raise  # a rerun/stop of the Streamlit script: let it unwind
        raise SyncError(f"{exc} The library was not changed.", report) from exc
    return report


def _run(client: SpotifyClient, store: Store, emit: ProgressFn, options: SyncOptions,
         report: SyncReport) -> None:
    c = _Collector()
    cache = RemoteCache(store)

    emit(Progress("profile", 0, 1, "Reading your profile"))
    me = client.me()
    report.user_id = str(me["id"])
    report.display_name = me.get("display_name") or report.user_id
    report.library_id = f"spotify:{report.user_id}"
    emit(Progress("profile", 1, 1, f"Signed in as {report.display_name}"))

    # Liked songs
    for page in client.saved_tracks():
        for item in page.get("items") or []:
            track_id = c.add_track((item or {}).get("track"))
            if track_id:
                c.liked.setdefault(track_id, item.get("added_at"))
        emit(Progress("liked songs", len(c.liked), page.get("total"),
                      f"{len(c.liked):,} liked songs"))
    report.counts["liked songs"] = len(c.liked)

    # Saved albums: full album objects, with the first page of their tracks
    saved_albums = 0
    with cache.writer(ALBUM_PROVIDER) as albums_cache:
        for page in client.saved_albums():
            for item in page.get("items") or []:
                album = (item or {}).get("album")
                if not album or not album.get("id"):
                    continue
                saved_albums += 1
                full = trim_album(album)
                c.albums_full[album["id"]] = full
                albums_cache.put(album["id"], full)
                tracks_page = album.get("tracks") or {}
                while tracks_page:
                    for t in tracks_page.get("items") or []:
                        c.add_track(t, album=album)
                    tracks_page = client.next_page(tracks_page)
            emit(Progress("saved albums", saved_albums, page.get("total"),
                          f"{saved_albums:,} saved albums"))
    report.counts["saved albums"] = saved_albums

    if options.playlists:
        _playlists(client, c, emit, report)
    if options.top:
        _top(client, c, emit, report)
    if options.recent:
        emit(Progress("recently played", 0, None, "Reading recently played"))
        for page in client.recently_played():
            for item in page.get("items") or []:
                track_id = c.add_track((item or {}).get("track"))
                if track_id:
                    c.recent.append(track_id)
        report.counts["recent plays"] = len(c.recent)
        emit(Progress("recently played", len(c.recent), len(c.recent),
                      f"{len(c.recent):,} recent plays"))

    if options.albums:
        _fetch_each(client.album, cache, ALBUM_PROVIDER, "albums",
                    [a for a in c.albums_simple if a not in c.albums_full], c.albums_full,
                    trim_album, emit, report, options.refresh_cache)
    if options.artists:
        wanted = set(c.artist_names)
        for album in c.albums_full.values():
            wanted.update(a["id"] for a in album.get("artists", []))
        _fetch_each(client.artist, cache, ARTIST_PROVIDER, "artists", sorted(wanted),
                    c.artists_full, trim_artist, emit, report, options.refresh_cache)

    emit(Progress("saving", 0, 1, "Writing the library"))
    data = build_library(c)
    _carry_over(store, report.library_id, data, report)
    report.tracks = data.count("tracks")
    report.skipped = c.skipped
    report.version = store.replace_library(
        report.library_id, data, name=f"Spotify: {report.display_name}", kind="spotify",
        description=f"Synced from Spotify account {report.user_id}")
    emit(Progress("saving", 1, 1, f"Saved {report.tracks:,} tracks"))


def _playlists(client: SpotifyClient, c: _Collector, emit: ProgressFn,
               report: SyncReport) -> None:
    listed: list[dict] = []
    for page in client.playlists():
        listed.extend(p for p in page.get("items") or [] if p and p.get("id"))
        emit(Progress("playlists", 0, page.get("total"), f"{len(listed):,} playlists found"))
    own = others = items = 0
    for i, pl in enumerate(listed, start=1):
        owner = pl.get("owner") or {}
        mine = owner.get("id") == report.user_id or bool(pl.get("collaborative"))
        c.playlists.append({
            "playlist_id": pl["id"], "name": pl.get("name") or "(untitled playlist)",
            "owner": owner.get("display_name") or owner.get("id"),
            "description": html.unescape(pl.get("description") or "") or None,
            "image_url": _image(pl), "source": SOURCE if mine else f"{SOURCE}:metadata-only"})
        if not mine:
            others += 1
            continue
        own += 1
        position = 0
        try:
            for page in client.playlist_items(pl["id"]):
                for entry in page.get("items") or []:
                    entry = entry or {}
                    obj = entry.get("item", entry.get("track"))
                    track_id = c.add_track(obj, is_local=bool(entry.get("is_local")))
                    if track_id:
                        c.playlist_tracks.append({"playlist_id": pl["id"], "track_id": track_id,
                                                  "position": position,
                                                  "added_at": entry.get("added_at")})
                        items += 1
                    position += 1
        except (Forbidden, NotFound):
            report.notes.append(f"Playlist “{pl.get('name')}”: Spotify did not return its items.")
        emit(Progress("playlists", i, len(listed), f"{i:,} of {len(listed):,} playlists "
                      f"({items:,} items)"))
    report.counts["playlists (own or collaborative)"] = own
    report.counts["playlist items"] = items
    if others:
        report.counts["playlists of others (metadata only)"] = others
        report.notes.append(
            f"{others:,} playlist{'s' if others != 1 else ''} you follow but don't own: name and "
            "owner only — Spotify returns a playlist's tracks only to its owner and "
            "collaborators.")


def _top(client: SpotifyClient, c: _Collector, emit: ProgressFn, report: SyncReport) -> None:
    done = 0
    for kind in ("tracks", "artists"):
        for time_range in TIME_RANGES:
            ids: list[str] = []
            for page in client.top(kind, time_range):
                for obj in page.get("items") or []:
                    if kind == "tracks":
                        track_id = c.add_track(obj)
                        if track_id:
                            ids.append(track_id)
                    elif obj and obj.get("id"):
                        ids.append(obj["id"])  # full artist objects: no fetch needed later
                        c.artists_full.setdefault(obj["id"], trim_artist(obj))
            (c.top_tracks if kind == "tracks" else c.top_artists)[time_range] = ids
            done += 1
            emit(Progress("top tracks & artists", done, 6,
                          f"top {kind} ({time_range.replace('_', ' ')}): {len(ids)}"))
    report.counts["top tracks"] = len({t for ids in c.top_tracks.values() for t in ids})
    report.counts["top artists"] = len({a for ids in c.top_artists.values() for a in ids})


def _fetch_each(fetch: Callable[[str], dict], cache: RemoteCache, provider: str, step: str,
                ids: list[str], into: dict[str, dict], trim: Callable[[dict], dict],
                emit: ProgressFn, report: SyncReport, refresh: bool) -> None:
    """Fetch each id not cached yet, one request per id, caching every answer at once."""
    ids = [i for i in ids if i not in into]
    cached = {} if refresh else cache.get_many(provider, ids)
    for key, (status, payload) in cached.items():
        if status == OK and payload:
            into[key] = payload
    todo = [i for i in ids if i not in cached]
    report.fetched[f"{step} cached"] = len(cached)
    report.fetched[f"{step} fetched"] = 0
    emit(Progress(step, 0, len(todo), f"{len(cached):,} {step} cached, {len(todo):,} to fetch"))
    with cache.writer(provider) as writer:
        for n, key in enumerate(todo, start=1):
            try:
                payload = trim(fetch(key))
                into[key] = payload
                writer.put(key, payload)
            except NotFound:
                writer.put(key, None, MISSING)
            except Forbidden as exc:
                report.notes.append(f"Stopped fetching {step}: {exc}")
                return
            report.fetched[f"{step} fetched"] = n
            if n % 10 == 0 or n == len(todo):
                emit(Progress(step, n, len(todo), f"{n:,} of {len(todo):,} {step} fetched"))


# -- building the library -----------------------------------------------------------------------
def _timestamps(values: Iterable[Any]) -> pd.Series:
    return pd.to_datetime(pd.Series(list(values), dtype="object"), utc=True, errors="coerce")


def top_scores(top_tracks: dict[str, list[str]], top_artists: dict[str, list[str]],
               recent: list[str], primary_artist: dict[str, str]) -> pd.DataFrame:
    """Score 0–100 from Spotify's top lists, for libraries without imported listening history.

    Points per track: for each time range r in which the track is in the top list of length N at
    rank i (0-based), ``w_r · (N − i) / N`` with w = 1 (short term), 2 (medium), 3 (long);
    for each range in which its primary artist is a top artist, half of that by the artist's
    rank; plus 0.5 per play among the last 50 recently played. Scores are scaled so the highest
    is 100 (one decimal). ``plays`` is the count among recent plays.
    """
    points: Counter = Counter()
    for time_range, ids in top_tracks.items():
        w = RANGE_WEIGHTS.get(time_range, 1.0)
        for i, t in enumerate(ids):
            points[t] += w * (len(ids) - i) / len(ids)
    artist_points: Counter = Counter()
    for time_range, ids in top_artists.items():
        w = RANGE_WEIGHTS.get(time_range, 1.0)
        for i, a in enumerate(ids):
            artist_points[a] += ARTIST_SHARE * w * (len(ids) - i) / len(ids)
    if artist_points:
        for t, a in primary_artist.items():
            if a in artist_points:
                points[t] += artist_points[a]
    plays = Counter(recent)
    for t, n in plays.items():
        points[t] += RECENT_PLAY_POINTS * n
    if not points:
        return pd.DataFrame(columns=["track_id", "score", "plays", "ms_played", "source"])
    top = max(points.values())
    ids = sorted(points)
    return pd.DataFrame({"track_id": ids,
                         "score": [round(100.0 * points[t] / top, 1) for t in ids],
                         "plays": pd.array([plays.get(t) or None for t in ids], dtype="Int64"),
                         "ms_played": None, "source": SCORE_SOURCE})


def build_library(c: _Collector) -> LibraryData:
    """Turn what the pages returned into the store's frames."""
    tracks = pd.DataFrame(list(c.tracks.values()),
                          columns=["track_id", "name", "album_id", "duration_ms", "explicit",
                                   "popularity", "isrc", "disc_number", "track_number", "source"])
    album_rows, album_artists = [], []
    for album_id in dict.fromkeys(list(c.albums_simple) + list(c.albums_full)):
        a = c.albums_full.get(album_id) or c.albums_simple[album_id]
        simple = c.albums_simple.get(album_id) or {}
        album_rows.append({"album_id": album_id, "name": a["name"],
                           "release_date": a.get("release_date"),
                           "release_year": _year(a.get("release_date")),
                           "image_url": a.get("image_url") or simple.get("image_url"),
                           "label_raw": a.get("label"), "upc": a.get("upc"),
                           "album_type": a.get("album_type"), "source": SOURCE})
        for pos, artist in enumerate(a.get("artists") or simple.get("artists") or []):
            album_artists.append({"album_id": album_id, "artist_id": artist["id"],
                                  "position": pos})
            c.artist_names.setdefault(artist["id"], artist.get("name") or "")
    track_artists = [{"track_id": t, "artist_id": a, "position": i}
                     for t, ids in c.track_artists.items() for i, a in enumerate(ids)]
    artist_rows, genres = [], []
    # Artists of the library's tracks and albums (top artists without tracks only feed Score).
    for artist_id in sorted(c.artist_names):
        full = c.artists_full.get(artist_id) or {}
        artist_rows.append({"artist_id": artist_id,
                            "name": full.get("name") or c.artist_names.get(artist_id)
                            or "(unknown artist)",
                            "image_url": full.get("image_url"), "source": SOURCE})
        for pos, genre in enumerate(full.get("genres") or []):
            genres.append({"artist_id": artist_id, "genre": genre, "position": pos,
                           "source": SOURCE})
    liked = pd.DataFrame({"track_id": list(c.liked), "added_at": _timestamps(c.liked.values()),
                          "source": SOURCE})
    playlist_tracks = pd.DataFrame(c.playlist_tracks,
                                   columns=["playlist_id", "track_id", "position", "added_at"])
    playlist_tracks["added_at"] = _timestamps(playlist_tracks["added_at"])
    primary = {t: ids[0] for t, ids in c.track_artists.items() if ids}
    return LibraryData({
        "tracks": tracks,
        "albums": pd.DataFrame(album_rows, columns=["album_id", "name", "release_date",
                                                    "release_year", "image_url", "label_raw",
                                                    "upc", "album_type", "source"]),
        "artists": pd.DataFrame(artist_rows, columns=["artist_id", "name", "image_url", "source"]),
        "track_artists": pd.DataFrame(track_artists, columns=["track_id", "artist_id", "position"]),
        "album_artists": pd.DataFrame(album_artists, columns=["album_id", "artist_id", "position"]),
        "artist_genres": pd.DataFrame(genres, columns=["artist_id", "genre", "position", "source"]),
        "playlists": pd.DataFrame(c.playlists, columns=["playlist_id", "name", "owner",
                                                        "description", "image_url", "source"]),
        "playlist_tracks": playlist_tracks,
        "liked": liked,
        "scores": top_scores(c.top_tracks, c.top_artists, c.recent, primary),
    })


def _carry_over(store: Store, library_id: str, data: LibraryData, report: SyncReport) -> None:
    """Keep what imports and enrichment added to the previous version, for tracks still here."""
    if store.version(library_id) < 0:
        return
    track_ids = set(data.get("tracks")["track_id"])
    features = store.query(
        f"SELECT track_id, {', '.join(AUDIO_FEATURES)}, source FROM audio_features "
        "WHERE library_id = ?", [library_id])
    features = features[features["track_id"].isin(track_ids)]
    if len(features):
        data.frames["audio_features"] = features.reset_index(drop=True)
    history = store.query(
        "SELECT track_id, score, plays, ms_played, source FROM scores WHERE library_id = ? "
        f"AND coalesce(source, '') <> '{SCORE_SOURCE}'", [library_id])
    history = history[history["track_id"].isin(track_ids)]
    if len(history):
        data.frames["scores"] = history.reset_index(drop=True)
        report.notes.append("Score comes from your imported listening history (kept); "
                            "Spotify's top lists were not used for it.")
    labels = store.query("SELECT album_id, label_raw, label_source FROM albums WHERE "
                         "library_id = ? AND label_raw IS NOT NULL", [library_id])
    if len(labels):
        albums = data.frames["albums"]
        known = dict(zip(labels["album_id"], labels["label_raw"]))
        origin = dict(zip(labels["album_id"], labels["label_source"]))
        albums["label_source"] = [None if isinstance(raw, str) and raw else origin.get(a)
                                  for a, raw in zip(albums["album_id"], albums["label_raw"])]
        albums["label_raw"] = [raw if isinstance(raw, str) and raw else known.get(a)
                               for a, raw in zip(albums["album_id"], albums["label_raw"])]
    genres = store.query("SELECT artist_id, genre, position, source FROM artist_genres "
                         "WHERE library_id = ? AND coalesce(source, '') <> ?",
                         [library_id, SOURCE])
    if len(genres):
        artists = set(data.get("artists")["artist_id"])
        genres = genres[genres["artist_id"].isin(artists)]
        data.frames["artist_genres"] = pd.concat([data.get("artist_genres"), genres],
                                                 ignore_index=True)
