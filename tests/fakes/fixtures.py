"""pytest fixtures for the Spotify tests: fake services and a signed-in session.

Import the ones a test module needs: ``from tests.fakes.fixtures import fake_spotify, …``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from lib.spotify.auth import begin_login, complete_login
from lib.spotify.client import SpotifyClient
from lib.spotify.config import SpotifyConfig, load_config
from lib.store.db import Store
from tests.fakes.musicbrainz import FakeMusicBrainz
from tests.fakes.reccobeats import FakeReccoBeats
from tests.fakes.spotify import CLIENT_ID, FakeSpotify


@pytest.fixture
def fake_spotify() -> Iterator[FakeSpotify]:
    with FakeSpotify() as fake:
        yield fake


@pytest.fixture
def fake_reccobeats() -> Iterator[FakeReccoBeats]:
    with FakeReccoBeats() as fake:
        yield fake


@pytest.fixture
def spotify_env(monkeypatch: pytest.MonkeyPatch, fake_spotify: FakeSpotify,
                fake_reccobeats: FakeReccoBeats) -> dict[str, str]:
    """Environment pointing every service at the fakes (as a user would for a mirror)."""
    env = {"LABELSCOPE_SPOTIFY_API_URL": fake_spotify.api_url,
           "LABELSCOPE_SPOTIFY_ACCOUNTS_URL": fake_spotify.accounts_url,
           "LABELSCOPE_RECCOBEATS_URL": fake_reccobeats.base_url,
           "LABELSCOPE_MUSICBRAINZ_URL": fake_spotify.url + "/no-musicbrainz/",
           "LABELSCOPE_DEEZER_URL": fake_spotify.url + "/no-deezer/",
           "LABELSCOPE_SPOTIFY_CLIENT_ID": CLIENT_ID,
           "LABELSCOPE_SPOTIFY_TIMEOUT": "2"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return env


@pytest.fixture
def spotify_config(spotify_env: dict[str, str]) -> SpotifyConfig:
    return load_config()


def browser_login(fake: FakeSpotify, authorize_url: str, user: str = "alice") -> dict[str, str]:
    """Do what the browser does: open the authorize URL, follow nothing, read the redirect."""
    fake.login_user = user
    answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    return {"code": query["code"][0], "state": query["state"][0]}


def signed_in(config: SpotifyConfig, fake: FakeSpotify, user: str = "alice",
              session: dict[str, Any] | None = None) -> dict[str, Any]:
    """A session mapping holding a token for ``user`` obtained through the real PKCE flow."""
    session = {} if session is None else session
    params = browser_login(fake, begin_login(config), user)
    complete_login(config, session, params["code"], params["state"])
    return session


def make_client(config: SpotifyConfig, session: dict[str, Any],
                sleeps: list[float] | None = None, **kwargs: Any) -> SpotifyClient:
    from lib.spotify.auth import make_auth_manager
    record = sleeps if sleeps is not None else []
    return SpotifyClient(make_auth_manager(config, session), config,
                         sleep=record.append, **kwargs)


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "fresh.duckdb")
    yield store
    store.close()


def fake_musicbrainz(spotify: FakeSpotify, **kwargs: Any) -> FakeMusicBrainz:
    return FakeMusicBrainz(spotify, **kwargs)
