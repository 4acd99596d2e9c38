"""Spotify config and sign-in: redirect URI rules, PKCE round trip across sessions, token hygiene."""

from __future__ import annotations

import logging

import pytest

from lib.spotify import auth
from lib.spotify.auth import (TOKEN_KEY, AuthError, PendingLogins, begin_login, complete_login,
                              disconnect, is_connected, make_auth_manager, redact)
from lib.spotify.config import (DEFAULT_REDIRECT_URI, ConfigError, load_config,
                                validate_redirect_uri)
from tests.fakes.fixtures import (browser_login, fake_reccobeats, fake_spotify,  # noqa: F401
                                  make_client, signed_in, spotify_config, spotify_env)
from tests.fakes.spotify import CLIENT_ID


# -- config ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("uri", ["http://localhost:8501/", "http://LOCALHOST:8501/data",
                                 "http://app.localhost/"])
def test_localhost_redirect_is_rejected_with_the_loopback_address_to_use(uri: str) -> None:
    with pytest.raises(ConfigError, match="localhost") as err:
        validate_redirect_uri(uri)
    assert "127.0.0.1" in str(err.value)


@pytest.mark.parametrize("uri", ["http://127.0.0.1:8501/", "http://[::1]:8501/",
                                 "https://labels.example.org/"])
def test_loopback_and_https_redirects_are_accepted(uri: str) -> None:
    assert validate_redirect_uri(uri) == uri


@pytest.mark.parametrize("uri", ["http://192.168.1.5:8501/", "ftp://127.0.0.1/",
                                 "http://127.0.0.1:8501/?x=1"])
def test_other_redirects_are_refused_with_a_reason(uri: str) -> None:
    with pytest.raises(ConfigError):
        validate_redirect_uri(uri)


def test_config_reads_env_then_secrets_and_defaults() -> None:
    cfg = load_config({}, env={})
    assert cfg.client_id is None and cfg.redirect_uri == DEFAULT_REDIRECT_URI
    assert cfg.api_url == "https://api.spotify.com/v1/"
    assert cfg.token_url == "https://accounts.spotify.com/api/token"
    with pytest.raises(ConfigError, match="client id"):
        cfg.require_client_id()
    cfg = load_config({"spotify": {"client_id": "from-secrets",
                                   "redirect_uri": "http://127.0.0.1:9000/"}}, env={})
    assert (cfg.client_id, cfg.redirect_uri) == ("from-secrets", "http://127.0.0.1:9000/")
    cfg = load_config({"spotify": {"client_id": "from-secrets"}},
                      env={"LABELSCOPE_SPOTIFY_CLIENT_ID": "from-env",
                           "LABELSCOPE_SPOTIFY_API_URL": "http://127.0.0.1:1/v1",
                           "LABELSCOPE_MUSICBRAINZ_URL": "http://127.0.0.1:2/ws/2/"})
    assert cfg.client_id == "from-env"
    assert cfg.api_url == "http://127.0.0.1:1/v1/"  # a missing trailing slash is added
    assert cfg.musicbrainz_url == "http://127.0.0.1:2/ws/2/"
    with pytest.raises(ConfigError, match="localhost"):
        load_config({}, env={"LABELSCOPE_SPOTIFY_REDIRECT_URI": "http://localhost:8501/"})
    with pytest.raises(ConfigError, match="LABELSCOPE_RECCOBEATS_URL"):
        load_config({}, env={"LABELSCOPE_RECCOBEATS_URL": "api.reccobeats.com"})


# -- pending sign-ins ------------------------------------------------------------------------------
def test_pending_logins_are_one_use_bounded_and_expiring() -> None:
    now = [0.0]
    pending = PendingLogins(max_entries=3, ttl=600, clock=lambda: now[0])
    for i in range(5):
        pending.put(f"s{i}", f"v{i}", ["a"], "http://127.0.0.1:8501/")
    assert len(pending) == 3
    assert pending.pop("s0") is None  # dropped: oldest beyond the bound
    assert pending.pop("s4").verifier == "v4"
    assert pending.pop("s4") is None  # one use
    now[0] = 601
    assert pending.pop("s3") is None  # expired
    assert len(pending) == 0


# -- the PKCE round trip ---------------------------------------------------------------------------
def test_sign_in_completes_in_another_session_by_state(spotify_config, fake_spotify) -> None:
    starting_session: dict = {}
    url = begin_login(spotify_config)
    assert url.startswith(fake_spotify.accounts_url + "authorize?")
    assert "code_challenge_method=S256" in url and "state=" in url
    assert "playlist-modify-private" in url
    params = browser_login(fake_spotify, url)
    redirected_session: dict = {}  # the redirect opens a new Streamlit session
    complete_login(spotify_config, redirected_session, params["code"], params["state"])
    assert is_connected(redirected_session) and not is_connected(starting_session)
    token = redirected_session[TOKEN_KEY]
    assert token["access_token"] in fake_spotify.access
    # The same redirect cannot be replayed.
    with pytest.raises(AuthError, match="expired or was already used"):
        complete_login(spotify_config, {}, params["code"], params["state"])


def test_unknown_state_or_wrong_verifier_is_refused(spotify_config, fake_spotify) -> None:
    with pytest.raises(AuthError, match="Connect Spotify"):
        complete_login(spotify_config, {}, "code-x", "a-state-nobody-issued")
    pending = PendingLogins()
    url = begin_login(spotify_config, pending=pending)
    params = browser_login(fake_spotify, url)
    login = pending.pop(params["state"])
    pending.put(params["state"], "not-the-verifier-" + "x" * 40, login.scopes, login.redirect_uri)
    session: dict = {}
    with pytest.raises(AuthError, match="did not accept"):
        complete_login(spotify_config, session, params["code"], params["state"], pending=pending)
    assert not is_connected(session)


def test_expired_token_is_refreshed_and_stays_in_the_session(spotify_config, fake_spotify) -> None:
    session = signed_in(spotify_config, fake_spotify)
    old = dict(session[TOKEN_KEY])
    session[TOKEN_KEY] = dict(old, expires_at=0)  # expired
    client = make_client(spotify_config, session)
    assert client.me()["id"] == "alice"
    assert session[TOKEN_KEY]["access_token"] != old["access_token"]
    assert session[TOKEN_KEY]["scope"] == old["scope"]


def test_no_token_never_prompts_or_opens_a_browser(spotify_config, monkeypatch) -> None:
    monkeypatch.setattr("builtins.input", lambda *_: pytest.fail("prompted for input"))
    monkeypatch.setattr("webbrowser.open", lambda *_: pytest.fail("opened a browser"))
    manager = make_auth_manager(spotify_config, {})
    with pytest.raises(AuthError, match="Not connected"):
        manager.get_access_token()


def test_disconnect_forgets_the_tokens(spotify_config, fake_spotify) -> None:
    session = signed_in(spotify_config, fake_spotify)
    session["other"] = 1
    disconnect(session)
    assert not is_connected(session) and session == {"other": 1}


# -- never log a token -----------------------------------------------------------------------------
def test_redact_hides_bearer_tokens_refresh_tokens_codes_and_verifiers() -> None:
    text = ("Headers: {'Authorization': 'Bearer at-SECRET1'} Body: {'refresh_token': "
            "'rt-SECRET2', 'code_verifier': 'SECRET3', 'code': 'SECRET4'} "
            "refresh_token=SECRET5&grant_type=refresh_token")
    cleaned = redact(text)
    for secret in ("SECRET1", "SECRET2", "SECRET3", "SECRET4", "SECRET5"):
        assert secret not in cleaned
    assert "grant_type=refresh_token" in cleaned


def test_debug_logging_of_a_whole_sign_in_and_refresh_shows_no_token(
        spotify_config, fake_spotify, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    session = signed_in(spotify_config, fake_spotify)
    client = make_client(spotify_config, session)
    client.me()
    fake_spotify.expire_access_tokens()
    client.me()  # 401 → refresh → retry
    assert client.stats.refreshes == 1
    assert any("spotipy" in r.name for r in caplog.records)  # spotipy did log at DEBUG
    for token in fake_spotify.issued:
        assert token not in caplog.text
    assert auth.TOKEN_KEY not in caplog.text
    assert CLIENT_ID  # the client id is not a secret (it is in the authorize URL)


# -- login CSRF (issue 11 case 6) ----------------------------------------------------------------
def test_a_redirect_counts_as_this_browser_only_when_its_key_matches(spotify_config,
                                                                     fake_spotify) -> None:
    ours = begin_login(spotify_config, browser="key-of-browser-a")
    params = browser_login(fake_spotify, ours)
    auth_a = complete_login(spotify_config, {}, params["code"], params["state"],
                            browser="key-of-browser-a")
    assert auth_a.same_browser
    planted = browser_login(fake_spotify, begin_login(spotify_config, browser="attacker"),
                            "mallory")
    auth_b = complete_login(spotify_config, {}, planted["code"], planted["state"],
                            browser="key-of-browser-a")
    assert not auth_b.same_browser
    unknown = browser_login(fake_spotify, begin_login(spotify_config))
    assert not complete_login(spotify_config, {}, unknown["code"], unknown["state"]).same_browser


def test_browser_key_survives_the_cookie_being_masked_again() -> None:
    from lib.spotify.auth import browser_key
    token = bytes(range(16))

    def cookie(mask: bytes) -> str:
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(token))
        return f"2|{mask.hex()}|{masked.hex()}|1700000000"

    one, two = browser_key(cookie(b"\x01\x02\x03\x04")), browser_key(cookie(b"\xff\x00\xaa\x55"))
    assert one == two and len(one) == 64
    assert browser_key(cookie(b"\x01\x02\x03\x04").replace("|1700000000", "|1")) == one
    other = bytes(range(1, 17)).hex()
    assert browser_key(f"2|00000000|{other}|1") != one
    assert browser_key(None) == browser_key("") == ""
    assert browser_key("2|zz|yy|1")  # unreadable cookies still give a key of their own


@pytest.mark.parametrize("served, expected", [
    ("http://localhost:8765/", "http://127.0.0.1:8765/"),
    ("http://127.0.0.1:9001", "http://127.0.0.1:9001/"),
    ("http://localhost:8765/labelscope", "http://127.0.0.1:8765/labelscope/"),
    ("http://[::1]:8600/", "http://[::1]:8600/"),
    ("https://labels.example.org/", "https://labels.example.org/"),
    ("http://192.168.1.20:8501/", None),  # Spotify refuses plain HTTP off loopback
    ("http://localhost:notaport/", None),
    (None, None),
])
def test_redirect_uri_follows_the_address_the_dashboard_is_served_at(served, expected) -> None:
    from lib.spotify.config import redirect_uri_for
    assert redirect_uri_for(served) == expected


def test_a_configured_redirect_uri_wins_over_the_served_address() -> None:
    served = "http://localhost:8765/"
    assert load_config({}, env={}, served_url=served).redirect_uri == "http://127.0.0.1:8765/"
    assert load_config({}, env={}, served_url="http://10.0.0.5:80/").redirect_uri == \
        DEFAULT_REDIRECT_URI
    cfg = load_config({"spotify": {"redirect_uri": "http://127.0.0.1:9000/"}}, env={},
                      served_url=served)
    assert cfg.redirect_uri == "http://127.0.0.1:9000/"
    cfg = load_config({}, env={"LABELSCOPE_SPOTIFY_REDIRECT_URI": "https://a.example/"},
                      served_url=served)
    assert cfg.redirect_uri == "https://a.example/"
