"""The Data page's Spotify section, the sign-in redirect and session isolation (AppTest)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.spotify.auth import TOKEN_KEY, USER_KEY
from lib.spotify.sync import sync_library
from tests.fakes.fixtures import (browser_login, fake_reccobeats, fake_spotify,  # noqa: F401
                                  make_client, signed_in, spotify_config, spotify_env)
from tests.conftest import shown
from ui.session import SESSION_KEY, SPOTIFY_LIBRARY_KEY

ROOT = Path(__file__).resolve().parent.parent


def page_text(at: AppTest) -> str:
    """Everything the page sent to the browser, as text."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        children = getattr(node, "children", None) or {}
        for child in (children.values() if isinstance(children, dict) else children):
            walk(child)
    walk(at._tree)
    return "\n".join(out)


@pytest.fixture(autouse=True)
def one_browser(monkeypatch):
    """Every AppTest session here is one browser (AppTest sends no cookies); the login-CSRF
    tests switch browsers by setting ``browser.key``."""
    import ui.spotify_connect

    class Browser:
        key = "key-of-the-test-browser"

    monkeypatch.setattr(ui.spotify_connect, "_browser_key", lambda: Browser.key)
    return Browser


def connect(app, fake, user: str = "alice") -> AppTest:
    """Click "Connect Spotify" in one session, sign in, land in a new session (the redirect)."""
    start = app("app_pages/data.py")
    [link] = start.get("link_button")
    assert link.proto.label == "Connect Spotify"
    params = browser_login(fake, link.proto.url, user)
    return app("app_pages/home.py", **params)  # the redirect URI is "/"


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_without_a_client_id_the_section_explains_the_setup(app, monkeypatch) -> None:
    monkeypatch.delenv("LABELSCOPE_SPOTIFY_CLIENT_ID", raising=False)
    at = app("app_pages/data.py")
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "http://127.0.0.1:8501/" in info and "client_id" in info and "Premium" in info
    assert not at.get("link_button")


def test_a_localhost_redirect_uri_is_refused_on_the_page(app, spotify_env, monkeypatch) -> None:
    monkeypatch.setenv("LABELSCOPE_SPOTIFY_REDIRECT_URI", "http://localhost:8501/")
    at = app("app_pages/data.py")
    assert not at.exception and "127.0.0.1" in shown(at.error[0].value)


def test_connect_sync_and_disconnect(app, spotify_env, fake_spotify) -> None:
    at = connect(app, fake_spotify)
    assert not at.exception
    assert "Connected to Spotify as **Alice Example**" in at.success[0].value
    assert "code" not in at.query_params and "state" not in at.query_params
    assert at.session_state[SPOTIFY_LIBRARY_KEY] == "spotify:alice"
    assert "Connected as **Alice Example**" in " ".join(m.value for m in at.markdown)

    button(at, "Sync library").click().run()
    assert not at.exception and not at.error
    assert at.session_state[SESSION_KEY] == "spotify:alice"  # the new library is opened
    lines = "\n".join(m.value for m in at.markdown)
    assert "80 liked songs" in lines and "Last synced" in " ".join(c.value for c in at.caption)
    assert "spotify:alice" in set(at.dataframe[0].value["Id"])  # the page was redrawn
    assert "Skipped" in lines and "1 episodes" in lines
    assert "Spotify audio features" in lines and "not available to this app" in lines
    assert any(m.label == "With audio features" for m in at.metric)  # coverage

    button(at, "Disconnect").click().run()
    assert not at.exception
    assert TOKEN_KEY not in at.session_state and SPOTIFY_LIBRARY_KEY not in at.session_state
    assert at.session_state[SESSION_KEY] == "demo"
    assert at.get("link_button")[0].proto.label == "Connect Spotify"
    assert "spotify:alice" not in page_text(at)  # the library is no longer listed


def test_a_failed_sync_is_explained_and_keeps_the_library(app, spotify_env,
                                                         fake_spotify) -> None:
    from tests.fakes.server import error
    at = connect(app, fake_spotify)
    button(at, "Sync library").click().run()
    version = at.dataframe[0].value.set_index("Id").loc["spotify:alice", "Tracks"]
    fake_spotify.users["alice"].liked = fake_spotify.users["alice"].liked[:5]
    fake_spotify.fail(r"^/v1/me/top/", error(429, "Quota", reason="QUOTA_EXCEEDED"))
    button(at, "Sync library").click().run()
    assert not at.exception
    assert "quota is used up" in at.error[0].value and "not changed" in at.error[0].value
    assert "Stopped" in page_text(at)
    at.run()
    assert at.dataframe[0].value.set_index("Id").loc["spotify:alice", "Tracks"] == version


def test_a_cancelled_or_replayed_sign_in_is_explained(app, spotify_env, fake_spotify) -> None:
    at = app("app_pages/home.py", error="access_denied", state="whatever")
    assert "cancelled" in at.warning[0].value and "declined" in at.warning[0].value
    start = app("app_pages/data.py")
    params = browser_login(fake_spotify, start.get("link_button")[0].proto.url)
    assert app("app_pages/home.py", **params).success
    replay = app("app_pages/home.py", **params)
    assert "expired or was already used" in replay.error[0].value
    assert TOKEN_KEY not in replay.session_state


def _session_script() -> None:
    import streamlit as st

    from ui.session import visible_libraries
    st.write(sorted(visible_libraries()))


def test_two_users_in_two_sessions_stay_isolated(store, spotify_config, fake_spotify) -> None:
    for user in ("alice", "bob"):
        client = make_client(spotify_config, signed_in(spotify_config, fake_spotify, user))
        sync_library(client, store)
    seen = {}
    for user in ("alice", "bob", None):
        at = AppTest.from_function(_session_script)
        if user:
            at.session_state[SPOTIFY_LIBRARY_KEY] = f"spotify:{user}"
        at.run()
        seen[user] = at.json[0].value if at.json else at.markdown[0].value
    assert "spotify:alice" in seen["alice"] and "spotify:bob" not in seen["alice"]
    assert "spotify:bob" in seen["bob"] and "spotify:alice" not in seen["bob"]
    assert "spotify:" not in seen[None]
    for text in seen.values():
        assert "demo" in text  # everyone keeps the demo


def test_two_browser_sessions_signed_in_as_two_users(app, spotify_env, fake_spotify) -> None:
    alice = connect(app, fake_spotify, "alice")
    button(alice, "Sync library").click().run()
    bob = connect(app, fake_spotify, "bob")
    button(bob, "Sync library").click().run()
    alice.run()
    assert alice.session_state[SESSION_KEY] == "spotify:alice"
    assert bob.session_state[SESSION_KEY] == "spotify:bob"
    alice_page, bob_page = page_text(alice), page_text(bob)
    assert "Alice Example" in alice_page and "Bob Builder" not in alice_page
    assert "Bob Builder" in bob_page and "Alice Example" not in bob_page
    # The Data page's library table of each session lists its own library and the demo only.
    for at, mine, other in ((alice, "spotify:alice", "spotify:bob"),
                            (bob, "spotify:bob", "spotify:alice")):
        at.switch_page("app_pages/data.py").run()
        ids = set(at.dataframe[0].value["Id"])
        assert {"demo", mine} <= ids and other not in ids


def test_tokens_never_reach_the_page_the_logs_or_files(app, spotify_env, fake_spotify, caplog,
                                                        db_path) -> None:
    caplog.set_level(logging.DEBUG)
    cwd_cache = Path.cwd() / ".cache"
    had_cache = cwd_cache.exists()
    at = connect(app, fake_spotify)
    at.session_state[TOKEN_KEY] = dict(at.session_state[TOKEN_KEY], expires_at=0)  # force refresh
    button(at, "Sync library").click().run()
    assert not at.exception and at.session_state[SESSION_KEY] == "spotify:alice"
    tokens = fake_spotify.issued
    assert len(tokens) >= 4  # sign-in pair + refreshed pair
    text = page_text(at) + "\n".join(str(v) for v in at.query_params.values())
    files = b"".join(p.read_bytes() for p in db_path.parent.rglob("*") if p.is_file())
    for token in tokens:
        assert token not in text
        assert token not in caplog.text
        assert token.encode() not in files
    assert cwd_cache.exists() == had_cache  # spotipy's shared .cache file is never used


def _save_script() -> None:
    import streamlit as st

    from ui.spotify_connect import save_cluster_button
    ids = st.session_state.get("ids", [])
    save_cluster_button(ids, "Cluster #1 — Energetic, Happy")


def test_save_cluster_as_private_playlist(store, spotify_config, fake_spotify) -> None:
    session = signed_in(spotify_config, fake_spotify)
    sync_library(make_client(spotify_config, session), store)
    ids = list(fake_spotify.tracks)[:130] + ["not-a-spotify-id"]
    at = AppTest.from_function(_save_script)
    at.session_state["ids"] = ids
    at.run()
    assert "Connect Spotify" in at.caption[0].value  # not signed in in this session
    at.session_state[TOKEN_KEY] = session[TOKEN_KEY]
    at.session_state[USER_KEY] = {"id": "alice", "display_name": "Alice Example"}
    at.session_state[SPOTIFY_LIBRARY_KEY] = "spotify:alice"
    at.session_state[SESSION_KEY] = "spotify:alice"
    at.run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert "130 tracks" in at.success[0].value and "1 tracks without a Spotify id" in \
        at.success[0].value
    created = [p for p in fake_spotify.playlists.values()
               if p["name"] == "Cluster #1 — Energetic, Happy"]
    assert len(created) == 1 and created[0]["entries"] == ids[:130]
    assert created[0]["public"] is False
    posts = [r for r in fake_spotify.requests if r.method == "POST" and r.path.endswith("/items")]
    assert len(posts) == 2  # 100 + 30
    # On the demo library the button explains instead (the URL names the tab's library).
    at.query_params["library"] = "demo"
    at.run()
    assert "Demo tracks are not on Spotify" in at.caption[0].value


def test_clusters_page_saves_a_cluster_as_playlist(app, spotify_env, fake_spotify) -> None:
    at = connect(app, fake_spotify)
    button(at, "Sync library").click().run()
    at.switch_page("app_pages/clusters.py")
    at.query_params["show"] = "Tracks"
    at.run()
    assert not at.exception, at.exception
    saves = [b for b in at.button if b.label == "Save as private playlist"]
    assert len(saves) == 1  # for the cluster picked under "Every track of a cluster"
    assert at.selectbox(key=next(k for k in at.session_state if str(k).startswith("cl_pick_")))\
        .value == 0
    saves[0].click().run()
    assert not at.exception, at.exception
    created = [p for p in fake_spotify.playlists.values() if "Cluster #1" in p["name"]]
    assert len(created) == 1 and created[0]["public"] is False
    name = at.selectbox(key=next(k for k in at.session_state if str(k).startswith("cl_pick_")))\
        .format_func(0)  # "#1 Name"
    size = next(c.value for c in at.caption if c.value.startswith("Its "))  # "Its 1,234 tracks, …"
    assert len(created[0]["entries"]) == int(size.split()[1].replace(",", ""))
    assert name.split(" ", 1)[1] in created[0]["name"]


# -- login CSRF (issue 11 case 6) ----------------------------------------------------------------
def test_a_planted_sign_in_link_does_not_sign_another_browser_in(app, store, spotify_env,
                                                                  fake_spotify, one_browser):
    from lib.importers import import_files
    from tests import importers_samples as S
    from ui.data_import import import_target
    one_browser.key = "mallory-browser"
    attacker = app("app_pages/data.py")
    [link] = attacker.get("link_button")
    planted = browser_login(fake_spotify, link.proto.url, "bob")  # stops at the redirect
    one_browser.key = "victim-browser"
    victim = app("app_pages/home.py", **planted)  # the victim opens the link
    assert not victim.exception
    assert TOKEN_KEY not in victim.session_state and USER_KEY not in victim.session_state
    assert SPOTIFY_LIBRARY_KEY not in victim.session_state
    assert victim.session_state[SESSION_KEY] != "spotify:bob"
    warning = victim.warning[0].value
    assert "not started in this browser" in warning and "Bob" in warning
    assert store.version("spotify:bob") < 0  # nothing opened or written
    # Cancel: still not signed in, and the import target is the local library.
    victim.button(key="spotify_confirm_cancel").click().run()
    assert TOKEN_KEY not in victim.session_state and not victim.warning
    assert "Not connected to Spotify." in victim.info[0].value
    assert victim.get("link_button")


def test_confirming_a_sign_in_from_elsewhere_connects(app, spotify_env, fake_spotify,
                                                       one_browser):
    one_browser.key = "phone"
    start = app("app_pages/data.py")
    params = browser_login(fake_spotify, start.get("link_button")[0].proto.url)
    one_browser.key = "laptop"
    at = app("app_pages/home.py", **params)
    assert TOKEN_KEY not in at.session_state
    at.button(key="spotify_confirm").click().run()
    assert not at.exception
    assert "Connected to Spotify as **Alice Example**" in at.success[0].value
    assert at.session_state[SPOTIFY_LIBRARY_KEY] == "spotify:alice"
    assert at.session_state[TOKEN_KEY]["refresh_token"]
