"""Hosted mode in Chromium: two browser sessions on one server; B never sees A's import."""

from __future__ import annotations

import shutil

from tests import importers_samples as S
from tests.e2e.conftest import start_streamlit, wait_for_app


def _sidebar(page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()


def test_b_never_sees_as_import(tmp_path, demo_db_template, browser):
    db = tmp_path / "library.duckdb"
    shutil.copy(demo_db_template, db)
    csv = tmp_path / "Liked Songs.csv"
    csv.write_text(S.exportify_current())
    with start_streamlit(db, env={"LABELSCOPE_HOSTED": "1"}) as url:
        a = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        a.goto(f"{url}/data")
        wait_for_app(a)
        a.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(csv))
        a.get_by_role("button", name="Replace library").click(timeout=60_000)
        a.wait_for_function("() => { const t = document.querySelector(\"[data-testid="
                            "'stSidebar']\").innerText; return t.includes('3 tracks') && "
                            "!t.includes('Demo library'); }", timeout=30_000)
        a_url = a.evaluate("location.href")
        assert "library=session%3A" in a_url or "library=session:" in a_url

        b = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        b.goto(f"{url}/data")
        wait_for_app(b)
        assert "Demo library" in _sidebar(b) and "3 tracks" not in _sidebar(b)
        assert b.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").count() == 0
        b.goto(a_url)  # A's link, pasted into B's session
        wait_for_app(b)
        assert "Library not available" in b.locator("h1").first.inner_text()
        assert "another visitor" in b.locator("[data-testid='stMain']").inner_text()
        assert "3 tracks" not in b.locator("body").inner_text()  # none of A's data
        a.context.close()
        b.context.close()
