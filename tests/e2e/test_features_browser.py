"""Browser tests of issue 15: sounds-like links, the Compare page, cluster stability and saved
cluster maps, as a user clicks through them."""

from __future__ import annotations

from urllib.parse import quote

from tests.e2e.conftest import wait_for_app


def test_sounds_like_table_links_to_the_closest_label(streamlit_server, page) -> None:
    page.goto(f"{streamlit_server}/labels?label={quote('Meridian Records')}")
    wait_for_app(page)
    heading = page.get_by_text("Labels that sound like Meridian Records")
    heading.scroll_into_view_if_needed()
    assert heading.is_visible()
    page.goto(streamlit_server)
    wait_for_app(page)
    assert page.get_by_text("Labels you may be overlooking").is_visible()
