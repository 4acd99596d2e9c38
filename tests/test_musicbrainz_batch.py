"""MusicBrainz batching against the fake service: request counts, 503s, resuming a killed run."""

from __future__ import annotations

import pytest

from lib.enrichment import EnrichContext, enrich
from lib.enrichment.http import JsonClient
from lib.enrichment.musicbrainz import barcode_spellings, user_agent
from lib.spotify.config import SpotifyConfig
from lib.store.db import Store
from lib.store.library import load_library
from tests.fakes.catalogue import musicbrainz_for, synthetic
from tests.fakes.server import Response

LIB = "local:big"


class Clock:
    def __init__(self, kill_after: int | None = None) -> None:
        self.now, self.sleeps, self.kill_after = 0.0, [], kill_after

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.kill_after is not None and len(self.sleeps) >= self.kill_after:
            raise KeyboardInterrupt  # the process is stopped half-way


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_CONTACT", "labelscope-tests@example.org")

    def make(n_tracks: int, clock: "Clock | None" = None):
        data, plan = synthetic(n_tracks)
        fake = musicbrainz_for(plan, clock=(lambda: clock.now) if clock else None).start()
        store = Store(tmp_path / f"mb{n_tracks}.duckdb")
        store.replace_library(LIB, data, name="Big", kind="local")
        made.append((fake, store))
        return fake, store, plan
    made: list = []
    yield make
    for fake, store in made:
        fake.stop()
        store.close()


def _run(store, fake, clock=None, **kw):
    clock = clock or Clock()
    config = SpotifyConfig(client_id=None, musicbrainz_url=fake.base_url, timeout=5)
    ctx = EnrichContext(store, LIB, config, sleep=clock.sleep, clock=lambda: clock.now, **kw)
    [result] = enrich(ctx, ["musicbrainz"])
    return result


def _reachable(plan) -> float:
    return sum(p["fate"] != "missing" for p in plan.values()) / len(plan)


def test_barcode_spellings() -> None:
    assert barcode_spellings("602547378781") == ["602547378781", "0602547378781"]
    assert barcode_spellings("0602547378781") == ["0602547378781", "602547378781"]
    assert barcode_spellings("12-34") == []


def test_ten_thousand_tracks_reach_their_label_coverage_in_300_requests(world) -> None:
    clock = Clock()
    fake, store, plan = world(10_000, clock)  # the fake answers 503 beyond 1 request a second
    fake.fail(r"/ws/2/release$", Response(503, {"error": "busy"}, {"Retry-After": "2"}),
              times=2, after=3)
    result = _run(store, fake, clock)
    assert result.error is None and fake.rate_limited == 0
    assert result.requests <= 300 and len(fake.requests) == result.requests
    tracks = load_library(store, LIB).tracks
    assert tracks["label_raw"].notna().mean() == pytest.approx(_reachable(plan))
    # Batches: many barcodes / ISRCs per search, pages of 100, the polite User-Agent.
    searches = [r for r in fake.requests if r.path in ("/ws/2/release", "/ws/2/recording")]
    assert max(r.query["query"].count(" OR ") for r in searches) >= 49
    assert {r.query["limit"] for r in searches} == {"100"}
    assert {r.headers["User-Agent"] for r in fake.requests} == {
        "labelscope/1.0 ( labelscope-tests@example.org )"}
    # 503s were retried after their Retry-After; otherwise one request a second.
    assert clock.sleeps.count(2.0) == 2
    assert clock.now >= result.requests - 1
    # Single look-ups only for releases the search index did not return.
    singles = [r.path for r in fake.requests if r.path.startswith("/ws/2/release/")]
    assert sorted(p.rsplit("/", 1)[1] for p in singles) == sorted(fake.unindexed)
    assert not [r for r in fake.requests if r.path.startswith("/ws/2/isrc/")]
    # Everything is cached: a second run sends nothing.
    fake.requests.clear()
    again = _run(store, fake)
    assert fake.requests == [] and again.requests == 0


def test_a_run_killed_half_way_resumes_without_asking_again(world) -> None:
    fake, store, plan = world(3_000)
    with pytest.raises(KeyboardInterrupt):
        _run(store, fake, Clock(kill_after=20))
    first = [(r.path, r.query.get("query"), r.query.get("offset")) for r in fake.requests]
    assert len(first) == 20  # the 21st request never left
    fake.requests.clear()
    result = _run(store, fake)
    second = [(r.path, r.query.get("query"), r.query.get("offset")) for r in fake.requests]
    # What the killed run got is cached (the last unanswered batch at most is asked again).
    assert len(set(first) & set(second)) <= 1
    assert result.error is None
    tracks = load_library(store, LIB).tracks
    assert tracks["label_raw"].notna().mean() == pytest.approx(_reachable(plan))


def test_request_limit_stops_and_the_next_run_continues(world) -> None:
    fake, store, plan = world(2_000)
    first = _run(store, fake, max_requests={"musicbrainz": 10})
    assert first.requests == 10 and first.remaining > 0 and "limit" in first.notes[0]
    second = _run(store, fake)
    assert second.error is None and not second.notes
    tracks = load_library(store, LIB).tracks
    assert tracks["label_raw"].notna().mean() == pytest.approx(_reachable(plan))


def test_a_client_too_fast_is_rate_limited_by_the_fake(world) -> None:
    clock = Clock()
    fake, store, plan = world(200, clock)
    http = JsonClient(fake.base_url, user_agent=user_agent(), sleep=clock.sleep, max_attempts=2)
    http.get("release", {"query": "barcode:1", "fmt": "json"})
    http.get("release", {"query": "barcode:2", "fmt": "json"})  # no limiter: 503, waits 1 s
    assert fake.rate_limited == 1 and clock.sleeps == [1.0]


def test_a_service_failing_for_good_keeps_what_was_fetched(world) -> None:
    fake, store, plan = world(1_000)
    fake.fail(r"/ws/2/", Response(503, {"error": "down"}, {"Retry-After": "1"}), times=999,
              after=4)
    result = _run(store, fake)
    assert "busy" in result.error
    fake.faults.clear()
    fake.requests.clear()
    result = _run(store, fake)
    assert result.error is None
    assert len([r for r in fake.requests if r.path == "/ws/2/release"
                and r.query["query"].startswith("barcode:")]) == 10 - 4  # 500 albums, 50 a batch
