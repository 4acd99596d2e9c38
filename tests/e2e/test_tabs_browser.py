"""One library across tabs and links, in Chromium: links stay in the tab and keep the library,
copied URLs open the same view, library changes show at once, index links clear the detail."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from lib.demo.generator import generate_library
from lib.store.db import Store
from lib.store.library import load_library
from tests.e2e.conftest import start_streamlit, wait_for_app

HEADER_PX = 35  # st.dataframe's header row
ROW_PX = 35


@pytest.fixture(scope="module")
def two_libraries(tmp_path_factory, demo_db_template):
    """A server whose file holds the demo and a different imported ("local") library, so a tab
    that loses its library would show the wrong one."""
    db = tmp_path_factory.mktemp("tabs") / "library.duckdb"
    shutil.copy(demo_db_template, db)
    store = Store(db)
    store.replace_library("local", generate_library(300, seed=11), name="Imported files",
                          kind="local")
    demo = load_library(store, "demo")
    with start_streamlit(db) as url:
        yield url, db, demo


def _href(page) -> str:
    """The address bar (page.url misses history.replaceState, which Streamlit uses)."""
    return page.evaluate("location.href")


def _query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(_href(page)).query).items()}


def _sidebar(page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()


def _click_cell(page, table_index: int, row: int, column_x: int) -> None:
    """Click a cell of the n-th st.dataframe (a canvas grid): ``column_x`` px from its left."""
    grid = page.locator("[data-testid='stDataFrame']").nth(table_index)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + column_x, box["y"] + HEADER_PX + ROW_PX * row + ROW_PX / 2)


def _wait_for_param(page, key: str, value: str, timeout: float = 30_000) -> None:
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).get({key!r}) === {value!r}", timeout=timeout)
    wait_for_app(page)


def _wait_for_title(page, text: str, timeout: float = 30_000) -> None:
    page.wait_for_function(
        f"() => (document.querySelector('h1') || {{}}).innerText?.includes({text!r})",
        timeout=timeout)


def test_clicking_a_name_stays_in_the_tab_with_the_same_library(two_libraries, page):
    url, _, demo = two_libraries
    page.goto(f"{url}/labels?library=demo")
    wait_for_app(page)
    top_label = demo.labels["label"].iloc[0]  # the index is sorted by tracks
    _click_cell(page, 0, 0, 60)
    _wait_for_param(page, "label", top_label)
    _wait_for_title(page, top_label)
    assert len(page.context.pages) == 1  # no new tab
    assert _query(page)["library"] == "demo" and _query(page)["label"] == top_label
    assert top_label in page.locator("h1").first.inner_text()
    assert "Demo library" in _sidebar(page)


def test_a_copied_url_opens_the_same_view_in_a_fresh_tab(two_libraries, browser):
    url, _, demo = two_libraries
    artist = demo.artists["name"].iloc[0]
    first = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    first.goto(f"{url}/artists?library=demo")
    wait_for_app(first)
    _click_cell(first, 0, 0, 110)  # Art | Artist: the artist name
    _wait_for_param(first, "artist", artist)
    _wait_for_title(first, artist)
    copied = _href(first)
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    fresh.goto(copied)  # a new browser session: nothing but the URL
    wait_for_app(fresh)
    assert artist in fresh.locator("h1").first.inner_text()
    assert _query(fresh)["library"] == "demo" and "Demo library" in _sidebar(fresh)
    first.context.close()
    fresh.context.close()


def test_the_sidebar_index_link_from_a_detail_page_shows_the_index(two_libraries, page):
    url, _, demo = two_libraries
    artist = demo.artists["name"].iloc[0]
    page.goto(f"{url}/artists?library=demo&artist={artist}")
    wait_for_app(page)
    assert artist in page.locator("h1").first.inner_text()
    page.locator("[data-testid='stSidebar'] a", has_text="Artists").first.click()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('artist')",
                           timeout=30_000)
    wait_for_app(page)
    assert "Artists" in page.locator("h1").first.inner_text()
    assert _query(page) == {"library": "demo"}


def test_reset_to_demo_switches_at_once(tmp_path, demo_db_template, page):
    db = tmp_path / "library.duckdb"
    shutil.copy(demo_db_template, db)
    Store(db).replace_library("local", generate_library(300, seed=11), name="Imported files",
                              kind="local")
    with start_streamlit(db) as url:
        page.goto(f"{url}/data")
        wait_for_app(page)
        assert _query(page)["library"] == "local" and "300 tracks" in _sidebar(page)
        page.get_by_role("button", name="Reset to demo library").click()
        _wait_for_param(page, "library", "demo")
        page.wait_for_function("() => { const t = document.querySelector(\"[data-testid="
                               "'stSidebar']\").innerText; return t.includes('Demo library') && "
                               "!t.includes('300 tracks'); }", timeout=30_000)
        page.locator("[data-testid='stSidebar'] a", has_text="Home").first.click()
        wait_for_app(page)
        assert _query(page)["library"] == "demo" and "Demo library" in _sidebar(page)


def test_replace_switches_at_once(tmp_path, demo_db_template, page):
    from tests import importers_samples as S
    db = tmp_path / "library.duckdb"
    shutil.copy(demo_db_template, db)
    csv = tmp_path / "Liked Songs.csv"
    csv.write_text(S.exportify_current())
    with start_streamlit(db) as url:
        page.goto(f"{url}/data?library=demo")
        wait_for_app(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(csv))
        page.get_by_role("button", name="Replace library").click(timeout=60_000)
        _wait_for_param(page, "library", "local")
        # The run ends with the imported library's sidebar (elements of the previous run stay
        # on screen until the new run has replaced them).
        page.wait_for_function("() => { const t = document.querySelector(\"[data-testid="
                               "'stSidebar']\").innerText; return t.includes('3 tracks') && "
                               "!t.includes('Demo library'); }", timeout=30_000)
        assert _query(page)["library"] == "local"
