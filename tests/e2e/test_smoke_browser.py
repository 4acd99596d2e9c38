"""Open every page of the running dashboard in headless Chromium: each renders, no exception box."""

import pytest

from tests.e2e.conftest import wait_for_app

PAGES = ["", "labels", "artists", "playlists", "genres", "clusters", "data"]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_in_browser(streamlit_server: str, page, path: str) -> None:
    page.goto(f"{streamlit_server}/{path}")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("h1").first.inner_text().strip()
    # The shared sidebar shows the library size.
    assert "tracks" in page.locator("[data-testid='stSidebar']").inner_text()
