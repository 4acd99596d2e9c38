"""Ask once: what the user allowed each third-party provider to receive, per library.

After a sync or an import leaves a library below :data:`TARGET` coverage of audio features or
record labels, the page offers one button per missing kind (:func:`offers`): what it fetches, for
how many tracks, from whom, and what it sends. The click is the consent; the answer is stored per
library in ``enrichment_consent`` (schema migration 4 → 5) so the next sync or import runs the
provider without asking (:func:`consented`), and a "no" stops the question. The Data page lists
and changes the answers. Nothing is sent to a third party without a stored "yes" or a click; the
headless ``python -m lib sync`` keeps its own flags and ignores these answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from lib.enrichment.base import tracks_without_features
from lib.store.db import Store

TARGET = 0.9
YES, NO = "yes", "no"
_SPOTIFY_ID = re.compile(r"^[0-9A-Za-z]{22}$")


@dataclass(frozen=True)
class Offer:
    """One button: fetch ``kind`` for ``tracks`` tracks from ``provider`` (``sends``: what goes)."""

    kind: str          # "audio features" | "tempo and loudness" | "record labels"
    provider: str      # a key of lib.enrichment.PROVIDERS
    service: str       # who receives the ids
    tracks: int        # tracks that would gain something if the service knows them
    sends: str         # what is sent, in a few words
    coverage: float    # the kind's coverage now (0–1)

    @property
    def button(self) -> str:
        return (f"Fetch {self.kind} for {self.tracks:,} tracks from {self.service} — "
                f"sends their {self.sends}")


def answers(store: Store, library_id: str) -> dict[str, str]:
    """provider → "yes" / "no" for the providers the user answered about in this library."""
    frame = store.query("SELECT provider, answer FROM enrichment_consent WHERE library_id = ?",
                        [library_id])
    return dict(zip(frame["provider"], frame["answer"]))


def consented(store: Store, library_id: str) -> list[str]:
    """Providers the user said yes to in this library."""
    return sorted(p for p, a in answers(store, library_id).items() if a == YES)


def record(store: Store, library_id: str, provider: str, answer: str | None) -> None:
    """Store (or, with ``None``, forget) the answer about ``provider`` in one statement."""
    with store.cursor() as cur:
        if answer is None:
            cur.execute("DELETE FROM enrichment_consent WHERE library_id = ? AND provider = ?",
                        [library_id, provider])
            return
        if answer not in (YES, NO):
            raise ValueError(f"answer must be {YES!r} or {NO!r}, not {answer!r}")
        cur.execute("INSERT INTO enrichment_consent VALUES (?, ?, ?, ?) ON CONFLICT "
                    "(library_id, provider) DO UPDATE SET answer = excluded.answer, "
                    "decided_at = excluded.decided_at",
                    [library_id, provider, answer, datetime.now(timezone.utc)])


def forget(store: Store, library_id: str) -> None:
    """Drop every answer of a library (when the library is deleted)."""
    with store.cursor() as cur:
        cur.execute("DELETE FROM enrichment_consent WHERE library_id = ?", [library_id])


def gaps(store: Store, library_id: str) -> dict[str, int]:
    """Tracks in the library, and how many lack features / a label (with an id to ask by)."""
    tracks = int(store.query("SELECT count(*) AS n FROM tracks WHERE library_id = ?",
                             [library_id])["n"].iloc[0])
    no_features = tracks_without_features(store, library_id)
    spotify_ids = int(no_features["track_id"].astype(str).str.fullmatch(_SPOTIFY_ID).sum())
    isrcs = int(no_features["isrc"].notna().sum())
    unlabelled = store.query(
        "SELECT count(*) AS n, count(*) FILTER (WHERE a.upc IS NOT NULL OR t.isrc IS NOT NULL) "
        "AS askable FROM tracks t LEFT JOIN albums a ON a.library_id = t.library_id "
        "AND a.album_id = t.album_id WHERE t.library_id = ? "
        "AND (a.label_raw IS NULL OR a.label_raw = '')", [library_id])
    no_tempo = store.query(
        "SELECT count(*) AS n FROM tracks t LEFT JOIN audio_features f ON f.library_id = "
        "t.library_id AND f.track_id = t.track_id WHERE t.library_id = ? AND t.isrc IS NOT NULL "
        "AND t.isrc <> '' AND f.tempo IS NULL", [library_id])
    return {"tracks": tracks, "without features": len(no_features),
            "tempo by isrc": int(no_tempo["n"].iloc[0]),
            "features by spotify id": spotify_ids, "features by isrc": isrcs,
            "without label": int(unlabelled["n"].iloc[0]),
            "labels askable": int(unlabelled["askable"].iloc[0])}


def offers(store: Store, library_id: str, *, kind: str | None = None) -> list[Offer]:
    """The buttons to show now: kinds below :data:`TARGET` whose provider is not answered yet.

    ``kind``: the library's kind (``demo`` libraries get no offers: their ids are fictional).
    """
    info = store.library(library_id)
    if info is None or (kind or info.kind) == "demo":
        return []
    g = gaps(store, library_id)
    if not g["tracks"]:
        return []
    asked = answers(store, library_id)
    out = []
    features = 1 - g["without features"] / g["tracks"]
    if features < TARGET and "reccobeats" not in asked and g["features by spotify id"]:
        out.append(Offer("audio features", "reccobeats", "ReccoBeats", g["features by spotify id"],
                         "Spotify track ids", features))
    if features < TARGET and "deezer" not in asked and g["tempo by isrc"]:
        out.append(Offer("tempo and loudness", "deezer", "Deezer", g["tempo by isrc"],
                         "ISRCs", features))
    labels = 1 - g["without label"] / g["tracks"]
    if labels < TARGET and "musicbrainz" not in asked and g["labels askable"]:
        out.append(Offer("record labels", "musicbrainz", "MusicBrainz", g["labels askable"],
                         "album barcodes (UPC) and ISRCs", labels))
    return out
