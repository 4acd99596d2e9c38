"""Record labels and genres from MusicBrainz, by UPC (albums) and ISRC (tracks).

MusicBrainz asks for at most one request a second and a descriptive User-Agent (name, version,
contact: set ``LABELSCOPE_CONTACT`` to your e-mail or URL). Every answer is cached in the
``remote_cache`` table under its look-up (``barcode:…``, ``isrc:…``, ``release:…``,
``artist:…``), so each id is asked once and an interrupted run resumes where it stopped.

Per album without a label: search releases by barcode (UPC); failing that, look up one of its
tracks' ISRC, take the recording's release whose title matches the album (else the first) and
look that release up with its labels. Artists without genres: the MusicBrainz artist met in those
answers (matched by name) is looked up with its genres (top 5 by votes).
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from lib.store.remote_cache import MISSING, OK, CacheWriter, RemoteCache
from lib.enrichment.base import (EnrichContext, ProviderInfo, ProviderResult,
                                        albums_without_label, artists_without_genres,
                                        label_rows, merge_into)
from lib.enrichment.http import JsonClient, ProviderError, RateLimiter

INFO = ProviderInfo(
    key="musicbrainz", title="MusicBrainz labels & genres",
    adds="labels, genres", third_party=True, default_on=False,
    sends="Sends album barcodes (UPC) and track ISRCs of albums without a label to MusicBrainz "
          "(open music database), one request a second; nothing else about you.")
PROVIDER = "musicbrainz"
MAX_GENRES = 5


def user_agent() -> str:
    contact = os.environ.get("LABELSCOPE_CONTACT") or "contact: set LABELSCOPE_CONTACT"
    return f"labelscope/1.0 ( {contact} )"


class _Budget(Exception):
    """The request limit of this run is reached."""


class _Lookups:
    """Cached MusicBrainz look-ups, counting requests against the run's limit."""

    def __init__(self, ctx: EnrichContext, result: ProviderResult) -> None:
        self.cache = RemoteCache(ctx.store)
        self.http = JsonClient(ctx.config.musicbrainz_url, user_agent=user_agent(),
                               sleep=ctx.sleep, name="MusicBrainz", timeout=ctx.config.timeout,
                               limiter=RateLimiter(1.0, clock=ctx.clock, sleep=ctx.sleep))
        self.limit = ctx.limit(INFO.key)
        self.result = result
        self.writer: CacheWriter | None = None  # set while a run is in progress

    def get(self, key: str, path: str, params: dict[str, Any]) -> dict | None:
        hit = self.writer.get(key) if self.writer else None
        hit = hit or self.cache.get(PROVIDER, key)
        if hit is not None:
            self.result.cached += 1
            return hit[1] if hit[0] == OK else None
        if self.limit is not None and self.http.stats.requests >= self.limit:
            raise _Budget()
        answer = self.http.get(path, dict(params, fmt="json"))
        if self.writer:
            self.writer.put(key, answer, OK if answer else MISSING)
        return answer or None


def _labels_of(release: dict) -> str | None:
    names = []
    for info in release.get("label-info") or []:
        name = ((info or {}).get("label") or {}).get("name")
        if name and name not in names and name != "[no label]":
            names.append(name)
    return " / ".join(names) or None


def _credits(release: dict) -> list[tuple[str, str]]:
    out = []
    for credit in release.get("artist-credit") or []:
        artist = (credit or {}).get("artist") or {}
        if artist.get("id"):
            out.append((artist["id"], artist.get("name") or credit.get("name") or ""))
    return out


def run(ctx: EnrichContext) -> ProviderResult:
    result = ProviderResult(INFO.key, INFO.title)
    look = _Lookups(ctx, result)
    albums = albums_without_label(ctx.store, ctx.library_id)
    artists = artists_without_genres(ctx.store, ctx.library_id)
    result.candidates = len(albums) + len(artists)
    labels: dict[str, str] = {}
    mbid_of_name: dict[str, str] = {}
    genre_rows: list[dict] = []
    with look.cache.writer(PROVIDER, every=10) as look.writer:
        _run_lookups(ctx, look, result, albums, artists, labels, mbid_of_name, genre_rows)
    result.requests = look.http.stats.requests
    genres = pd.DataFrame(genre_rows, columns=["artist_id", "genre", "position", "source"])
    merge_into(ctx.store, ctx.library_id, {"albums": label_rows(ctx.store, ctx.library_id, labels),
                                           "artist_genres": genres})
    result.added = {"labels": len(labels),
                    "genres": int(genres["artist_id"].nunique()) if len(genres) else 0}
    return result


def _run_lookups(ctx: EnrichContext, look: _Lookups, result: ProviderResult,
                 albums: pd.DataFrame, artists: pd.DataFrame, labels: dict[str, str],
                 mbid_of_name: dict[str, str], genre_rows: list[dict]) -> None:
    """Labels of albums, then genres of artists; stops early at the request limit."""
    total, done = len(albums), 0
    try:
        for row in albums.itertuples(index=False):
            release = None
            if isinstance(row.upc, str) and row.upc:
                answer = look.get(f"barcode:{row.upc}", "release",
                                  {"query": f"barcode:{row.upc}", "limit": 5})
                hits = [r for r in (answer or {}).get("releases") or []
                        if str(r.get("barcode") or "").lstrip("0") == row.upc.lstrip("0")]
                release = hits[0] if hits else None
            if (release is None or not _labels_of(release)) and isinstance(row.isrc, str) \
                    and row.isrc:
                release = _release_by_isrc(look, row.isrc, str(row.name)) or release
            if release:
                raw = _labels_of(release)
                if raw:
                    labels[row.album_id] = raw
                for mbid, name in _credits(release):
                    mbid_of_name.setdefault(name.casefold(), mbid)
            done += 1
            if done % 5 == 0 or done == total:
                ctx.emit(INFO.title, done, total, f"{done:,} of {total:,} albums, "
                         f"{len(labels):,} labels found")
        _discover_artists(look, ctx, artists, mbid_of_name)
        _genres(look, ctx, artists, mbid_of_name, genre_rows)
    except _Budget:
        result.remaining = total - done + len(artists) - len({r["artist_id"] for r in genre_rows})
        result.notes.append("Request limit of this run reached; run it again to continue "
                            "(answers so far are cached).")
    except ProviderError as exc:
        result.error = str(exc)
        result.remaining = total - done


def _release_by_isrc(look: _Lookups, isrc: str, album_name: str) -> dict | None:
    answer = look.get(f"isrc:{isrc}", f"isrc/{isrc}", {"inc": "releases+artist-credits"})
    releases = [rel for rec in (answer or {}).get("recordings") or []
                for rel in (rec or {}).get("releases") or [] if rel and rel.get("id")]
    if not releases:
        return None
    same = [r for r in releases if str(r.get("title") or "").casefold() == album_name.casefold()]
    chosen = (same or releases)[0]
    return look.get(f"release:{chosen['id']}", f"release/{chosen['id']}",
                    {"inc": "labels+artist-credits"})


def _discover_artists(look: _Lookups, ctx: EnrichContext, artists: pd.DataFrame,
                      mbid_of_name: dict[str, str]) -> None:
    """Find MusicBrainz ids of artists without genres through one barcode of their albums."""
    unknown = [a for a, n in zip(artists["artist_id"], artists["name"])
               if str(n).casefold() not in mbid_of_name]
    if not unknown:
        return
    upcs = ctx.store.query(
        "SELECT aa.artist_id, min(al.upc) AS upc FROM album_artists aa JOIN albums al "
        "ON al.library_id = aa.library_id AND al.album_id = aa.album_id WHERE aa.library_id = ? "
        "AND al.upc IS NOT NULL GROUP BY aa.artist_id", [ctx.library_id])
    upc_of = dict(zip(upcs["artist_id"], upcs["upc"]))
    for artist_id in unknown:
        upc = upc_of.get(artist_id)
        if not upc:
            continue
        answer = look.get(f"barcode:{upc}", "release", {"query": f"barcode:{upc}", "limit": 5})
        for release in (answer or {}).get("releases") or []:
            for mbid, name in _credits(release):
                mbid_of_name.setdefault(name.casefold(), mbid)


def _genres(look: _Lookups, ctx: EnrichContext, artists: pd.DataFrame,
            mbid_of_name: dict[str, str], rows: list[dict]) -> None:
    todo = [(a, mbid_of_name.get(str(n).casefold())) for a, n in
            zip(artists["artist_id"], artists["name"])]
    todo = [t for t in todo if t[1]]
    for i, (artist_id, mbid) in enumerate(todo, start=1):
        answer = look.get(f"artist:{mbid}", f"artist/{mbid}", {"inc": "genres"})
        ranked = sorted((answer or {}).get("genres") or [],
                        key=lambda g: (-(g.get("count") or 0), g.get("name") or ""))
        for pos, genre in enumerate(ranked[:MAX_GENRES]):
            if genre.get("name"):
                rows.append({"artist_id": artist_id, "genre": genre["name"], "position": pos,
                             "source": "musicbrainz"})
        if i % 5 == 0 or i == len(todo):
            ctx.emit(INFO.title, i, len(todo), f"genres: {i:,} of {len(todo):,} artists")
