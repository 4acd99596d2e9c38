"""What every enrichment provider shares: its description, its result, the library's gaps."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from lib.spotify.config import SpotifyConfig
from lib.spotify.sync import Progress, ProgressFn
from lib.store.db import AUDIO_FEATURES, LibraryData, Store


@dataclass(frozen=True)
class ProviderInfo:
    """A provider as the UI lists it: what it adds and, in one line, what it sends where."""

    key: str
    title: str
    adds: str
    sends: str
    third_party: bool
    default_on: bool


@dataclass
class ProviderResult:
    """What one provider run added to the library (``added``: kind → count)."""

    key: str
    title: str
    added: dict[str, int] = field(default_factory=dict)
    candidates: int = 0     # gaps it could try to fill
    requests: int = 0       # network requests made
    cached: int = 0         # answers reused from the cache
    remaining: int = 0      # left for a later run (request limit reached)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def line(self) -> str:
        added = ", ".join(f"+{v:,} {k}" for k, v in self.added.items() if v) or "nothing new"
        parts = [f"{self.title}: {added}",
                 f"{self.candidates:,} to look up, {self.requests:,} "
                 f"request{'s' if self.requests != 1 else ''}, {self.cached:,} from cache"]
        if self.remaining:
            parts.append(f"{self.remaining:,} left for the next run")
        if self.error:
            parts.append(f"stopped: {self.error}")
        return " — ".join(parts)


@dataclass
class EnrichContext:
    """Everything a provider run needs. ``max_requests`` bounds one run (None: no bound)."""

    store: Store
    library_id: str
    config: SpotifyConfig
    progress: ProgressFn = lambda _event: None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    max_requests: dict[str, int | None] = field(default_factory=dict)
    spotify_client: object | None = None  # a lib.spotify.client.SpotifyClient, when signed in

    def emit(self, step: str, done: int, total: int | None, message: str) -> None:
        self.progress(Progress(step, done, total, message))

    def limit(self, key: str) -> int | None:
        return self.max_requests.get(key)


# -- the library's gaps -------------------------------------------------------------------------
def tracks_without_features(store: Store, library_id: str) -> pd.DataFrame:
    """track_id, isrc of the library's tracks with no audio features yet."""
    return store.query(
        "SELECT t.track_id, t.isrc FROM tracks t LEFT JOIN audio_features f "
        "ON f.library_id = t.library_id AND f.track_id = t.track_id "
        "WHERE t.library_id = ? AND (f.track_id IS NULL OR f.danceability IS NULL) "
        "ORDER BY t.track_id", [library_id])


def albums_without_label(store: Store, library_id: str) -> pd.DataFrame:
    """album_id, name, upc, one isrc of its tracks, for albums with no label yet."""
    return store.query(
        "SELECT a.album_id, a.name, a.upc, min(t.isrc) AS isrc FROM albums a "
        "LEFT JOIN tracks t ON t.library_id = a.library_id AND t.album_id = a.album_id "
        "WHERE a.library_id = ? AND (a.label_raw IS NULL OR a.label_raw = '') "
        "GROUP BY a.album_id, a.name, a.upc ORDER BY a.album_id", [library_id])


def artists_without_genres(store: Store, library_id: str) -> pd.DataFrame:
    return store.query(
        "SELECT a.artist_id, a.name FROM artists a WHERE a.library_id = ? AND NOT EXISTS ("
        "SELECT 1 FROM artist_genres g WHERE g.library_id = a.library_id "
        "AND g.artist_id = a.artist_id) ORDER BY a.artist_id", [library_id])


def merge_into(store: Store, library_id: str, frames: dict[str, pd.DataFrame]) -> int | None:
    """Fill the library's gaps with ``frames`` (one merge transaction); None when nothing to do."""
    frames = {k: v for k, v in frames.items() if v is not None and len(v)}
    if not frames:
        return None
    info = store.library(library_id)
    name, kind = (info.name, info.kind) if info else (library_id, "spotify")
    return store.merge_library(library_id, LibraryData(frames), name=name, kind=kind)


def label_rows(store: Store, library_id: str, labels: dict[str, str],
               source: str | None = None) -> pd.DataFrame:
    """Album rows (all columns, as stored) with ``label_raw`` set from ``labels`` and
    ``label_source`` (where the label came from) set to ``source``."""
    if not labels:
        return pd.DataFrame()
    albums = store.query("SELECT album_id, name, release_date, release_year, image_url, "
                         "label_raw, upc, album_type, source FROM albums WHERE library_id = ?",
                         [library_id])
    albums = albums[albums["album_id"].isin(list(labels))].copy()
    albums["label_raw"] = albums["album_id"].map(labels)
    albums["label_source"] = source
    return albums


def feature_frame(rows: list[dict], source: str) -> pd.DataFrame:
    """audio_features rows (track_id + every feature, missing ones NaN) with ``source``."""
    frame = pd.DataFrame(rows, columns=["track_id", *AUDIO_FEATURES])
    for f in AUDIO_FEATURES:
        frame[f] = pd.to_numeric(frame[f], errors="coerce")
    frame["source"] = source
    return frame
