"""Enrichment providers against fake Spotify, ReccoBeats and MusicBrainz."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.store.library import load_library
from lib.store.remote_cache import RemoteCache
from lib.spotify.config import load_config
from lib.enrichment import DEFAULT_PROVIDERS
from lib.enrichment import PROVIDERS
from lib.enrichment import EnrichContext
from lib.enrichment import enrich
from lib.enrichment.http import RateLimiter
from lib.enrichment.reccobeats import spotify_id_of
from lib.spotify.sync import sync_library
from lib.store.db import LOCAL_LIBRARY_ID, LibraryData
from tests.fakes.fixtures import (fake_reccobeats, fake_spotify, fresh_store,  # noqa: F401
                                  make_client, signed_in, spotify_config, spotify_env)
from tests.fakes.musicbrainz import FakeMusicBrainz
from tests.fakes.server import Response, error

LIB = "spotify:alice"


@pytest.fixture
def synced(spotify_config, fake_spotify, fresh_store):
    client = make_client(spotify_config, signed_in(spotify_config, fake_spotify))
    sync_library(client, fresh_store)
    return client


def _ctx(store, config, client=None, sleeps=None, **kw) -> EnrichContext:
    clock = [0.0]

    def sleep(seconds: float) -> None:
        (sleeps if sleeps is not None else []).append(seconds)
        clock[0] += seconds
    return EnrichContext(store, LIB, config, spotify_client=client, sleep=sleep,
                         clock=lambda: clock[0], **kw)


def test_third_party_providers_are_off_by_default_and_say_what_they_send() -> None:
    assert set(DEFAULT_PROVIDERS) == {"spotify_features", "imported"}
    for info in PROVIDERS.values():
        assert info.sends and len(info.sends.splitlines()) == 1
    assert "Spotify ids" in PROVIDERS["reccobeats"].sends
    assert "UPC" in PROVIDERS["musicbrainz"].sends and "ISRC" in PROVIDERS["musicbrainz"].sends


def test_spotify_features_403_is_skipped_quietly(synced, spotify_config, fresh_store,
                                                 fake_spotify) -> None:
    fake_spotify.requests.clear()
    [result] = enrich(_ctx(fresh_store, spotify_config, synced), ["spotify_features"])
    assert result.added["audio features"] == 0 and result.error is None
    assert result.requests == 1 and "not available to this app" in result.notes[0]
    assert len([p for p in fake_spotify.paths() if "audio-features" in p]) == 1


def test_spotify_features_where_the_app_still_has_them(synced, spotify_config, fresh_store,
                                                       fake_spotify) -> None:
    fake_spotify.audio_features_enabled = True
    ctx = _ctx(fresh_store, spotify_config, synced, max_requests={"spotify_features": 50})
    [result] = enrich(ctx, ["spotify_features"])
    assert result.added["audio features"] == 50 and result.remaining == 94
    assert not [r for r in fake_spotify.requests if "ids" in r.query]  # one id at a time
    [again] = enrich(ctx, ["spotify_features"])
    assert again.cached == 0 and again.requests == 50  # the first 50 are no longer gaps
    library = load_library(fresh_store, LIB)
    assert library.tracks["has_features"].sum() == 100
    assert set(library.tracks["features_source"].dropna()) == {"spotify"}


def test_reccobeats_batches_40_ids_maps_by_href_and_asks_once(
        synced, spotify_config, fresh_store, fake_reccobeats) -> None:
    tracks = load_library(fresh_store, LIB).tracks["track_id"].tolist()
    fake_reccobeats.known = set(tracks[:-10])  # ten unknown to ReccoBeats
    fake_reccobeats.fail(r"audio-features", Response(429, {"error": "Too Many Requests"},
                                                     {"Retry-After": "2"}), times=1)
    sleeps: list[float] = []
    [result] = enrich(_ctx(fresh_store, spotify_config, sleeps=sleeps), ["reccobeats"])
    assert sleeps == [2.0]  # Retry-After honoured
    sizes = [len(r.query["ids"].split(",")) for r in fake_reccobeats.requests]
    assert max(sizes) == 40 and sum(sizes[1:]) == len(tracks)
    assert result.added["audio features"] == len(tracks) - 10
    library = load_library(fresh_store, LIB).tracks.set_index("track_id")
    first = tracks[0]
    expected = fake_reccobeats.features(first)
    assert library.loc[first, "danceability"] == pytest.approx(expected["danceability"])
    assert library.loc[first, "tempo"] == pytest.approx(expected["tempo"])
    assert pd.isna(library.loc[first, "time_signature"])
    assert library.loc[first, "features_source"] == "reccobeats"
    # Known-missing ids are cached: a second run asks nothing.
    fake_reccobeats.requests.clear()
    [again] = enrich(_ctx(fresh_store, spotify_config), ["reccobeats"])
    assert fake_reccobeats.requests == [] and again.cached == 10


def test_reccobeats_failure_keeps_what_was_fetched(synced, spotify_config, fresh_store,
                                                   fake_reccobeats) -> None:
    fake_reccobeats.fail(r"audio-features", Response(500, {"error": "boom"}), times=99, after=2)
    [result] = enrich(_ctx(fresh_store, spotify_config), ["reccobeats"])
    assert "busy" in result.error and result.added["audio features"] == 80
    assert result.remaining == 144 - 80
    assert load_library(fresh_store, LIB).tracks["has_features"].sum() == 80


def test_spotify_id_of_href() -> None:
    assert spotify_id_of({"href": "https://open.spotify.com/track/abc123"}) == "abc123"
    assert spotify_id_of({"href": "https://open.spotify.com/intl-de/track/X9"}) == "X9"
    assert spotify_id_of({"href": None, "id": "uuid"}) is None


@pytest.fixture
def musicbrainz(fake_spotify, monkeypatch):
    upcs = [a["external_ids"]["upc"] for a in fake_spotify.albums.values()]
    labels = {upc: ["Interscope Records"] if i % 2 else ["YG Entertainment", "Interscope"]
              for i, upc in enumerate(upcs)}
    with FakeMusicBrainz(fake_spotify, labels=labels, isrc_only={upcs[1], upcs[2]}) as fake:
        monkeypatch.setenv("LABELSCOPE_MUSICBRAINZ_URL", fake.base_url)
        monkeypatch.setenv("LABELSCOPE_CONTACT", "labelscope-tests@example.org")
        yield fake


def test_musicbrainz_labels_by_upc_then_isrc_and_genres(synced, musicbrainz, fresh_store,
                                                        fake_spotify) -> None:
    config = load_config()
    sleeps: list[float] = []
    [result] = enrich(_ctx(fresh_store, config, sleeps=sleeps), ["musicbrainz"])
    library = load_library(fresh_store, LIB)
    assert library.tracks["label_raw"].notna().all()
    assert result.added["labels"] == len(library.albums)
    assert {"YG Entertainment", "Interscope"} <= set(library.labels["label"])  # co-labels split
    album_2 = library.albums.set_index("upc").loc[fake_spotify.albums[
        list(fake_spotify.albums)[2]]["external_ids"]["upc"]]
    assert album_2["label_raw"] == "YG Entertainment / Interscope"  # found through an ISRC
    assert any(r.path == "/ws/2/recording" and r.query["query"].startswith("isrc:")
               for r in musicbrainz.requests)  # ISRCs asked in a batch search
    # Genres for artists Spotify gave none (the 6th artist of the fake has no genres).
    assert result.added["genres"] >= 1
    assert {"alternative rock", "indie"} <= set(library.genres["genre"])
    # 1 request a second: every request but the first waited about a second (fake clock).
    assert len(sleeps) == result.requests - 1 and all(s == pytest.approx(1.0) for s in sleeps)
    agents = {r.headers["User-Agent"] for r in musicbrainz.requests}
    assert agents == {"labelscope/1.0 ( labelscope-tests@example.org )"}
    # Each id is asked once: a second run sends nothing.
    musicbrainz.requests.clear()
    enrich(_ctx(fresh_store, config), ["musicbrainz"])
    assert musicbrainz.requests == []


def test_musicbrainz_is_resumable_with_a_request_limit(synced, musicbrainz, fresh_store) -> None:
    config = load_config()
    [first] = enrich(_ctx(fresh_store, config, max_requests={"musicbrainz": 5}), ["musicbrainz"])
    assert first.requests == 5 and first.remaining > 0 and "limit" in first.notes[0]
    asked = list(musicbrainz.requests)
    musicbrainz.requests.clear()
    [second] = enrich(_ctx(fresh_store, config), ["musicbrainz"])
    again = {(r.path, r.query.get("query")) for r in musicbrainz.requests}
    assert not again & {(r.path, r.query.get("query")) for r in asked}
    assert load_library(fresh_store, LIB).tracks["label_raw"].notna().all()


def test_imported_files_fill_features_labels_and_genres(synced, spotify_config,
                                                        fresh_store) -> None:
    library = load_library(fresh_store, LIB)
    by_id, by_isrc = library.tracks.iloc[0], library.tracks.dropna(subset=["isrc"]).iloc[1]
    features = {"danceability": 0.7, "energy": 0.8, "speechiness": 0.1, "acousticness": 0.1,
                "instrumentalness": 0.0, "liveness": 0.2, "valence": 0.9, "tempo": 128.0}
    artist = library.artists.loc[library.artists["genres"].map(len) == 0, "artist_id"].iloc[0]
    fresh_store.replace_library(LOCAL_LIBRARY_ID, LibraryData({
        "tracks": pd.DataFrame({"track_id": [by_id.track_id, "otherid0000000000000000"],
                                "name": ["a", "b"], "album_id": ["al1", "al2"],
                                "isrc": [None, by_isrc.isrc]}),
        "albums": pd.DataFrame({"album_id": ["al1", "al2"], "name": ["A", "B"],
                                "label_raw": ["XL Recordings", "Blue Note Records"]}),
        "audio_features": pd.DataFrame([dict(features, track_id=by_id.track_id),
                                        dict(features, track_id="otherid0000000000000000")]),
        "artist_genres": pd.DataFrame({"artist_id": [artist], "genre": ["shoegaze"],
                                       "position": [0]}),
    }), name="Imported", kind="local")
    [result] = enrich(_ctx(fresh_store, spotify_config), ["imported"])
    assert result.added == {"audio features": 2, "labels": 2, "genres": 1}
    tracks = load_library(fresh_store, LIB).tracks.set_index("track_id")
    assert tracks.loc[by_isrc.track_id, "danceability"] == 0.7
    assert tracks.loc[by_id.track_id, "label_raw"] == "XL Recordings"
    assert tracks.loc[by_isrc.track_id, "label_raw"] == "Blue Note Records"
    assert "shoegaze" in load_library(fresh_store, LIB).genres["genre"].tolist()


def test_a_failing_provider_does_not_stop_the_others(synced, spotify_config, fresh_store,
                                                     fake_reccobeats, monkeypatch) -> None:
    from lib.enrichment import imported

    def boom(ctx):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(imported, "run", boom)
    results = enrich(_ctx(fresh_store, spotify_config), ["imported", "reccobeats"])
    assert [r.key for r in results] == ["reccobeats", "imported"]
    assert results[1].error == "disk on fire" and results[0].added["audio features"] == 144
    with pytest.raises(ValueError, match="unknown providers"):
        enrich(_ctx(fresh_store, spotify_config), ["lastfm"])


def test_rate_limiter_spaces_requests() -> None:
    now = [10.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s
    limiter = RateLimiter(1.0, clock=lambda: now[0], sleep=sleep)
    limiter.wait()
    now[0] += 0.25
    limiter.wait()
    now[0] += 3
    limiter.wait()
    assert slept == [0.75]


def test_remote_cache_round_trip(fresh_store) -> None:
    cache = RemoteCache(fresh_store)
    with cache.writer("x", every=2) as w:
        w.put("a", {"v": 1})
        w.put("b", None, "missing")
        w.put("c", [1, 2])
        assert cache.count("x") == 2  # flushed at 2
    assert cache.get_many("x", ["a", "b", "c", "d"]) == {
        "a": ("ok", {"v": 1}), "b": ("missing", None), "c": ("ok", [1, 2])}
    cache.put("x", "a", {"v": 2})
    assert cache.get("x", "a") == ("ok", {"v": 2})
    assert error(400, "x").status == 400
