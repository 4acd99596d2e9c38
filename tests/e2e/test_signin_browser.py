"""Login CSRF in real Chromium (issue 11 case 6): a Spotify sign-in link planted by one browser
signs nothing in when another browser opens it, while the browser that started a sign-in is
connected straight away (the binding is Streamlit's XSRF cookie, which AppTest cannot send)."""

from __future__ import annotations

import shutil

from tests.e2e import conftest as E
from tests.e2e.conftest import wait_for_app
from tests.fakes.fixtures import (browser_login, fake_reccobeats, fake_spotify,  # noqa: F401
                                  spotify_env)


def _connect_href(page, url: str) -> str:
    page.goto(url + "/data")
    wait_for_app(page)
    link = page.get_by_role("link", name="Connect Spotify")
    link.wait_for(timeout=30_000)
    return link.get_attribute("href")


def test_a_planted_sign_in_link_needs_confirming_in_another_browser(
        browser, tmp_path, demo_db_template, monkeypatch, spotify_env, fake_spotify):
    port = E._free_port()
    monkeypatch.setattr(E, "_free_port", lambda: port)
    monkeypatch.setenv("LABELSCOPE_SPOTIFY_REDIRECT_URI", f"http://127.0.0.1:{port}/")
    db = tmp_path / "library.duckdb"
    shutil.copy(demo_db_template, db)
    with E.start_streamlit(db) as url:
        attacker = browser.new_context()
        planted = browser_login(fake_spotify, _connect_href(attacker.new_page(), url), "bob")
        victim = browser.new_context().new_page()
        victim.goto(f"{url}/?code={planted['code']}&state={planted['state']}")
        victim.get_by_text("not started in this browser").wait_for(timeout=30_000)
        assert victim.get_by_text("Connected to Spotify as").count() == 0
        confirm = victim.get_by_role("button", name="Connect as")
        confirm.wait_for(timeout=10_000)
        assert "Bob" in confirm.inner_text()

        # The browser that starts a sign-in comes back connected, without a question.
        user = browser.new_context().new_page()
        fake_spotify.login_user = "alice"
        user.goto(_connect_href(user, url))  # the fake approves and redirects back at once
        user.get_by_text("Connected to Spotify as").wait_for(timeout=30_000)
        assert "Alice Example" in user.get_by_text("Connected to Spotify as").first.inner_text()
        assert user.get_by_text("not started in this browser").count() == 0
