"""Tempo and loudness from Deezer's public API (no key): ``GET track/isrc:{ISRC}``.

The answer is Deezer's track object; labelscope keeps ``bpm`` (tempo; 0 means unknown) and
``gain`` (Deezer's loudness estimate in dB, stored as ``loudness``), and only for tracks whose
tempo no other source gave. Deezer answers errors with HTTP 200 and an ``error`` object:
code 800 ("no data") is a miss, cached so it is asked once; code 4 ("Quota limit exceeded")
waits :data:`QUOTA_WAIT` seconds and tries again. Requests are spaced to stay within Deezer's
50 requests per 5 seconds. Every answer is cached under the ISRC.
"""

from __future__ import annotations

import pandas as pd

from lib.enrichment.base import EnrichContext, ProviderInfo, ProviderResult, merge_into
from lib.enrichment.http import JsonClient, ProviderError, RateLimiter
from lib.store.db import AUDIO_FEATURES
from lib.store.remote_cache import MISSING, OK, RemoteCache

INFO = ProviderInfo(
    key="deezer", title="Deezer tempo & loudness",
    adds="tempo (BPM), loudness", third_party=True, default_on=False,
    sends="Sends the ISRCs of tracks without a tempo to Deezer (a music streaming service), "
          "one per request, at most 50 every 5 seconds; nothing else about you.")
PROVIDER = "deezer"
PER_SECONDS = (50, 5.0)       # Deezer's published limit: 50 requests per 5 s
QUOTA_WAIT = 5.0
MAX_QUOTA_RETRIES = 3
NO_DATA, QUOTA = 800, 4


def tracks_without_tempo(store, library_id: str) -> pd.DataFrame:
    """track_id, isrc of tracks with an ISRC and no tempo from any source yet."""
    return store.query(
        "SELECT t.track_id, t.isrc FROM tracks t LEFT JOIN audio_features f "
        "ON f.library_id = t.library_id AND f.track_id = t.track_id "
        "WHERE t.library_id = ? AND t.isrc IS NOT NULL AND t.isrc <> '' AND f.tempo IS NULL "
        "ORDER BY t.track_id", [library_id])


def features_of(answer: dict) -> dict | None:
    """{"tempo", "loudness"} from a Deezer track answer, None when it has neither."""
    bpm = pd.to_numeric(answer.get("bpm"), errors="coerce")
    gain = pd.to_numeric(answer.get("gain"), errors="coerce")
    out = {"tempo": float(bpm) if pd.notna(bpm) and bpm > 0 else None,
           "loudness": float(gain) if pd.notna(gain) else None}
    return out if any(v is not None for v in out.values()) else None


def run(ctx: EnrichContext) -> ProviderResult:
    result = ProviderResult(INFO.key, INFO.title)
    gaps = tracks_without_tempo(ctx.store, ctx.library_id)
    result.candidates = len(gaps)
    isrcs = list(dict.fromkeys(gaps["isrc"]))
    cache = RemoteCache(ctx.store)
    known = cache.get_many(PROVIDER, isrcs)
    result.cached = len(known)
    todo = [i for i in isrcs if i not in known]
    limit = ctx.limit(INFO.key)
    if limit is not None and len(todo) > limit:
        result.remaining = len(todo) - limit
        todo = todo[:limit]
    count, seconds = PER_SECONDS
    http = JsonClient(ctx.config.deezer_url, sleep=ctx.sleep, name="Deezer",
                      timeout=ctx.config.timeout,  # 10 % slack: never the 51st in a window
                      limiter=RateLimiter(1.1 * seconds / count, clock=ctx.clock,
                                          sleep=ctx.sleep))
    done = 0
    try:
        with cache.writer(PROVIDER, every=50) as writer:
            for isrc in todo:
                answer = _ask(ctx, http, isrc)
                payload = features_of(answer) if answer else None
                writer.put(isrc, payload, OK if payload else MISSING)
                known[isrc] = (OK if payload else MISSING, payload)
                done += 1
                if done % 25 == 0 or done == len(todo):
                    ctx.emit(INFO.title, done, len(todo), f"{done:,} of {len(todo):,} ISRCs asked")
    except ProviderError as exc:
        result.error = str(exc)
        result.remaining += len(todo) - done
    result.requests = http.stats.requests
    rows = []
    for track_id, isrc in zip(gaps["track_id"], gaps["isrc"]):
        status, payload = known.get(isrc, (MISSING, None))
        if status == OK and payload:
            rows.append({"track_id": track_id, **payload})
    frame = pd.DataFrame(rows, columns=["track_id", *AUDIO_FEATURES])
    frame[list(AUDIO_FEATURES)] = frame[list(AUDIO_FEATURES)].apply(pd.to_numeric,
                                                                    errors="coerce")
    frame["source"] = PROVIDER
    merge_into(ctx.store, ctx.library_id, {"audio_features": frame})
    result.added["tempo"] = int(frame["tempo"].notna().sum())
    return result


def _ask(ctx: EnrichContext, http: JsonClient, isrc: str) -> dict | None:
    """Deezer's track for an ISRC (None: Deezer does not know it); waits out quota errors."""
    for _attempt in range(MAX_QUOTA_RETRIES + 1):
        answer = http.get(f"track/isrc:{isrc}")
        error = (answer or {}).get("error") if isinstance(answer, dict) else None
        if not error:
            return answer if isinstance(answer, dict) else None
        code = error.get("code")
        if code == NO_DATA:
            return None
        if code != QUOTA:
            raise ProviderError(f"Deezer answered an error for {isrc}: "
                                f"{error.get('message') or error.get('type')}")
        ctx.sleep(QUOTA_WAIT)
    raise ProviderError("Deezer kept saying its quota is exceeded; what was fetched so far is "
                        "kept — run it again later.")
