"""A thin wrapper around ``spotipy.Spotify`` with its own bounded retries and explained errors.

spotipy runs with ``retries=0`` on a plain ``requests`` session (urllib3's retry would block on a
long ``Retry-After`` with no way to show progress or give up). Here every call is retried a
bounded number of times:

- 429: wait ``Retry-After`` seconds (capped by ``max_wait``; longer waits stop the sync with a
  message); a 429 whose reason is ``QUOTA_EXCEEDED`` stops at once (:class:`QuotaExceeded`).
- 401: refresh the token once and retry; a second 401 asks the user to connect again.
- 403: explained (:class:`Forbidden`): user not allow-listed, app owner without Premium, or an
  endpoint this app may not use.
- timeouts, connection errors and 5xx: exponential backoff, ``max_attempts`` tries in all.

Only single-item reads are offered (``GET /tracks/{id}``, ``/albums/{id}``, ``/artists/{id}``):
the batch endpoints are gone for new apps. ``sleep`` is injectable so tests never wait.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, TypeVar

import requests
import spotipy
from spotipy.exceptions import SpotifyException

from lib.spotify.auth import AuthError, SessionPKCE
from lib.spotify.config import SpotifyConfig

log = logging.getLogger(__name__)
T = TypeVar("T")


class SpotifyError(RuntimeError):
    """A Spotify call failed for good; ``str()`` is a message fit for the user."""

    status: int | None = None

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class QuotaExceeded(SpotifyError):
    """The app's quota is used up (429 ``QUOTA_EXCEEDED``): not worth retrying soon."""


class RateLimited(SpotifyError):
    """Spotify asked to wait longer than we are willing to, or kept answering 429."""


class Forbidden(SpotifyError):
    """403, explained."""


class NotFound(SpotifyError):
    """404: the item does not exist (or the endpoint is gone)."""


@dataclass
class CallStats:
    """What the client did: requests, retries, seconds waited (shown in the sync summary)."""

    requests: int = 0
    retries: int = 0
    waited: float = 0.0
    refreshes: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


def explain_403(path: str, message: str | None) -> str:
    """A user-facing explanation of a 403 from the Web API."""
    text = (message or "").lower()
    if "premium" in text:
        return ("Spotify refused the request because the owner of this Spotify app has no "
                "Premium subscription (development-mode apps need a Premium owner since "
                "2026). The app owner must renew Premium.")
    if "registered" in text or "allowlist" in text or "allow-list" in text or "user may not" in text:
        return ("Spotify refused the request: your Spotify account is not on this app's "
                "allow-list. The app owner adds you under Settings → User Management in the "
                "Spotify developer dashboard (at most 5 users in development mode).")
    return (f"Spotify refused {path} (403): this endpoint is not available to this app (new "
            "development-mode apps lost several endpoints), or your account is not on the app's "
            "allow-list / the app owner lacks Premium.")


def _path_of(exc: SpotifyException) -> str:
    head = str(exc.msg or "").split(":\n", 1)[0]
    if "/v1/" in head:
        head = head.split("/v1/", 1)[1]
    return "/" + head.split("?", 1)[0].lstrip("/") if head else "this request"


def _message_of(exc: SpotifyException) -> str:
    parts = str(exc.msg or "").split(":\n", 1)
    return parts[1].strip() if len(parts) == 2 else str(exc.msg or "")


def _retry_after(exc: SpotifyException) -> float | None:
    headers = exc.headers or {}
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


class SpotifyClient:
    """One signed-in user's Web API access with bounded retries.

    Parameters: ``auth`` (from :func:`lib.spotify.auth.make_auth_manager`), ``config`` (URLs,
    timeout), ``sleep`` (injectable), ``max_attempts`` per call, ``max_wait`` (longest
    ``Retry-After`` honoured, seconds), ``backoff`` (first backoff, doubled each try),
    ``on_wait(seconds, reason)`` (tells the UI why it is waiting).
    """

    def __init__(self, auth: SessionPKCE, config: SpotifyConfig, *,
                 sleep: Callable[[float], None] = time.sleep, max_attempts: int = 5,
                 max_wait: float = 120.0, backoff: float = 1.0,
                 on_wait: Callable[[float, str], None] | None = None) -> None:
        self.auth = auth
        self.config = config
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.max_wait = max_wait
        self.backoff = backoff
        self.on_wait = on_wait
        self.stats = CallStats()
        self.sp = spotipy.Spotify(auth_manager=auth, requests_session=requests.Session(),
                                  retries=0, status_retries=0,
                                  requests_timeout=config.timeout)
        self.sp.prefix = config.api_url

    # -- the retry loop -----------------------------------------------------------------------
    def _wait(self, seconds: float, reason: str) -> None:
        self.stats.waited += seconds
        self.stats.retries += 1
        if self.on_wait:
            self.on_wait(seconds, reason)
        if seconds > 0:
            self.sleep(seconds)

    def _backoff(self, attempt: int) -> float:
        return self.backoff * (2 ** attempt) * (0.75 + 0.5 * random.random())

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one spotipy call with the retry policy described in the module docstring."""
        refreshed = False
        attempt = 0
        while True:
            self.stats.requests += 1
            try:
                return fn(*args, **kwargs)
            except SpotifyException as exc:
                status = int(exc.http_status or 0)
                self.stats.by_status[status] = self.stats.by_status.get(status, 0) + 1
                last = attempt + 1 >= self.max_attempts
                if status == 429:
                    reason = str(exc.reason or "")
                    if "QUOTA_EXCEEDED" in reason or "QUOTA_EXCEEDED" in str(exc.msg):
                        raise QuotaExceeded(
                            "Spotify says this app's request quota is used up "
                            "(QUOTA_EXCEEDED). Nothing was lost: run the sync again later and it "
                            "continues where it stopped.", 429) from None
                    wait = _retry_after(exc)
                    wait = self._backoff(attempt) if wait is None else wait
                    if wait > self.max_wait or last:
                        raise RateLimited(
                            f"Spotify is rate-limiting this app (asked to wait {wait:.0f} s). "
                            "Nothing was lost: run the sync again in a few minutes and it "
                            "continues where it stopped.", 429) from None
                    self._wait(wait, "rate limit (429)")
                elif status == 401:
                    if refreshed:
                        raise AuthError("Spotify no longer accepts this sign-in (401). "
                                        "Disconnect and connect again.") from None
                    refreshed = True
                    self.stats.refreshes += 1
                    self.auth.force_refresh()
                    continue  # a refresh is not a retry: it does not use up an attempt
                elif status == 403:
                    raise Forbidden(explain_403(_path_of(exc), _message_of(exc)), 403) from None
                elif status == 404:
                    raise NotFound(f"Spotify has no {_path_of(exc)} (404).", 404) from None
                elif status >= 500 or status == 0:
                    if last:
                        raise SpotifyError(f"Spotify kept failing ({status}) on {_path_of(exc)} "
                                           f"after {self.max_attempts} tries; try again later.",
                                           status) from None
                    self._wait(self._backoff(attempt), f"server error ({status})")
                else:
                    raise SpotifyError(f"Spotify answered {status} on {_path_of(exc)}: "
                                       f"{_message_of(exc) or 'no details'}.", status) from None
            except (requests.Timeout, requests.ConnectionError) as exc:
                if attempt + 1 >= self.max_attempts:
                    kind = "timed out" if isinstance(exc, requests.Timeout) else "was unreachable"
                    raise SpotifyError(f"Spotify {kind} {self.max_attempts} times in a row; "
                                       "check the connection and try again.") from None
                self._wait(self._backoff(attempt),
                           "timeout" if isinstance(exc, requests.Timeout) else "connection error")
            attempt += 1

    # -- reads ---------------------------------------------------------------------------------
    def pages(self, first: Callable[..., dict], *args: Any, max_pages: int | None = None,
              **kwargs: Any) -> Iterator[dict]:
        """Yield a paged result and every page after it, following ``next``."""
        page = self.call(first, *args, **kwargs)
        count = 0
        while page:
            yield page
            count += 1
            if not page.get("next") or (max_pages is not None and count >= max_pages):
                return
            page = self.call(self.sp.next, page)

    def me(self) -> dict:
        return self.call(self.sp.me)

    def saved_tracks(self) -> Iterator[dict]:
        return self.pages(self.sp.current_user_saved_tracks, limit=50)

    def saved_albums(self) -> Iterator[dict]:
        return self.pages(self.sp.current_user_saved_albums, limit=50)

    def playlists(self) -> Iterator[dict]:
        return self.pages(self.sp.current_user_playlists, limit=50)

    def playlist_items(self, playlist_id: str) -> Iterator[dict]:
        return self.pages(self.sp.playlist_items, playlist_id, limit=50,
                          additional_types=("track", "episode"))

    def top(self, kind: str, time_range: str) -> Iterator[dict]:
        fn = self.sp.current_user_top_tracks if kind == "tracks" else self.sp.current_user_top_artists
        return self.pages(fn, limit=50, time_range=time_range, max_pages=2)

    def recently_played(self) -> Iterator[dict]:
        return self.pages(self.sp.current_user_recently_played, limit=50, max_pages=1)

    def next_page(self, page: dict) -> dict | None:
        return self.call(self.sp.next, page) if page.get("next") else None

    def track(self, track_id: str) -> dict:
        return self.call(self.sp.track, track_id)

    def album(self, album_id: str) -> dict:
        return self.call(self.sp.album, album_id)

    def artist(self, artist_id: str) -> dict:
        return self.call(self.sp.artist, artist_id)

    def audio_features(self, track_id: str) -> dict | None:
        """``GET /audio-features/{id}`` (one track). Gone for new apps: raises :class:`Forbidden`."""
        return self.call(self.sp._get, f"audio-features/{track_id}")

    # -- writes --------------------------------------------------------------------------------
    def create_private_playlist(self, name: str, description: str) -> dict:
        return self.call(self.sp.current_user_playlist_create, name, public=False,
                         description=description)

    def add_to_playlist(self, playlist_id: str, uris: list[str]) -> dict:
        return self.call(self.sp.playlist_add_items, playlist_id, uris)
