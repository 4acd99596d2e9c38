"""Clusters page in Chromium: moving the k slider changes the cluster sections and the legend."""

from __future__ import annotations

from tests.e2e.conftest import wait_for_app

SECTIONS = """() => [...document.querySelectorAll("[data-testid='stMainBlockContainer'] h3")]
    .filter(h => h.innerText.trim().startsWith("Cluster #")).length"""
LEGEND = """() => {
    const chart = document.querySelector("[data-testid='stVegaLiteChart']");
    if (!chart) return [];
    return [...chart.querySelectorAll(".role-legend-label text")].map(t => t.textContent);
}"""


def _wait_for(page, script: str, expected: int, timeout: float = 60_000) -> None:
    page.wait_for_function(f"() => ({script})() === {expected}", timeout=timeout)


def _legend_entries(page) -> list[str]:
    return page.evaluate(LEGEND)


def test_moving_the_k_slider_changes_sections_and_legend(streamlit_server: str, page) -> None:
    page.goto(f"{streamlit_server}/clusters?k=3")
    wait_for_app(page, timeout=90_000)
    _wait_for(page, SECTIONS, 3)
    page.wait_for_function(f"() => ({LEGEND})().length === 3", timeout=30_000)
    before = _legend_entries(page)
    assert [e.split(" ")[0] for e in before] == ["#1", "#2", "#3"]

    thumb = page.locator("[data-testid='stSlider'] input[type='range']").first
    assert thumb.input_value() == "3"
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    _wait_for(page, SECTIONS, 5, timeout=90_000)
    page.wait_for_function(f"() => ({LEGEND})().length === 5", timeout=30_000)
    after = _legend_entries(page)
    assert [e.split(" ")[0] for e in after] == ["#1", "#2", "#3", "#4", "#5"]
    assert after != before
    assert "k=5" in page.url
    assert page.locator("[data-testid='stException']").count() == 0
