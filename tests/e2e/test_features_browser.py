"""Browser tests of issue 15: sounds-like links, the Compare page, cluster stability and saved
cluster maps, as a user clicks through them."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app

SLOW = 30_000  # ms: the machine is shared; sections may render after the title


def _shows(page, url: str, *texts: str) -> None:
    """Open ``url`` and wait until every text is visible."""
    page.goto(url)
    wait_for_app(page)
    for text in texts:
        expect(page.get_by_text(text).first).to_be_visible(timeout=SLOW)


def test_sounds_like_on_label_pages_and_home(streamlit_server, page) -> None:
    _shows(page, f"{streamlit_server}/labels?label={quote('Meridian Records')}",
           "Labels that sound like Meridian Records")
    _shows(page, streamlit_server, "Labels you may be overlooking", "Labels you love most")


def test_compare_with_from_a_label_page(streamlit_server, page) -> None:
    page.goto(f"{streamlit_server}/labels?label={quote('Meridian Records')}")
    wait_for_app(page)
    page.get_by_role("button", name="Compare with…").click()
    link = page.get_by_role("link", name="Compare with").first
    link.wait_for(timeout=10_000)
    link.click()
    page.wait_for_url("**/compare?**", timeout=20_000)
    wait_for_app(page)
    assert "a=label%3AMeridian+Records" in page.url or "a=label:Meridian" in page.url.replace(
        "%3A", ":").replace("+", " ").replace("%20", " ")
    expect(page.get_by_text("Clustered together")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("Meridian Records (label) vs").first).to_be_visible(timeout=SLOW)


def test_cluster_stability_panel(streamlit_server, page) -> None:
    _shows(page, f"{streamlit_server}/clusters?k=3&show=Trust", "Can you trust these clusters?",
           "Re-fitted 10 times")


def test_keep_a_clustering_and_reopen_it_by_link(streamlit_server, page) -> None:
    page.goto(f"{streamlit_server}/clusters?k=3")
    wait_for_app(page)
    page.get_by_role("button", name="Keep this clustering").click()
    name = page.get_by_label("Name")
    name.wait_for(timeout=10_000)
    name.fill("Browser map")
    name.press("Enter")
    page.get_by_role("button", name="Keep", exact=True).click()
    expect(page.get_by_text("Kept as 'Browser map'")).to_be_visible(timeout=SLOW)
    # A new tab (a later visit) opens the map from its link.
    other = page.context.new_page()
    other.goto(f"{streamlit_server}/clusters?map={quote('Browser map')}")
    wait_for_app(other)
    assert "Cluster map: Browser map" in other.locator("h1").first.inner_text()
    expect(other.get_by_text("Cluster #3: ").first).to_be_visible(timeout=SLOW)
    expect(other.get_by_text("Left since kept")).to_be_visible(timeout=SLOW)
    other.close()
