"""The library sync against the fake Spotify: full sync, incremental re-run, interruption."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.store.library import load_library
from lib.store.remote_cache import RemoteCache
from lib.spotify.sync import (ALBUM_PROVIDER, ARTIST_PROVIDER, STEPS, Progress, SyncError,
                              SyncOptions, sync_library, top_scores)
from lib.store.db import LibraryData, StoreError
from tests.fakes.fixtures import (fake_reccobeats, fake_spotify, fresh_store,  # noqa: F401
                                  make_client, signed_in, spotify_config, spotify_env)
from tests.fakes.server import error
from tests.fakes.spotify import FakeSpotify, sid


@pytest.fixture
def client(spotify_config, fake_spotify):
    return make_client(spotify_config, signed_in(spotify_config, fake_spotify))


def _album_fetches(fake: FakeSpotify) -> list[str]:
    return [p for p in fake.paths("GET") if p.startswith("/v1/albums/")
            and not p.endswith("/tracks")]


def test_full_sync_into_a_fresh_store(client, fake_spotify, fresh_store) -> None:
    events: list[Progress] = []
    report = sync_library(client, fresh_store, events.append)
    assert report.library_id == "spotify:alice" and report.version == 1
    info = fresh_store.library("spotify:alice")
    assert (info.name, info.kind) == ("Spotify: Alice Example", "spotify")
    library = load_library(fresh_store, "spotify:alice")
    user = fake_spotify.users["alice"]

    # Liked songs: 81 entries of which one is null.
    liked = [t for t in user.liked if t]
    assert set(library.tracks.loc[library.tracks["liked"], "track_id"]) == set(liked)
    assert report.counts["liked songs"] == 80
    # Saved albums bring all their tracks (album track pages of 5 followed to the end).
    for album in user.saved_albums:
        assert set(fake_spotify.album_tracks[album]) <= set(library.tracks["track_id"])
    # Playlists: own + collaborative with items, the editorial one as metadata only.
    counts = library.playlists.set_index("name")["tracks"]
    assert counts["Road trip 🚗"] == 34 and counts["Shared with Bob"] == 12
    assert counts["Everything"] == 120 and counts["Today's Top Hits"] == 0
    assert report.counts["playlists of others (metadata only)"] == 1
    assert any("metadata" in n or "name and owner only" in n for n in report.notes)
    road = library.playlists.set_index("name").loc["Road trip 🚗"]
    assert road["description"] == 'Songs for the "long" drive & more'  # HTML entities decoded
    # Skipped and counted: a null liked track, a null + a local file + an episode in a playlist.
    assert dict(report.skipped) == {"null tracks": 2, "local files": 1, "episodes": 1}
    # ISRC and UPC kept; albums and artists fetched one id at a time, never in batches.
    # (tracks seen only inside a saved album are simplified objects: no ISRC, the album's UPC)
    only_in_albums = {t for a in user.saved_albums for t in fake_spotify.album_tracks[a]} - set(
        liked) - {t for p in fake_spotify.playlists.values() for t in p["entries"]
                  if isinstance(t, str)}
    full = library.tracks[~library.tracks["track_id"].isin(only_in_albums)]
    assert full["isrc"].notna().all() and len(full) > 100
    assert full.set_index("track_id").loc[sid("track", 0), "isrc"] == "USUM70000000"
    assert library.albums["upc"].notna().all()
    assert not [r for r in fake_spotify.requests if "ids" in r.query]
    assert len(_album_fetches(fake_spotify)) == len(set(_album_fetches(fake_spotify)))
    # Top lists make the Score; top-50 #1 of every range scores highest.
    scored = library.tracks[library.tracks["has_score"]]
    assert len(scored) > 20 and scored["score"].max() == 100.0
    assert library.tracks.set_index("track_id").loc[sid("track", 3), "plays"] == 4  # 4 recent plays
    # Names survive as data.
    assert (library.artists["name"] == "<b>Bold</b> 3").any()
    # Progress: every step reported, in order.
    steps = list(dict.fromkeys(e.step for e in events))
    assert steps == list(STEPS)


def test_rerun_is_incremental(client, fake_spotify, fresh_store) -> None:
    sync_library(client, fresh_store)
    first = len(fake_spotify.requests)
    assert len(_album_fetches(fake_spotify)) > 0
    fake_spotify.requests.clear()
    report = sync_library(client, fresh_store)
    assert _album_fetches(fake_spotify) == []
    assert not [p for p in fake_spotify.paths() if p.startswith("/v1/artists/")]
    assert report.fetched["albums fetched"] == 0 and report.fetched["albums cached"] > 0
    assert len(fake_spotify.requests) < first
    assert report.version == 2
    # A newly liked song on a new album: only that album (and artist, if new) is fetched.
    new_track = sid("track", 160)
    fake_spotify.users["alice"].liked.insert(0, new_track)
    fake_spotify.requests.clear()
    sync_library(client, fresh_store)
    new_album = fake_spotify.tracks[new_track]["album_id"]
    assert _album_fetches(fake_spotify) == [f"/v1/albums/{new_album}"]


def test_a_sync_killed_half_way_leaves_the_old_library_and_resumes(
        client, fake_spotify, fresh_store) -> None:
    # Last night's library was small…
    user = fake_spotify.users["alice"]
    liked, saved = user.liked, user.saved_albums
    user.liked, user.saved_albums = liked[:10], []
    sync_library(client, fresh_store, options=SyncOptions(playlists=False, top=False,
                                                           recent=False))
    user.liked, user.saved_albums = liked, saved
    before = load_library(fresh_store, "spotify:alice")
    version = fresh_store.version("spotify:alice")
    cache = RemoteCache(fresh_store)
    cached = cache.count(ALBUM_PROVIDER)
    assert len(before.tracks) == 10 and cached == 2

    # …tonight it grew, and the app's quota runs out after 4 more album look-ups.
    fake_spotify.fail(r"^/v1/albums/\w+$", error(429, "Quota", reason="QUOTA_EXCEEDED"),
                      after=4)
    with pytest.raises(SyncError, match="QUOTA_EXCEEDED.*not changed") as stopped:
        sync_library(client, fresh_store)
    assert stopped.value.report.fetched["albums fetched"] == 4
    assert fresh_store.version("spotify:alice") == version
    pd.testing.assert_frame_equal(before.tracks, load_library(fresh_store, "spotify:alice").tracks)
    saved_now = 3  # full album objects of saved albums are cached as they are read
    assert cache.count(ALBUM_PROVIDER) == cached + saved_now + 4

    # The re-run fetches only what is still missing and completes.
    fake_spotify.requests.clear()
    report = sync_library(client, fresh_store)
    fetched = _album_fetches(fake_spotify)
    assert report.fetched["albums cached"] == cached + 4
    assert len(fetched) == report.fetched["albums fetched"] > 0
    assert report.version == version + 1
    assert len(load_library(fresh_store, "spotify:alice").tracks) == 144


def test_a_store_failure_leaves_the_old_library(client, fresh_store, monkeypatch) -> None:
    sync_library(client, fresh_store)
    version = fresh_store.version("spotify:alice")
    n = fresh_store.counts("spotify:alice")["tracks"]

    def broken(*args, **kwargs):
        raise StoreError("Could not write table 'tracks': disk full. The library was left as it was.")
    monkeypatch.setattr(fresh_store, "replace_library", broken)
    with pytest.raises(SyncError, match="disk full"):
        sync_library(client, fresh_store)
    assert fresh_store.version("spotify:alice") == version
    assert fresh_store.counts("spotify:alice")["tracks"] == n


def test_an_interrupt_inside_the_sync_propagates_and_changes_nothing(client, fresh_store) -> None:
    sync_library(client, fresh_store)
    version = fresh_store.version("spotify:alice")

    def stop(event: Progress) -> None:
        if event.step == "playlists":
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        sync_library(client, fresh_store, stop)
    assert fresh_store.version("spotify:alice") == version


def test_imported_history_features_and_labels_survive_a_resync(client, fresh_store) -> None:
    sync_library(client, fresh_store)
    library = load_library(fresh_store, "spotify:alice")
    track = library.tracks["track_id"].iloc[0]
    album = library.tracks["album_id"].iloc[0]
    albums = fresh_store.query("SELECT * EXCLUDE (library_id) FROM albums WHERE library_id = ? "
                               "AND album_id = ?", ["spotify:alice", album])
    fresh_store.merge_library("spotify:alice", LibraryData({
        "scores": pd.DataFrame({"track_id": [track], "score": [321.5], "plays": [40],
                                "source": ["history"]}),
        "audio_features": pd.DataFrame({"track_id": [track], "danceability": [0.5],
                                        "energy": [0.6], "speechiness": [0.1],
                                        "acousticness": [0.2], "instrumentalness": [0.0],
                                        "liveness": [0.1], "valence": [0.3],
                                        "source": ["reccobeats"]}),
        "albums": albums.assign(label_raw="Interscope Records"),
    }), name="Spotify: Alice Example", kind="spotify")
    report = sync_library(client, fresh_store)
    library = load_library(fresh_store, "spotify:alice").tracks.set_index("track_id")
    assert library.loc[track, "score"] == 321.5
    assert library["has_score"].sum() == 1  # history replaces the top-list score entirely
    assert library.loc[track, "danceability"] == 0.5
    assert (library.loc[library["album_id"] == album, "label_raw"] == "Interscope Records").all()
    assert any("imported listening history" in n for n in report.notes)


def test_old_apps_keep_the_album_label_and_popularity(spotify_env, fresh_store) -> None:
    from lib.spotify.config import load_config
    with FakeSpotify(legacy=True) as fake:
        cfg = load_config(env=dict(spotify_env, LABELSCOPE_SPOTIFY_API_URL=fake.api_url,
                                   LABELSCOPE_SPOTIFY_ACCOUNTS_URL=fake.accounts_url))
        report = sync_library(make_client(cfg, signed_in(cfg, fake)), fresh_store)
    library = load_library(fresh_store, report.library_id)
    assert library.tracks["label_raw"].notna().all()
    assert "Interscope Records" in set(library.labels["label"])
    assert library.tracks.loc[library.tracks["isrc"].notna(), "popularity"].notna().all()


def test_two_users_get_separate_libraries(spotify_config, fake_spotify, fresh_store) -> None:
    a = sync_library(make_client(spotify_config, signed_in(spotify_config, fake_spotify, "alice")),
                     fresh_store)
    b = sync_library(make_client(spotify_config, signed_in(spotify_config, fake_spotify, "bob")),
                     fresh_store)
    assert (a.library_id, b.library_id) == ("spotify:alice", "spotify:bob")
    alice = load_library(fresh_store, "spotify:alice")
    bob = load_library(fresh_store, "spotify:bob")
    assert set(bob.tracks.loc[bob.tracks["liked"], "track_id"]) == set(
        fake_spotify.users["bob"].liked)
    assert "Bob's jazz" in set(bob.playlists["name"]) and "Road trip 🚗" not in set(
        bob.playlists["name"])
    assert "Bob's jazz" not in set(alice.playlists["name"])


def test_top_scores_formula() -> None:
    frame = top_scores({"long_term": ["a", "b"], "short_term": ["b"]}, {"long_term": ["X"]},
                       ["c", "c"], {"a": "X", "b": "Y", "c": "Z"}).set_index("track_id")
    # a: 3·2/2 + 0.5·3·1/1 = 4.5 (max); b: 3·1/2 + 1·1/1 = 2.5; c: 2 plays · 0.5 = 1
    assert frame["score"].to_dict() == {"a": 100.0, "b": round(250 / 4.5, 1),
                                        "c": round(100 / 4.5, 1)}
    assert frame.loc["c", "plays"] == 2 and pd.isna(frame.loc["a", "plays"])
    assert top_scores({}, {}, [], {}).empty


def test_artist_cache_is_used_by_the_next_user(spotify_config, fake_spotify, fresh_store) -> None:
    sync_library(make_client(spotify_config, signed_in(spotify_config, fake_spotify, "alice")),
                 fresh_store)
    assert RemoteCache(fresh_store).count(ARTIST_PROVIDER) > 0
    fake_spotify.requests.clear()
    report = sync_library(make_client(spotify_config, signed_in(spotify_config, fake_spotify,
                                                                "bob")), fresh_store)
    assert report.fetched["artists cached"] > 0
