"""Audio features from Spotify's own endpoint, for the few old apps that still have it.

``GET /audio-features/{id}`` one track at a time (no batch reads). New apps get 403 since
2024-11-27: the first 403 ends the provider quietly with a one-line note.
"""

from __future__ import annotations

from lib.store.remote_cache import MISSING, OK, RemoteCache
from lib.spotify.client import Forbidden, NotFound, SpotifyError
from lib.enrichment.base import (EnrichContext, ProviderInfo, ProviderResult,
                                        feature_frame, merge_into, tracks_without_features)
from lib.store.db import AUDIO_FEATURES

INFO = ProviderInfo(
    key="spotify_features", title="Spotify audio features",
    adds="audio features", third_party=False, default_on=True,
    sends="Asks Spotify (with your sign-in) for each track's audio features; apps created after "
          "November 2024 get “403 Forbidden” and the step is skipped.")
PROVIDER = "spotify.audio_features"


def run(ctx: EnrichContext) -> ProviderResult:
    result = ProviderResult(INFO.key, INFO.title)
    client = ctx.spotify_client
    if client is None:
        result.notes.append("Not signed in to Spotify: skipped.")
        return result
    gaps = tracks_without_features(ctx.store, ctx.library_id)["track_id"].tolist()
    result.candidates = len(gaps)
    cache = RemoteCache(ctx.store)
    cached = cache.get_many(PROVIDER, gaps)
    rows = [dict(payload, track_id=key) for key, (status, payload) in cached.items()
            if status == OK and payload]
    result.cached = len(cached)
    todo = [t for t in gaps if t not in cached]
    limit = ctx.limit(INFO.key)
    if limit is not None and len(todo) > limit:
        result.remaining = len(todo) - limit
        todo = todo[:limit]
    with cache.writer(PROVIDER) as writer:
        for n, track_id in enumerate(todo, start=1):
            try:
                answer = client.audio_features(track_id)  # type: ignore[attr-defined]
                result.requests += 1
            except Forbidden:
                result.requests += 1
                result.remaining = 0
                result.notes.append("Spotify's audio-features endpoint is not available to this "
                                    "app (normal for apps created after November 2024): skipped.")
                break
            except NotFound:
                result.requests += 1
                writer.put(track_id, None, MISSING)
                continue
            except SpotifyError as exc:
                result.error = str(exc)
                break
            payload = {f: (answer or {}).get(f) for f in AUDIO_FEATURES}
            if answer and payload.get("danceability") is not None:
                writer.put(track_id, payload)
                rows.append(dict(payload, track_id=track_id))
            else:
                writer.put(track_id, None, MISSING)
            if n % 10 == 0 or n == len(todo):
                ctx.emit(INFO.title, n, len(todo), f"{n:,} of {len(todo):,} tracks asked")
    merge_into(ctx.store, ctx.library_id, {"audio_features": feature_frame(rows, "spotify")})
    result.added["audio features"] = len(rows)
    return result
