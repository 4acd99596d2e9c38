"""``python -m lib sync``: headless sync with a refresh token from the env or a 0600 file."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from lib.__main__ import main
from lib.cli.sync import TOKEN_ENV, read_refresh_token, token_file, write_refresh_token
from lib.spotify.auth import TOKEN_KEY
from lib.spotify.config import READ_SCOPES, ConfigError
from lib.store.db import Store
from tests.fakes.fixtures import (browser_login, fake_reccobeats, fake_spotify,  # noqa: F401
                                  signed_in, spotify_config, spotify_env)


@pytest.fixture
def cli_env(spotify_env, tmp_path, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_DB", str(tmp_path / "data" / "library.duckdb"))
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    return tmp_path / "data"


def _refresh_token(config, fake) -> str:
    session = signed_in(config, fake)
    return session[TOKEN_KEY]["refresh_token"]


def test_sync_with_the_token_file_prints_progress_and_summary(
        cli_env, spotify_config, fake_spotify, capsys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    token = _refresh_token(spotify_config, fake_spotify)
    path = write_refresh_token(token)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.parent == cli_env
    assert main(["sync", "--reccobeats"]) == 0
    out = capsys.readouterr().out
    assert "[liked songs] 80/81" in out and "[albums]" in out
    assert "Spotify library of Alice Example → 'spotify:alice' (version 1)" in out
    assert "Skipped: 1 episodes, 1 local files, 2 null tracks" in out
    assert "ReccoBeats audio features: +144 audio features" in out
    # Spotify rotated the refresh token: the file now holds the new one (still 0600).
    new = path.read_text().strip()
    assert new != token and new in fake_spotify.refresh
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for secret in fake_spotify.issued:
        assert secret not in out and secret not in caplog.text
    store = Store()
    assert store.counts("spotify:alice")["tracks"] == 144
    store.close()
    # The next run (with the rotated token) works and is incremental.
    assert main(["sync", "--quiet", "--no-enrich"]) == 0
    out = capsys.readouterr().out
    assert "[liked songs]" not in out and "albums fetched 0" in out


def test_sync_with_the_env_token_keeps_the_rotated_one_in_the_file(
        cli_env, spotify_config, fake_spotify, monkeypatch, capsys) -> None:
    monkeypatch.setenv(TOKEN_ENV, _refresh_token(spotify_config, fake_spotify))
    assert main(["sync", "--quiet", "--no-playlists"]) == 0
    captured = capsys.readouterr()
    assert "Unset LABELSCOPE_SPOTIFY_REFRESH_TOKEN" in captured.err
    assert token_file().read_text().strip() in fake_spotify.refresh


def test_a_token_file_readable_by_others_is_refused(cli_env) -> None:
    path = write_refresh_token("rt-whatever")
    os.chmod(path, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        read_refresh_token({})
    assert main(["sync"]) == 2


def test_missing_token_or_client_id_exit_2_with_a_hint(cli_env, monkeypatch, capsys) -> None:
    assert main(["sync"]) == 2
    assert "python -m lib sync --login" in capsys.readouterr().err
    monkeypatch.delenv("LABELSCOPE_SPOTIFY_CLIENT_ID")
    assert main(["sync"]) == 2
    assert "client id" in capsys.readouterr().err


def test_a_failed_sync_exits_1_and_changes_nothing(cli_env, spotify_config, fake_spotify,
                                                   capsys) -> None:
    from tests.fakes.server import error
    write_refresh_token(_refresh_token(spotify_config, fake_spotify))
    fake_spotify.fail(r"^/v1/me/tracks$", error(429, "Quota", reason="QUOTA_EXCEEDED"))
    assert main(["sync", "--quiet"]) == 1
    assert "QUOTA_EXCEEDED" in capsys.readouterr().err
    store = Store()
    assert store.version("spotify:alice") == -1
    store.close()


def test_login_saves_the_refresh_token(cli_env, fake_spotify, monkeypatch, capsys) -> None:
    def answer(prompt: str) -> str:
        url = capsys.readouterr().out.split("\n\n  ")[1].split("\n")[0]
        assert "scope=" in url and "playlist-modify-private" not in url
        params = browser_login(fake_spotify, url)
        return f"http://127.0.0.1:8501/?code={params['code']}&state={params['state']}"
    monkeypatch.setattr("builtins.input", answer)
    assert main(["sync", "--login"]) == 0
    saved = token_file().read_text().strip()
    assert saved in fake_spotify.refresh
    assert saved not in capsys.readouterr().out
    assert sorted(fake_spotify.refresh[saved][1].split()) == sorted(READ_SCOPES)


def test_headless_sync_keeps_its_flags_deezer_and_ignores_stored_consent(
        cli_env, spotify_config, fake_spotify, monkeypatch, capsys) -> None:
    from lib.enrichment import consent
    from tests.fakes.deezer import FakeDeezer
    write_refresh_token(_refresh_token(spotify_config, fake_spotify))
    store = Store()
    consent.record(store, "spotify:alice", "musicbrainz", consent.YES)  # an answer in the app
    store.close()
    with FakeDeezer() as deezer:
        monkeypatch.setenv("LABELSCOPE_DEEZER_URL", deezer.base_url)
        assert main(["sync", "--quiet", "--deezer"]) == 0
        assert deezer.requests and all(r.path.startswith("/track/isrc:")
                                       for r in deezer.requests)
    out = capsys.readouterr().out
    assert "Deezer tempo & loudness: +" in out and "MusicBrainz" not in out
    assert not [p for p in fake_spotify.paths() if "no-musicbrainz" in p]
