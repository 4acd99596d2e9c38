"""A fake Deezer API: ``GET /track/isrc:{ISRC}`` with Deezer's track shape and error objects.

Deezer answers errors with HTTP 200 and ``{"error": {"type", "message", "code"}}``: code 800
"no data" for an unknown ISRC, code 4 "Quota limit exceeded" beyond 50 requests in 5 seconds
(counted on ``clock``, so a test's simulated clock drives it).
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from typing import Callable

from tests.fakes.server import FakeServer, Request, Response, route

NO_DATA = {"error": {"type": "DataException", "message": "no data", "code": 800}}
QUOTA = {"error": {"type": "Exception", "message": "Quota limit exceeded", "code": 4}}


class FakeDeezer(FakeServer):
    """Knows every ISRC in ``known`` (all when None); ``zero_bpm`` ISRCs have ``bpm`` 0."""

    def __init__(self, known: set[str] | None = None, zero_bpm: set[str] = frozenset(),
                 clock: Callable[[], float] = time.monotonic, per: tuple[int, float] = (50, 5.0)
                 ) -> None:
        super().__init__()
        self.known, self.zero_bpm, self.clock, self.per = known, set(zero_bpm), clock, per
        self.window: deque[float] = deque()
        self.quota_errors = 0

    @property
    def base_url(self) -> str:
        return self.url + "/"

    def track(self, isrc: str) -> dict:
        h = int(hashlib.sha1(isrc.encode()).hexdigest(), 16)
        return {"id": h % 10**9, "readable": True, "title": f"Track {isrc}",
                "title_short": f"Track {isrc}", "isrc": isrc,
                "link": f"https://www.deezer.com/track/{h % 10**9}", "duration": 200,
                "track_position": 1, "disk_number": 1, "rank": h % 900000,
                "release_date": "2020-01-01", "explicit_lyrics": False,
                "bpm": 0 if isrc in self.zero_bpm else round(70 + (h % 1100) / 10, 1),
                "gain": round(-4 - (h % 120) / 10, 1),
                "available_countries": ["DE", "FR", "US"], "contributors": [],
                "preview": f"https://cdnt-preview.dzcdn.net/{h % 10**6}.mp3",
                "artist": {"id": 1, "name": "Someone", "type": "artist"},
                "album": {"id": 2, "title": "An album", "type": "album"}, "type": "track"}

    def handle(self, req: Request) -> Response:
        now = self.clock()
        count, seconds = self.per
        while self.window and self.window[0] <= now - seconds:
            self.window.popleft()
        if len(self.window) >= count:
            self.quota_errors += 1
            return Response(200, QUOTA)
        self.window.append(now)
        return route([("GET", r"/track/isrc:(\w+)", self._track)], req) or Response(
            200, {"error": {"type": "DataException", "message": "no data", "code": 800}})

    def _track(self, req: Request, isrc: str) -> Response:
        if self.known is not None and isrc not in self.known:
            return Response(200, NO_DATA)
        return Response(200, self.track(isrc))
