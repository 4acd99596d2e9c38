"""Clusters page in Chromium: the k slider redraws the scatter and the open tab; the URL keeps the
tab; the report download holds every tab's content, the ones never opened included."""

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


def _press(page, key: str, times: int = 1) -> None:
    thumb = page.locator("[data-testid='stSlider'] input[type='range']").first
    thumb.focus()
    for _ in range(times):
        page.keyboard.press(key)


def test_the_k_slider_redraws_the_scatter_and_the_open_tab(streamlit_server: str, page) -> None:
    page.goto(f"{streamlit_server}/clusters?k=3")
    wait_for_app(page, timeout=90_000)
    page.wait_for_function(f"() => ({COLOURS})().length === 3", timeout=60_000)
    assert _cluster_colours(page) == list(PALETTE[:3])
    assert page.evaluate(SECTIONS) == 0  # the Profiles tab has not run

    _press(page, "ArrowRight", 2)
    page.wait_for_function(f"() => ({COLOURS})().length === 5", timeout=90_000)
    assert _cluster_colours(page) == list(PALETTE[:5])
    assert "k=5" in page.url

    page.get_by_role("tab", name="Profiles").click()
    _wait_for(page, SECTIONS, 5, timeout=90_000)
    page.wait_for_function("() => location.search.includes('show=Profiles')", timeout=10_000)
    _press(page, "ArrowLeft")  # the open tab stays open and follows k
    _wait_for(page, SECTIONS, 4, timeout=90_000)

    page.reload()  # the URL holds the view: k and the open tab
    wait_for_app(page, timeout=90_000)
    _wait_for(page, SECTIONS, 4, timeout=90_000)
    assert page.get_by_role("tab", name="Profiles").get_attribute("aria-selected") == "true"
    assert page.locator("[data-testid='stException']").count() == 0



def test_a_slider_move_redraws_the_k_controls_and_results_not_the_controls_above(
        streamlit_server: str, page) -> None:
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(
            payload if isinstance(payload, bytes) else payload.encode())))
    page.goto(f"{streamlit_server}/clusters")  # k chosen automatically
    wait_for_app(page, timeout=90_000)
    page.wait_for_function(f"() => ({COLOURS})().length > 1", timeout=90_000)
    assert "Scaling, algorithm and seed" in page.locator("[data-testid='stMain']").inner_text()
    auto_k = len(_cluster_colours(page))

    frames.clear()
    _press(page, "ArrowRight")
    page.wait_for_function(f"() => location.search.includes('k={auto_k + 1}')", timeout=60_000)
    page.wait_for_function(f"() => ({COLOURS})().length === {auto_k + 1}", timeout=90_000)
    sent = b"".join(frames)
    assert b"Tracks clustered" in sent and b"Number of clusters" in sent  # the inner fragment
    for above in (b"Feature set", b"tracks in scope", b"Scaling, algorithm and seed"):
        assert above not in sent, above
    # The k mode it drew follows the slider; the controls above are still on the page.
    assert page.get_by_role("radio", name="Choose k").get_attribute("aria-checked") == "true"
    assert page.get_by_text(f"into {auto_k + 1} clusters").count() == 1  # the headline, above
    assert page.get_by_text("Scaling, algorithm and seed").count() == 1

    page.get_by_role("combobox", name="Feature set").click()  # the outer fragment: both rerun
    page.get_by_role("option", name="Metadata only", exact=False).first.click()
    page.wait_for_function("() => location.search.includes('preset=metadata')", timeout=60_000)
    page.wait_for_function("() => [...document.querySelectorAll('p')].some("
                           "p => p.innerText.includes('on Release year'))", timeout=90_000)
    assert f"k={auto_k + 1}" in page.url
    assert page.locator("[data-testid='stException']").count() == 0

def test_the_report_download_holds_what_no_tab_showed(streamlit_server: str, page) -> None:
    page.goto(f"{streamlit_server}/clusters?k=3")
    wait_for_app(page, timeout=90_000)
    page.wait_for_function(f"() => ({COLOURS})().length === 3", timeout=60_000)
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Download report (.md)").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("# Clusters in ")
    assert [line for line in text.splitlines() if line.startswith("## Cluster #")] == \
        ["## Cluster #1", "## Cluster #2", "## Cluster #3"]
    assert "How stable are these clusters?" in text  # measured on download: Trust never opened


# The lowest pixel of a colour on the scatter's canvas, in page coordinates: below the plot,
# that is the colour's legend symbol.
LEGEND_SYMBOL = """(colour) => {
    const canvas = document.querySelector("[data-testid='stVegaLiteChart'] canvas");
    const ctx = canvas.getContext("2d"), data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    // Legend symbols take the dots' opacity (0.75) over the white plot background.
    const [r, g, b] = [1, 3, 5].map(i => 0.75 * parseInt(colour.slice(i, i + 2), 16) + 64);
    for (let y = canvas.height - 1; y >= 0; y--) for (let x = 0; x < canvas.width; x++) {
        const i = (y * canvas.width + x) * 4;
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 6) {
            const box = canvas.getBoundingClientRect();
            return [box.left + x * box.width / canvas.width, box.top + y * box.height / canvas.height];
        }
    }
    return null;
}"""
SELECTED = "[data-testid='stMain'] h3:has-text('Selected:')"
CANVAS = "[data-testid='stVegaLiteChart'] canvas"


def _scroll_canvas(page, block: str) -> None:
    page.locator(CANVAS).evaluate(f"c => c.scrollIntoView({{block: '{block}'}})")


def test_a_legend_pick_lists_its_cluster_and_ends_with_another_k(streamlit_server: str,
                                                                 page) -> None:
    page.goto(f"{streamlit_server}/clusters?k=3")
    wait_for_app(page, timeout=90_000)
    page.wait_for_function(f"() => ({COLOURS})().length === 3", timeout=60_000)
    _scroll_canvas(page, "end")  # the legend is under the plot
    x, y = page.evaluate(LEGEND_SYMBOL, PALETTE[1])
    page.mouse.click(x, y)
    page.wait_for_selector(SELECTED, timeout=60_000)
    assert "Cluster #2" in page.locator("[data-testid='stMain']").inner_text()

    _press(page, "ArrowRight")  # k = 4: the pick named a cluster of k = 3; the chart starts afresh
    page.wait_for_function("() => location.search.includes('k=4')", timeout=60_000)
    page.wait_for_function(f"() => ({COLOURS})().length === 4", timeout=60_000)
    page.wait_for_selector(SELECTED, state="detached", timeout=60_000)

    _scroll_canvas(page, "start")
    box = page.locator(CANVAS).bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + 120)  # drag a rectangle (under the header bar)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + 420, steps=8)
    page.mouse.up()
    page.wait_for_selector(SELECTED, timeout=60_000)
    assert "All clusters inside the dragged rectangle" in \
        page.locator("[data-testid='stMain']").inner_text()
    _press(page, "ArrowRight")  # k = 5: the rectangle is on the same axes, so it stays
    page.wait_for_function("() => location.search.includes('k=5')", timeout=60_000)
    page.wait_for_function(f"() => ({COLOURS})().length === 5", timeout=60_000)
    page.wait_for_selector(SELECTED, timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
