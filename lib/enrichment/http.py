"""Polite JSON GETs for the third-party services: bounded retries, Retry-After, rate limiting."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import requests

USER_AGENT = "labelscope/1.0 (self-hosted music-library dashboard; python-requests)"


class ProviderError(RuntimeError):
    """A service failed for good (after bounded retries); what was fetched so far is kept."""


class RateLimiter:
    """At most one request per ``interval`` seconds (MusicBrainz asks for 1/s)."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            if now < self._next:
                self.sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


@dataclass
class HttpStats:
    requests: int = 0
    retries: int = 0
    waited: float = 0.0


class JsonClient:
    """GET JSON from one service with bounded retries.

    429 and 503 honour ``Retry-After`` (up to ``max_wait`` s), timeouts/connection errors/5xx back
    off exponentially, ``max_attempts`` tries in all; 404 returns ``None``.
    """

    def __init__(self, base_url: str, *, user_agent: str = USER_AGENT, timeout: float = 15.0,
                 sleep: Callable[[float], None] = time.sleep, max_attempts: int = 4,
                 max_wait: float = 60.0, backoff: float = 1.0,
                 limiter: RateLimiter | None = None, name: str = "service") -> None:
        self.base_url, self.timeout, self.sleep = base_url, timeout, sleep
        self.max_attempts, self.max_wait, self.backoff = max_attempts, max_wait, backoff
        self.limiter, self.name = limiter, name
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
        self.stats = HttpStats()

    def _pause(self, seconds: float) -> None:
        self.stats.retries += 1
        self.stats.waited += seconds
        if seconds > 0:
            self.sleep(seconds)

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        url = self.base_url + path.lstrip("/")
        for attempt in range(self.max_attempts):
            last = attempt + 1 >= self.max_attempts
            backoff = self.backoff * (2 ** attempt) * (0.75 + 0.5 * random.random())
            if self.limiter:
                self.limiter.wait()
            self.stats.requests += 1
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except (requests.Timeout, requests.ConnectionError) as exc:
                if last:
                    raise ProviderError(f"{self.name} did not answer ({type(exc).__name__}) "
                                        f"after {self.max_attempts} tries.") from None
                self._pause(backoff)
                continue
            status = response.status_code
            if status == 404:
                return None
            if status in (429, 503) or status >= 500:
                retry_after = response.headers.get("Retry-After")
                try:
                    wait = float(retry_after) if retry_after is not None else backoff
                except ValueError:
                    wait = backoff
                if last or wait > self.max_wait:
                    raise ProviderError(f"{self.name} is busy or rate-limiting ({status}); what "
                                        "was fetched so far is kept — run it again later.")
                self._pause(wait)
                continue
            if status >= 400:
                raise ProviderError(f"{self.name} answered {status} for {path}.")
            try:
                return response.json()
            except ValueError:
                raise ProviderError(f"{self.name} sent something that is not JSON.") from None
        raise ProviderError(f"{self.name} failed after {self.max_attempts} tries.")
