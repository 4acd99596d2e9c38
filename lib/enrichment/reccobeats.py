"""Audio features from ReccoBeats (free, no key): ``GET audio-features?ids=<spotify ids>``.

About 40 Spotify ids a call. Each answer item has ReccoBeats' own ``id``; the Spotify id is read
back from ``href`` (``https://open.spotify.com/track/<id>``). Unknown ids are silently left out of
the answer: they are cached as missing so they are asked once. No ``time_signature``.
"""

from __future__ import annotations

import re

from lib.store.remote_cache import MISSING, OK, RemoteCache
from lib.enrichment.base import (EnrichContext, ProviderInfo, ProviderResult,
                                        feature_frame, merge_into, tracks_without_features)
from lib.enrichment.http import JsonClient, ProviderError
from lib.store.db import AUDIO_FEATURES

INFO = ProviderInfo(
    key="reccobeats", title="ReccoBeats audio features",
    adds="audio features", third_party=True, default_on=False,
    sends="Sends the Spotify ids of tracks without audio features to ReccoBeats (a free "
          "third-party service), about 40 ids a request; nothing else about you.")
PROVIDER = "reccobeats"
BATCH = 40
_HREF = re.compile(r"open\.spotify\.com/(?:intl-[a-z]{2}/)?track/([0-9A-Za-z]+)")


def spotify_id_of(item: dict) -> str | None:
    """The Spotify track id an answer item is about (from its ``href``)."""
    match = _HREF.search(str(item.get("href") or ""))
    return match.group(1) if match else None


def run(ctx: EnrichContext) -> ProviderResult:
    result = ProviderResult(INFO.key, INFO.title)
    gaps = tracks_without_features(ctx.store, ctx.library_id)["track_id"].tolist()
    result.candidates = len(gaps)
    cache = RemoteCache(ctx.store)
    cached = cache.get_many(PROVIDER, gaps)
    rows = [dict(payload, track_id=key) for key, (status, payload) in cached.items()
            if status == OK and payload]
    result.cached = len(cached)
    todo = [t for t in gaps if t not in cached]
    batches = [todo[i:i + BATCH] for i in range(0, len(todo), BATCH)]
    limit = ctx.limit(INFO.key)
    if limit is not None and len(batches) > limit:
        result.remaining = sum(len(b) for b in batches[limit:])
        batches = batches[:limit]
    http = JsonClient(ctx.config.reccobeats_url, sleep=ctx.sleep, name="ReccoBeats",
                      timeout=ctx.config.timeout)
    done = 0
    try:
        for batch in batches:
            answer = http.get("audio-features", {"ids": ",".join(batch)}) or {}
            found: dict[str, dict] = {}
            for item in answer.get("content") or []:
                sid = spotify_id_of(item or {})
                if sid in batch:
                    found[sid] = {f: item.get(f) for f in AUDIO_FEATURES}
            cache.put_many(PROVIDER, [(sid, found[sid], OK) if sid in found
                                      else (sid, None, MISSING) for sid in batch])
            rows.extend(dict(payload, track_id=sid) for sid, payload in found.items())
            done += len(batch)
            ctx.emit(INFO.title, done, len(todo), f"{done:,} of {len(todo):,} tracks asked, "
                     f"{len(rows):,} with features")
    except ProviderError as exc:
        result.error = str(exc)
        result.remaining += len(todo) - done
    result.requests = http.stats.requests
    merge_into(ctx.store, ctx.library_id, {"audio_features": feature_frame(rows, "reccobeats")})
    result.added["audio features"] = len(rows)
    return result
