"""Record labels, label families and genres from MusicBrainz, by UPC (albums) and ISRC (tracks).

MusicBrainz asks for at most one request a second and a descriptive User-Agent (name, version,
contact: set ``LABELSCOPE_CONTACT`` to your e-mail or URL). Every answer is cached in the
``remote_cache`` table under its look-up (``barcode:…``, ``isrc:…``, ``release:…``, ``label:…``,
``artist:…``), so each id is asked once and an interrupted run resumes where it stopped.

Many ids per request: the search API takes Lucene queries, so one request asks for up to
:data:`BARCODES_PER_QUERY` barcodes (``release?query=barcode:… OR barcode:…&limit=100``, paged by
``offset`` when ``count`` says there is more) and :data:`ISRCS_PER_QUERY` ISRCs
(``recording?query=isrc:… OR isrc:…``). Per album without a label:

1. its barcode (UPC, asked as given and as 12/13 digits) in a batch release search;
2. failing that, one of its tracks' ISRC in a batch recording search; the recording's release whose
   title matches the album (else the first) is then fetched with its labels by a batch release
   search on ``reid:…`` and, only for releases that batch did not return, a single look-up.

A search miss is cached as missing (the search index is what a look-up would read too), so a
10,000-track library needs a few hundred requests instead of one per album. Then each label met
is looked up once with its label relations (``label:{mbid}?inc=label-rels``) for its family
(:mod:`lib.labels.families`), parents included; artists without genres are looked up with their
genres (top 5 by votes) last.
"""

from __future__ import annotations

import os
from typing import Any, Iterable

import pandas as pd

from lib.enrichment.base import (EnrichContext, ProviderInfo, ProviderResult,
                                 albums_without_label, artists_without_genres,
                                 label_rows, merge_into)
from lib.enrichment.http import JsonClient, ProviderError, RateLimiter
from lib.store.remote_cache import MISSING, OK, CacheWriter, RemoteCache

INFO = ProviderInfo(
    key="musicbrainz", title="MusicBrainz labels & genres",
    adds="labels, label families, genres", third_party=True, default_on=False,
    sends="Sends album barcodes (UPC) and track ISRCs of albums without a label to MusicBrainz "
          "(open music database), one request a second; nothing else about you.")
PROVIDER = "musicbrainz"
MAX_GENRES = 5
PAGE = 100                 # the search API's largest page
BARCODES_PER_QUERY = 50    # up to 2 spellings each: ≤ 100 terms, a URL of about 3 kB
ISRCS_PER_QUERY = 25       # an ISRC can sit on several recordings
RELEASES_PER_QUERY = 50
FAMILY_DEPTH = 3           # label → parent → grandparent → its parent


def user_agent() -> str:
    contact = os.environ.get("LABELSCOPE_CONTACT") or "contact: set LABELSCOPE_CONTACT"
    return f"labelscope/1.0 ( {contact} )"


class _Budget(Exception):
    """The request limit of this run is reached."""


def barcode_key(upc: str) -> str:
    """Barcodes compare without leading zeros (UPC-A vs EAN-13 spellings)."""
    return str(upc).strip().lstrip("0")


def barcode_spellings(upc: str) -> list[str]:
    """The barcode as given plus its 12- and 13-digit spellings."""
    core = barcode_key(upc)
    out = [str(upc).strip()]
    for width in (12, 13):
        if len(core) <= width:
            out.append(core.zfill(width))
    return [s for s in dict.fromkeys(out) if s.isdigit()]


class _Lookups:
    """Cached MusicBrainz look-ups and batch searches, counting requests against the limit."""

    def __init__(self, ctx: EnrichContext, result: ProviderResult) -> None:
        self.cache = RemoteCache(ctx.store)
        self.http = JsonClient(ctx.config.musicbrainz_url, user_agent=user_agent(),
                               sleep=ctx.sleep, name="MusicBrainz", timeout=ctx.config.timeout,
                               limiter=RateLimiter(1.0, clock=ctx.clock, sleep=ctx.sleep))
        self.limit = ctx.limit(INFO.key)
        self.result = result
        self.writer: CacheWriter | None = None  # set while a run is in progress

    # -- cache -------------------------------------------------------------------------------
    def cached(self, keys: Iterable[str]) -> dict[str, tuple[str, Any]]:
        keys = list(dict.fromkeys(keys))
        found = {k: self.writer.get(k) for k in keys} if self.writer else {}
        found = {k: v for k, v in found.items() if v is not None}
        found.update(self.cache.get_many(PROVIDER, [k for k in keys if k not in found]))
        return found

    def put(self, key: str, payload: Any) -> None:
        if self.writer:
            self.writer.put(key, payload, OK if payload else MISSING)

    def request(self, path: str, params: dict[str, Any]) -> Any:
        if self.limit is not None and self.http.stats.requests >= self.limit:
            raise _Budget()
        return self.http.get(path, dict(params, fmt="json"))

    def get(self, key: str, path: str, params: dict[str, Any]) -> dict | None:
        """One cached look-up (``None``: the service has nothing)."""
        hit = self.cached([key]).get(key)
        if hit is not None:
            self.result.cached += 1
            return hit[1] if hit[0] == OK else None
        answer = self.request(path, params)
        self.put(key, answer)
        return answer or None

    def search(self, entity: str, field: str, terms: list[str]) -> list[dict]:
        """Every result of ``field:t1 OR field:t2 …`` (paged by 100)."""
        query = " OR ".join(f"{field}:{t}" for t in terms)
        results: list[dict] = []
        offset = 0
        while True:
            answer = self.request(entity, {"query": query, "limit": PAGE, "offset": offset}) or {}
            page = [r for r in answer.get(f"{entity}s") or [] if isinstance(r, dict)]
            results.extend(page)
            offset += len(page)
            if not page or offset >= int(answer.get("count") or 0):
                return results


def _labels_of(release: dict) -> str | None:
    names = []
    for info in release.get("label-info") or []:
        name = ((info or {}).get("label") or {}).get("name")
        if name and name not in names and name != "[no label]":
            names.append(name)
    return " / ".join(names) or None


def label_ids_of(release: dict) -> dict[str, str]:
    """Label name → MusicBrainz label id, from a release's ``label-info``."""
    out: dict[str, str] = {}
    for info in release.get("label-info") or []:
        label = (info or {}).get("label") or {}
        if label.get("id") and label.get("name") and label["name"] != "[no label]":
            out.setdefault(label["name"], label["id"])
    return out


def _credits(release: dict) -> list[tuple[str, str]]:
    out = []
    for credit in release.get("artist-credit") or []:
        artist = (credit or {}).get("artist") or {}
        if artist.get("id"):
            out.append((artist["id"], artist.get("name") or credit.get("name") or ""))
    return out


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def run(ctx: EnrichContext) -> ProviderResult:
    result = ProviderResult(INFO.key, INFO.title)
    look = _Lookups(ctx, result)
    albums = albums_without_label(ctx.store, ctx.library_id)
    artists = artists_without_genres(ctx.store, ctx.library_id)
    result.candidates = len(albums) + len(artists)
    found = _Found()
    with look.cache.writer(PROVIDER, every=50) as look.writer:
        _run_lookups(ctx, look, result, albums, artists, found)
    result.requests = look.http.stats.requests
    genres = pd.DataFrame(found.genre_rows, columns=["artist_id", "genre", "position", "source"])
    merge_into(ctx.store, ctx.library_id, {
        "albums": label_rows(ctx.store, ctx.library_id, found.labels, PROVIDER),
        "artist_genres": genres})
    result.added = {"labels": len(found.labels), "label families": found.families,
                    "genres": int(genres["artist_id"].nunique()) if len(genres) else 0}
    return result


class _Found:
    def __init__(self) -> None:
        self.labels: dict[str, str] = {}          # album_id → label_raw
        self.mbid_of_name: dict[str, str] = {}    # artist name (casefolded) → artist mbid
        self.genre_rows: list[dict] = []
        self.families = 0

    def take(self, album_id: str, release: dict) -> bool:
        for mbid, name in _credits(release):
            self.mbid_of_name.setdefault(name.casefold(), mbid)
        raw = _labels_of(release)
        if raw:
            self.labels[album_id] = raw
        return bool(raw)


def _run_lookups(ctx: EnrichContext, look: _Lookups, result: ProviderResult,
                 albums: pd.DataFrame, artists: pd.DataFrame, found: _Found) -> None:
    """Labels of albums, label families, then genres of artists; stops at the request limit."""
    total = len(albums)
    try:
        by_upc = _releases_by_barcode(ctx, look, [u for u in albums["upc"]
                                                 if isinstance(u, str) and u])
        unresolved = []
        for row in albums.itertuples(index=False):
            release = by_upc.get(row.upc) if isinstance(row.upc, str) else None
            if not (release and found.take(row.album_id, release)):
                unresolved.append(row)
        ctx.emit(INFO.title, total - len(unresolved), total,
                 f"{len(found.labels):,} of {total:,} albums have a label from their barcode")
        _labels_by_isrc(ctx, look, unresolved, found)
        ctx.emit(INFO.title, total, total, f"{len(found.labels):,} labels found")
        found.families = _families(ctx, look, found.labels.values())
        _discover_artists(look, ctx, artists, found.mbid_of_name)
        _genres(look, ctx, artists, found.mbid_of_name, found.genre_rows)
    except _Budget:
        result.remaining = (total - len(found.labels) + len(artists)
                            - len({r["artist_id"] for r in found.genre_rows}))
        result.notes.append("Request limit of this run reached; run it again to continue "
                            "(answers so far are cached).")
    except ProviderError as exc:
        result.error = str(exc)
        result.remaining = total - len(found.labels)


def _releases_by_barcode(ctx: EnrichContext, look: _Lookups, upcs: list[str]) -> dict[str, dict]:
    """upc → the first release with that barcode (and labels, when one has them)."""
    upcs = list(dict.fromkeys(upcs))
    answers = {k[len("barcode:"):]: v for k, v in
               look.cached(f"barcode:{u}" for u in upcs).items()}
    look.result.cached += len(answers)
    todo = [u for u in upcs if u not in answers]
    for n, batch in enumerate(_chunks(todo, BARCODES_PER_QUERY), start=1):
        terms = [s for u in batch for s in barcode_spellings(u)]
        hits: dict[str, list[dict]] = {}
        for release in look.search("release", "barcode", terms):
            hits.setdefault(barcode_key(release.get("barcode") or ""), []).append(release)
        for upc in batch:
            releases = hits.get(barcode_key(upc)) or []
            payload = {"releases": releases} if releases else None
            look.put(f"barcode:{upc}", payload)
            answers[upc] = (OK if payload else MISSING, payload)
        ctx.emit(INFO.title, n * BARCODES_PER_QUERY, len(todo),
                 f"barcodes: {min(n * BARCODES_PER_QUERY, len(todo)):,} of {len(todo):,} asked")
    out = {}
    for upc, (status, payload) in answers.items():
        releases = [r for r in (payload or {}).get("releases") or []
                    if barcode_key(r.get("barcode") or "") == barcode_key(upc)]
        if status == OK and releases:
            out[upc] = next((r for r in releases if _labels_of(r)), releases[0])
    return out


def _labels_by_isrc(ctx: EnrichContext, look: _Lookups, rows: list, found: _Found) -> None:
    rows = [r for r in rows if isinstance(r.isrc, str) and r.isrc]
    isrcs = list(dict.fromkeys(r.isrc for r in rows))
    answers = {k[len("isrc:"):]: v for k, v in look.cached(f"isrc:{i}" for i in isrcs).items()}
    look.result.cached += len(answers)
    todo = [i for i in isrcs if i not in answers]
    for batch in _chunks(todo, ISRCS_PER_QUERY):
        hits: dict[str, list[dict]] = {}
        for rec in look.search("recording", "isrc", batch):
            for isrc in rec.get("isrcs") or []:
                hits.setdefault(str(isrc).upper(), []).append(rec)
        for isrc in batch:
            payload = {"recordings": hits[isrc.upper()]} if hits.get(isrc.upper()) else None
            look.put(f"isrc:{isrc}", payload)
            answers[isrc] = (OK if payload else MISSING, payload)
    chosen: dict[str, str] = {}  # album_id → release id
    for row in rows:
        status, payload = answers.get(row.isrc, (MISSING, None))
        releases = [rel for rec in (payload or {}).get("recordings") or []
                    for rel in (rec or {}).get("releases") or [] if rel and rel.get("id")]
        if releases:
            same = [r for r in releases
                    if str(r.get("title") or "").casefold() == str(row.name).casefold()]
            chosen[row.album_id] = (same or releases)[0]["id"]
    releases = _releases_by_id(look, list(dict.fromkeys(chosen.values())))
    for album_id, rid in chosen.items():
        if releases.get(rid):
            found.take(album_id, releases[rid])


def _releases_by_id(look: _Lookups, rids: list[str]) -> dict[str, dict]:
    """Release id → release with labels: batch search on ``reid``, single look-ups for the rest."""
    answers = {k[len("release:"):]: v for k, v in
               look.cached(f"release:{r}" for r in rids).items()}
    look.result.cached += len(answers)
    todo = [r for r in rids if r not in answers]
    for batch in _chunks(todo, RELEASES_PER_QUERY):
        for release in look.search("release", "reid", batch):
            if release.get("id") in batch and release["id"] not in answers:
                look.put(f"release:{release['id']}", release)
                answers[release["id"]] = (OK, release)
    for rid in todo:
        if rid not in answers:  # not in the search index (yet): one look-up
            answer = look.request(f"release/{rid}", {"inc": "labels+artist-credits"})
            look.put(f"release:{rid}", answer)
            answers[rid] = (OK if answer else MISSING, answer)
    return {rid: payload for rid, (status, payload) in answers.items() if status == OK}


def _families(ctx: EnrichContext, look: _Lookups, found_labels: Iterable[str]) -> int:
    """Look up every label met (and its parents) with its label relations; returns how many."""
    from lib.labels.families import parent_relation
    if look.writer:
        look.writer.flush()
    # Only this library's labels (the cache holds every library's answers).
    raws = set(ctx.store.query("SELECT DISTINCT label_raw FROM albums WHERE library_id = ? AND "
                               "label_raw IS NOT NULL", [ctx.library_id])["label_raw"])
    raws |= set(found_labels)
    names = raws | {part for raw in raws for part in raw.split(" / ")}
    ids = {n: m for n, m in label_ids_in_cache(ctx.store).items() if n in names}
    seen: set[str] = set()
    wave = sorted(set(ids.values()))
    for _depth in range(FAMILY_DEPTH + 1):
        parents = []
        for i, mbid in enumerate(wave, start=1):
            if mbid in seen:
                continue
            seen.add(mbid)
            answer = look.get(f"label:{mbid}", f"label/{mbid}", {"inc": "label-rels"})
            parent = parent_relation(answer or {})
            if parent:
                parents.append(parent["id"])
            if i % 10 == 0 or i == len(wave):
                ctx.emit(INFO.title, i, len(wave), f"label families: {i:,} of {len(wave):,}")
        wave = [p for p in dict.fromkeys(parents) if p not in seen]
        if not wave:
            break
    return len(seen)


def label_ids_in_cache(store: Any) -> dict[str, str]:
    """Label name → MusicBrainz label id, from every cached release answer."""
    frame = store.query("SELECT key, payload FROM remote_cache WHERE provider = ? AND status = ? "
                        "AND (key LIKE 'barcode:%' OR key LIKE 'release:%')", [PROVIDER, OK])
    import json
    out: dict[str, str] = {}
    for key, payload in zip(frame["key"], frame["payload"]):
        data = json.loads(payload) if payload else {}
        releases = data.get("releases") if key.startswith("barcode:") else [data]
        for release in releases or []:
            for name, mbid in label_ids_of(release or {}).items():
                out.setdefault(name, mbid)
    return out


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
    wanted = [upc_of[a] for a in unknown if upc_of.get(a)]
    for release in _releases_by_barcode(ctx, look, wanted).values():
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
