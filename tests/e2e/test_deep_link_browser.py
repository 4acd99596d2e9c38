"""A shared link opened as the very first request of a fresh server shows the full app."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.conftest import start_streamlit, wait_for_app


@pytest.fixture
def fresh_server(tmp_path, demo_db_template):
    db = tmp_path / "library.duckdb"
    shutil.copy(demo_db_template, db)
    with start_streamlit(db) as url:
        yield url


def test_deep_link_as_first_request_runs_the_router(fresh_server, page, demo_db_template):
    page.goto(f"{fresh_server}/labels?label=Meridian%20Records")
    wait_for_app(page)
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "tracks" in sidebar                    # the router's sidebar ran
    assert "Clusters" in sidebar                  # with the app's navigation, not a file list
    assert "Meridian Records" in page.locator("h1").first.inner_text()
