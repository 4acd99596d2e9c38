"""Home, Clusters (k = 10) and its Profiles tab at 400 px and 1400 px, in the light and the dark theme: each page
renders without errors, follows the browser's colour scheme (the theme is not pinned) and does
not make the window scroll sideways. With ``LABELSCOPE_SCREENSHOTS=1`` the screenshots are saved in
docs/screenshots/ (linked from the README) to be committed, so a change in layout shows up in
review; otherwise in the test's temporary folder, so a test run leaves the checkout clean."""

from __future__ import annotations

from pathlib import Path

import os

import pytest

from tests.e2e.conftest import ROOT, wait_for_app

SHOTS = ROOT / "docs" / "screenshots"
PAGES = {"home": "/?library=demo", "clusters": "/clusters?library=demo&k=10",
         "profiles": "/clusters?library=demo&k=10&show=Profiles"}


def _background_is_dark(page) -> bool:
    rgb = page.evaluate("getComputedStyle(document.querySelector(\"[data-testid='stApp']\"))"
                        ".backgroundColor")
    r, g, b = (int(x) for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
    return (r + g + b) / 3 < 100


_CHARTS_WIDER_THAN_BOX = """
[...document.querySelectorAll("[data-testid='stVegaLiteChart']")].map((chart, i) => {
  const g = chart.querySelector("canvas, svg.marks");
  if (!g) return null;
  // The box: the chart's column, else the page's content column (not the chart's own element,
  // which grows with a fixed-width chart).
  const box = chart.closest("[data-testid='stColumn']")
    || document.querySelector("[data-testid='stMainBlockContainer']");
  const b = box.getBoundingClientRect(), r = g.getBoundingClientRect();
  return r.right > b.right + 1 || r.left < b.left - 1
    ? `chart ${i}: ${Math.round(r.width)}px in ${Math.round(b.width)}px` : null;
}).filter(Boolean)
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [400, 1400])
@pytest.mark.parametrize("name", list(PAGES))
def test_screenshots(streamlit_server, browser, tmp_path: Path, name: str, width: int,
                     scheme: str) -> None:
    # A tall window: Streamlit scrolls inside its own container, so a "full page" screenshot
    # is the window.
    context = browser.new_context(viewport={"width": width, "height": 2200},
                                  color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(streamlit_server + PAGES[name])
        wait_for_app(page, timeout=120_000)
        if name == "profiles":
            page.wait_for_selector("text=What sets each cluster apart", timeout=120_000)
        if name != "home":
            page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, "
                                   "[data-testid='stVegaLiteChart'] svg", timeout=120_000)
        page.wait_for_timeout(2000)  # charts and images finish drawing
        main = page.locator("[data-testid='stMain']").inner_text()
        assert "Traceback" not in main and "Error" not in main
        assert _background_is_dark(page) == (scheme == "dark")
        overflow = page.evaluate("document.scrollingElement.scrollWidth")
        assert overflow <= width + 1, f"{name} scrolls sideways at {width}px ({overflow}px)"
        # Every chart (heatmap, scatter, feature grid) fits its own box: the drawn graphic is no
        # wider than the element Streamlit gives it, so nothing is cut off inside the page.
        too_wide = page.evaluate(_CHARTS_WIDER_THAN_BOX)
        assert not too_wide, f"{name} at {width}px: charts wider than their box: {too_wide}"
        shots = SHOTS if os.environ.get("LABELSCOPE_SCREENSHOTS") == "1" else tmp_path
        shots.mkdir(parents=True, exist_ok=True)
        path: Path = shots / f"{name}-{width}-{scheme}.jpg"
        page.screenshot(path=str(path), type="jpeg", quality=60)
        assert path.stat().st_size > 10_000
    finally:
        context.close()
