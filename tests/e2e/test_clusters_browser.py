"""Clusters page in Chromium: moving the k slider changes the cluster sections and the scatter."""

from __future__ import annotations

from lib.clusters.charts import PALETTE
from tests.e2e.conftest import wait_for_app

# The clusters listed under "What sets each cluster apart": one "#i Name · n tracks" line each.
SECTIONS = """() => [...document.querySelectorAll("[data-testid='stMainBlockContainer'] li")]
    .filter(li => /^#\\d+ .* of the clustered tracks$/.test(li.innerText.trim())).length"""
# The scatter is drawn on a canvas (lib.clusters.charts: SVG took 0.3–0.6 s per redraw of 5,000
# points), so its legend is not text in the page: count which cluster colours it painted. The
# centroid diamonds and legend symbols are opaque, so each cluster's exact colour is on screen.
COLOURS = """() => {
    const canvas = document.querySelector("[data-testid='stVegaLiteChart'] canvas");
    if (!canvas) return [];
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 255) seen.add("#" + [data[i], data[i + 1], data[i + 2]]
            .map(v => v.toString(16).padStart(2, "0")).join("").toUpperCase());
    }
    return PALETTE.filter(c => seen.has(c));
}""".replace("PALETTE", str(list(PALETTE)))


def _wait_for(page, script: str, expected: int, timeout: float = 60_000) -> None:
    page.wait_for_function(f"() => ({script})() === {expected}", timeout=timeout)


def _cluster_colours(page) -> list[str]:
    return page.evaluate(COLOURS)


def test_moving_the_k_slider_changes_sections_and_scatter(streamlit_server: str, page) -> None:
    page.goto(f"{streamlit_server}/clusters?k=3")
    wait_for_app(page, timeout=90_000)
    _wait_for(page, SECTIONS, 3)
    page.wait_for_function(f"() => ({COLOURS})().length === 3", timeout=30_000)
    assert _cluster_colours(page) == list(PALETTE[:3])

    thumb = page.locator("[data-testid='stSlider'] input[type='range']").first
    assert thumb.input_value() == "3"
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    _wait_for(page, SECTIONS, 5, timeout=90_000)
    page.wait_for_function(f"() => ({COLOURS})().length === 5", timeout=30_000)
    assert _cluster_colours(page) == list(PALETTE[:5])
    assert "k=5" in page.url
    assert page.locator("[data-testid='stException']").count() == 0
