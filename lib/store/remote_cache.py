"""The remote-answer cache: what Spotify, ReccoBeats and MusicBrainz said about each id.

One DuckDB table (``remote_cache``, schema migration 2 → 3) keyed by (provider, key). Every answer
is written as soon as it arrives, outside any library transaction, so an interrupted sync or
enrichment keeps what it fetched and the next run asks only for the rest. Only catalogue data is
kept (albums, artists, features, MusicBrainz look-ups): no tokens, nothing about who asked.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

import pandas as pd

from lib.store.db import Store

OK = "ok"
MISSING = "missing"  # the service has nothing for this id; don't ask again


class CacheWriter:
    """Buffers answers of one provider and writes them in batches (one statement each).

    A DuckDB write costs tens of milliseconds, so answers are flushed every ``every`` items and
    when the ``with`` block ends, also by an exception or an interrupt: an interrupted run keeps
    everything it fetched (a killed process loses at most one unflushed batch).
    """

    def __init__(self, cache: "RemoteCache", provider: str, every: int) -> None:
        self.cache, self.provider, self.every = cache, provider, every
        self.pending: dict[str, tuple[str, Any]] = {}

    def put(self, key: str, payload: Any, status: str = OK) -> None:
        self.pending[key] = (status, payload)
        if len(self.pending) >= self.every:
            self.flush()

    def get(self, key: str) -> tuple[str, Any] | None:
        return self.pending.get(key)

    def flush(self) -> None:
        if self.pending:
            rows = [(k, payload, status) for k, (status, payload) in self.pending.items()]
            self.cache.put_many(self.provider, rows)
            self.pending.clear()


class RemoteCache:
    """Read and write cached answers. Thread-safe through the store's cursors."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get_many(self, provider: str, keys: Iterable[str]) -> dict[str, tuple[str, Any]]:
        """key → (status, decoded payload) for the keys that are cached."""
        wanted = list(dict.fromkeys(k for k in keys if k))
        if not wanted:
            return {}
        frame = pd.DataFrame({"key": wanted})  # noqa: F841  (read by DuckDB by name)
        with self.store.reader() as cur:
            rows = cur.execute(
                "SELECT c.key, c.status, c.payload FROM remote_cache c JOIN frame USING (key) "
                "WHERE c.provider = ?", [provider]).fetchall()
        return {key: (status, json.loads(payload) if payload is not None else None)
                for key, status, payload in rows}

    def get(self, provider: str, key: str) -> tuple[str, Any] | None:
        return self.get_many(provider, [key]).get(key)

    def put(self, provider: str, key: str, payload: Any, status: str = OK) -> None:
        self.put_many(provider, [(key, payload, status)])

    def put_many(self, provider: str, rows: Iterable[tuple[str, Any, str]]) -> None:
        """Insert or overwrite (key, payload, status) rows in one statement."""
        rows = list(rows)
        if not rows:
            return
        now = datetime.now(timezone.utc)
        staged = pd.DataFrame({  # noqa: F841  (read by DuckDB by name)
            "provider": provider, "key": [r[0] for r in rows],
            "status": [r[2] for r in rows],
            "payload": [None if r[1] is None else json.dumps(r[1], separators=(",", ":"))
                        for r in rows],
            "fetched_at": now})
        staged = staged.drop_duplicates("key", keep="last")
        with self.store.cursor() as cur:
            cur.execute("INSERT INTO remote_cache SELECT provider, key, status, payload, "
                        "fetched_at FROM staged ON CONFLICT (provider, key) DO UPDATE SET "
                        "status = excluded.status, payload = excluded.payload, "
                        "fetched_at = excluded.fetched_at")

    @contextmanager
    def writer(self, provider: str, every: int = 25) -> Iterator[CacheWriter]:
        """``with cache.writer(p) as w: w.put(key, payload)`` — batched, flushed on exit."""
        writer = CacheWriter(self, provider, every)
        try:
            yield writer
        finally:
            writer.flush()

    def count(self, provider: str) -> int:
        with self.store.reader() as cur:
            return int(cur.execute("SELECT count(*) FROM remote_cache WHERE provider = ?",
                                   [provider]).fetchone()[0])

    def clear(self, provider: str | None = None) -> None:
        with self.store.cursor() as cur:
            if provider is None:
                cur.execute("DELETE FROM remote_cache")
            else:
                cur.execute("DELETE FROM remote_cache WHERE provider = ?", [provider])
