"""Deezer tempo and loudness by ISRC against the fake Deezer (error objects, 50 requests / 5 s)."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.enrichment import PROVIDERS, EnrichContext, enrich
from lib.enrichment.deezer import features_of
from lib.spotify.config import SpotifyConfig
from lib.store.db import LibraryData, Store
from lib.store.library import load_library
from tests.fakes.catalogue import synthetic
from tests.fakes.deezer import FakeDeezer
from tests.fakes.server import Response

LIB = "local"


class Clock:
    def __init__(self) -> None:
        self.now, self.sleeps = 0.0, []

    def sleep(self, s: float) -> None:
        self.sleeps.append(s)
        self.now += s


@pytest.fixture
def store(tmp_path):
    data, _ = synthetic(300)
    store = Store(tmp_path / "d.duckdb")
    store.replace_library(LIB, data, name="Imported", kind="local")
    yield store
    store.close()


def _run(store, fake, clock, **kw):
    ctx = EnrichContext(store, LIB, SpotifyConfig(None, deezer_url=fake.base_url, timeout=5),
                        sleep=clock.sleep, clock=lambda: clock.now, **kw)
    [result] = enrich(ctx, ["deezer"])
    return result


def test_deezer_is_opt_in_and_says_what_it_sends() -> None:
    assert PROVIDERS["deezer"].third_party and not PROVIDERS["deezer"].default_on
    assert "ISRC" in PROVIDERS["deezer"].sends and "50" in PROVIDERS["deezer"].sends


def test_features_of_a_deezer_answer() -> None:
    assert features_of({"bpm": 123.4, "gain": -8.1}) == {"tempo": 123.4, "loudness": -8.1}
    assert features_of({"bpm": 0, "gain": -8.1}) == {"tempo": None, "loudness": -8.1}
    assert features_of({"bpm": 0, "gain": None}) is None
    assert features_of({"bpm": "x"}) is None


def test_tempo_and_loudness_by_isrc_within_the_rate_limit(store) -> None:
    tracks = load_library(store, LIB).tracks
    isrcs = tracks["isrc"].tolist()
    clock = Clock()
    with FakeDeezer(known=set(isrcs[:-20]), zero_bpm={isrcs[0]}, clock=lambda: clock.now) as fake:
        result = _run(store, fake, clock)
        assert fake.quota_errors == 0  # spaced to 50 requests per 5 s of the (simulated) clock
        assert result.requests == len(isrcs) and result.error is None
        assert clock.now >= (len(isrcs) - 1) * 0.1
        assert result.added["tempo"] == len(isrcs) - 21
        library = load_library(store, LIB).tracks.set_index("isrc")
        one = fake.track(isrcs[1])
        assert library.loc[isrcs[1], "tempo"] == pytest.approx(one["bpm"])
        assert library.loc[isrcs[1], "loudness"] == pytest.approx(one["gain"])
        assert library.loc[isrcs[1], "features_source"] == "deezer"
        assert pd.isna(library.loc[isrcs[0], "tempo"])  # bpm 0 is unknown, not 0
        assert not library["has_features"].any()  # tempo alone is not a full feature set
        fake.requests.clear()
        again = _run(store, fake, Clock())
        assert fake.requests == [] and again.cached == 21  # misses and bpm-0 asked once


def test_quota_errors_wait_and_retry(store) -> None:
    clock = Clock()
    with FakeDeezer(clock=lambda: clock.now) as fake:
        fake.fail(r"/track/", Response(200, {"error": {"type": "Exception",
                                                       "message": "Quota limit exceeded",
                                                       "code": 4}}), times=2, after=3)
        result = _run(store, fake, clock)
    assert result.error is None and clock.sleeps.count(5.0) == 2
    assert result.added["tempo"] == 300


def test_only_tracks_without_a_tempo_are_asked(store) -> None:
    tracks = load_library(store, LIB).tracks
    have = tracks["track_id"].iloc[:100]
    store.merge_library(LIB, LibraryData({"audio_features": pd.DataFrame(
        {"track_id": have, "tempo": 99.0, "danceability": 0.5, "source": "reccobeats"})}),
        name="Imported", kind="local")
    clock = Clock()
    with FakeDeezer(clock=lambda: clock.now) as fake:
        result = _run(store, fake, clock, max_requests={"deezer": 50})
        asked = {p.split(":", 1)[1] for p in fake.paths()}
    assert len(asked) == 50 and result.remaining == 150
    assert not asked & set(tracks["isrc"].iloc[:100])
    library = load_library(store, LIB).tracks.set_index("track_id")
    assert (library.loc[have, "tempo"] == 99.0).all()
    assert (library.loc[have, "features_source"] == "reccobeats").all()


def test_a_failing_deezer_keeps_what_was_fetched(store) -> None:
    clock = Clock()
    with FakeDeezer(clock=lambda: clock.now) as fake:
        fake.fail(r"/track/", Response(503, {"error": "down"}), times=99, after=40)
        result = _run(store, fake, clock)
    assert "busy" in result.error and result.added["tempo"] == 40
    assert result.remaining == 260
