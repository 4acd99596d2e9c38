"""Issue 11 case 5 in Streamlit's real renderer: text from URLs and data never becomes a link,
math (KaTeX) or an icon inside the app's own messages and titles."""

from __future__ import annotations

import shutil
from urllib.parse import quote, urlsplit

import pytest

from lib.store.db import Store
from tests.e2e.conftest import start_streamlit, wait_for_app

HOSTILE = ("x. Session expired: sign in at https://evil.example/login "
           "$\\color{red}{\\Huge !!!}$ :material/lock:")
EVIL_ARTIST = "see https://evil.example/phish now www.evil.example $x^2$ :material/lock: :red[hi]"
MAIN = "[data-testid='stMainBlockContainer']"
# Markdown Streamlit renders: messages, titles, captions, link labels.
RENDERED = (f"{MAIN} [data-testid='stMarkdownContainer'], {MAIN} [data-testid='stAlert'], "
            f"{MAIN} h1")


def evil_links(page) -> list[str]:
    """Links that lead to evil.example (our own links may carry the name in a query parameter,
    e.g. "Cluster this artist" → /clusters?scope=artist&name=see%20https%3A…)."""
    hrefs = page.locator(f"{MAIN} a[href]").evaluate_all("els => els.map(e => e.href)")
    return [h for h in hrefs if urlsplit(h).hostname and urlsplit(h).hostname.endswith("evil.example")]


def assert_inert(page, words: str) -> None:
    """The words are shown, and nothing rendered from data is a link to evil.example, KaTeX or a
    Material icon."""
    main = page.locator(MAIN)
    assert words in main.inner_text().replace("\u2060", "")
    assert evil_links(page) == []
    assert main.locator(".katex, math").count() == 0
    icons = page.locator(RENDERED).locator("span[role='img'][aria-label$='icon']")
    assert icons.count() == 0, icons.evaluate_all("els => els.map(e => e.outerHTML)")
    assert page.locator(f"{MAIN} [data-testid='stMarkdownContainer'] span[style*='color']") \
        .count() == 0


def test_clusters_url_name_is_shown_as_text(streamlit_server, page) -> None:
    page.goto(f"{streamlit_server}/clusters?scope=label&name={quote(HOSTILE, safe='')}")
    wait_for_app(page)
    page.wait_for_selector(f"{MAIN} [data-testid='stAlert']", timeout=30_000)
    alerts = page.locator(f"{MAIN} [data-testid='stAlert']")
    assert "Session expired: sign in at https://evil.example/login" in \
        alerts.all_inner_texts()[0].replace("\u2060", "")
    assert_inert(page, "sign in at https://evil.example/login")


@pytest.mark.parametrize("path", [f"/artists?artist={quote(HOSTILE, safe='')}",
                                  f"/artists?q={quote(HOSTILE, safe='')}"])
def test_not_found_and_search_echo_are_text(streamlit_server, page, path: str) -> None:
    page.goto(streamlit_server + path)
    wait_for_app(page)
    page.wait_for_selector(f"{MAIN} [data-testid='stAlert']", timeout=30_000)
    assert_inert(page, "https://evil.example/login")


@pytest.fixture
def evil_server(tmp_path, demo_db_template):
    """The demo library with its biggest artist renamed to a hostile name."""
    db = tmp_path / "library.duckdb"
    shutil.copy(demo_db_template, db)
    store = Store(db)
    artist = store.query("SELECT artist_id FROM track_artists WHERE library_id = 'demo' "
                         "GROUP BY artist_id ORDER BY count(*) DESC LIMIT 1")["artist_id"][0]
    with store.cursor() as cur:
        cur.execute("UPDATE artists SET name = ? WHERE library_id = 'demo' AND artist_id = ?",
                    [EVIL_ARTIST, artist])
    store.touch("demo")
    store.close()
    with start_streamlit(db) as url:
        yield url


def test_a_hostile_artist_name_is_text_in_title_index_and_links(evil_server, page) -> None:
    page.goto(f"{evil_server}/artists?artist={quote(EVIL_ARTIST, safe='')}")
    wait_for_app(page)
    assert "https://evil.example/phish" in page.locator(f"{MAIN} h1").first.inner_text() \
        .replace("\u2060", "")
    assert_inert(page, "see https://evil.example/phish now")
    page.goto(f"{evil_server}/artists?q={quote('evil', safe='')}")
    wait_for_app(page)
    assert evil_links(page) == []
    assert page.locator(f"{MAIN} .katex").count() == 0
