"""The Spotify client's bounded retries and explained errors, against the fake Web API."""

from __future__ import annotations

import pytest

from lib.spotify.auth import AuthError
from lib.spotify.client import (Forbidden, NotFound, QuotaExceeded, RateLimited, SpotifyError,
                                explain_403)
from lib.spotify.config import SpotifyConfig
from tests.fakes.fixtures import (fake_reccobeats, fake_spotify, make_client,  # noqa: F401
                                  signed_in, spotify_config, spotify_env)
from tests.fakes.server import Response, error


@pytest.fixture
def session(spotify_config, fake_spotify) -> dict:
    return signed_in(spotify_config, fake_spotify)


def test_429_waits_retry_after_then_succeeds(spotify_config, fake_spotify, session) -> None:
    fake_spotify.fail(r"^/v1/me$", error(429, "API rate limit exceeded", **{"Retry-After": "7"}),
                      times=2)
    sleeps: list[float] = []
    waits: list[tuple[float, str]] = []
    client = make_client(spotify_config, session, sleeps,
                         on_wait=lambda s, why: waits.append((s, why)))
    assert client.me()["id"] == "alice"
    assert sleeps == [7.0, 7.0]
    assert [w[1] for w in waits] == ["rate limit (429)"] * 2
    assert client.stats.retries == 2 and client.stats.waited == 14.0


def test_quota_exceeded_stops_at_once_without_waiting(spotify_config, fake_spotify,
                                                      session) -> None:
    fake_spotify.fail(r"^/v1/me$", error(429, "Quota exceeded", reason="QUOTA_EXCEEDED",
                                         **{"Retry-After": "86400"}), times=5)
    sleeps: list[float] = []
    client = make_client(spotify_config, session, sleeps)
    with pytest.raises(QuotaExceeded, match="QUOTA_EXCEEDED"):
        client.me()
    assert sleeps == [] and fake_spotify.paths().count("/v1/me") == 1


def test_a_long_retry_after_gives_up_cleanly(spotify_config, fake_spotify, session) -> None:
    fake_spotify.fail(r"^/v1/me$", error(429, "slow down", **{"Retry-After": "3600"}))
    sleeps: list[float] = []
    with pytest.raises(RateLimited, match="3600 s"):
        make_client(spotify_config, session, sleeps, max_wait=120).me()
    assert sleeps == []


def test_429_forever_is_bounded(spotify_config, fake_spotify, session) -> None:
    fake_spotify.fail(r"^/v1/me$", error(429, "slow down", **{"Retry-After": "1"}), times=99)
    sleeps: list[float] = []
    with pytest.raises(RateLimited):
        make_client(spotify_config, session, sleeps, max_attempts=4).me()
    assert len(sleeps) == 3 and fake_spotify.paths().count("/v1/me") == 4


def test_401_refreshes_once_and_retries(spotify_config, fake_spotify, session) -> None:
    client = make_client(spotify_config, session)
    fake_spotify.expire_access_tokens()
    assert client.me()["id"] == "alice"
    assert client.stats.refreshes == 1
    assert fake_spotify.paths().count("/api/token") == 2  # sign-in + one refresh


def test_401_twice_asks_to_connect_again(spotify_config, fake_spotify, session) -> None:
    fake_spotify.fail(r"^/v1/me$", error(401, "Invalid access token"), times=2)
    with pytest.raises(AuthError, match="connect again"):
        make_client(spotify_config, session).me()


def test_revoked_refresh_token_asks_to_connect_again(spotify_config, fake_spotify,
                                                      session) -> None:
    fake_spotify.expire_access_tokens()
    fake_spotify.refresh.clear()
    with pytest.raises(AuthError, match="Connect again"):
        make_client(spotify_config, session).me()


@pytest.mark.parametrize("message, expected", [
    ("Active premium subscription required for the owner of the app.", "Premium"),
    ("Check settings on developer.spotify.com/dashboard, the user may not be registered.",
     "allow-list"),
    ("", "not available to this app"),
])
def test_403_is_explained(spotify_config, fake_spotify, session, message, expected) -> None:
    fake_spotify.fail(r"^/v1/me/tracks$", error(403, message))
    sleeps: list[float] = []
    client = make_client(spotify_config, session, sleeps)
    with pytest.raises(Forbidden, match=expected):
        list(client.saved_tracks())
    assert sleeps == []  # a 403 is never retried
    assert "/me/tracks" in explain_403("/me/tracks", "")


def test_5xx_are_retried_with_backoff_then_give_up(spotify_config, fake_spotify,
                                                   session) -> None:
    fake_spotify.fail(r"^/v1/me$", Response(502, b"<html>Bad gateway</html>",
                                            {"Content-Type": "text/html"}), times=2)
    sleeps: list[float] = []
    client = make_client(spotify_config, session, sleeps, backoff=0.5)
    assert client.me()["id"] == "alice"
    assert len(sleeps) == 2 and 0.375 <= sleeps[0] <= 0.625 and 0.75 <= sleeps[1] <= 1.25
    fake_spotify.fail(r"^/v1/me$", error(500, "Server error"), times=99)
    with pytest.raises(SpotifyError, match="kept failing"):
        make_client(spotify_config, session, [], max_attempts=3).me()


def test_a_slow_answer_times_out_and_is_retried(fake_spotify, session, spotify_config) -> None:
    quick = SpotifyConfig(client_id=spotify_config.client_id, api_url=spotify_config.api_url,
                          accounts_url=spotify_config.accounts_url, timeout=0.15)
    fake_spotify.slow(r"^/v1/me$", delay=0.4)
    sleeps: list[float] = []
    client = make_client(quick, session, sleeps)
    assert client.me()["id"] == "alice"
    assert len(sleeps) == 1
    fake_spotify.slow(r"^/v1/me$", delay=0.4, times=2)
    with pytest.raises(SpotifyError, match="timed out 2 times"):
        make_client(quick, session, [], max_attempts=2).me()


def test_404_is_not_retried(spotify_config, session) -> None:
    sleeps: list[float] = []
    with pytest.raises(NotFound):
        make_client(spotify_config, session, sleeps).album("0000000000000000000000")
    assert sleeps == []


def test_paging_follows_next(spotify_config, fake_spotify, session) -> None:
    pages = list(make_client(spotify_config, session).saved_tracks())
    assert [len(p["items"]) for p in pages] == [50, 31]
    assert pages[0]["next"].startswith(fake_spotify.api_url)
