"""Charts a user clicks: a bar of Home's Top labels opens that label's page, in the same tab and
library (the bars are drawn from cached specs, ui.charts; their selection must still arrive)."""

from tests.e2e.conftest import wait_for_app


def test_clicking_a_top_label_bar_opens_its_page(streamlit_server: str, page) -> None:
    page.goto(f"{streamlit_server}/")
    wait_for_app(page)
    top_labels = page.locator("[data-testid='stVegaLiteChart']").first
    bar = top_labels.locator("[aria-roledescription='bar']").first
    label = dict(part.split(": ", 1) for part in bar.get_attribute("aria-label").split("; "))["label"]
    bar.click()
    page.wait_for_url("**/labels?**", timeout=20_000)
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip().endswith(label)
    assert "library=demo" in page.url and len(page.context.pages) == 1
    assert page.locator("[data-testid='stException']").count() == 0
