"""AppTest: every page that shows a report offers "Download report (.md)" and "Download with
images (.zip)"."""

from __future__ import annotations

import pytest

LABELS = ["Download report (.md)", "Download with images (.zip)"]


def _buttons(at) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    return [b.label for b in at.download_button]


@pytest.mark.parametrize("page, param", [
    ("app_pages/labels.py", "label"), ("app_pages/artists.py", "artist"),
    ("app_pages/playlists.py", "playlist"), ("app_pages/genres.py", "genre"),
])
def test_entity_pages_offer_both_downloads(app, demo_library, page: str, param: str) -> None:
    name = {"label": demo_library.labels["label"].iloc[0],
            "artist": demo_library.artists["name"].iloc[0],
            "playlist": demo_library.playlists["name"].iloc[0],
            "genre": demo_library.genres["genre"].iloc[0]}[param]
    at = app(page, **{param: name})
    assert _buttons(at) == LABELS


def test_index_pages_have_no_report_buttons(app) -> None:
    assert _buttons(app("app_pages/labels.py")) == []


def test_clusters_page_offers_both_downloads(app, demo_library) -> None:
    label = demo_library.labels["label"].iloc[3]
    at = app("app_pages/clusters.py", scope="label", name=label, k="3")
    assert _buttons(at) == LABELS


def test_home_page_offers_the_library_overview(app) -> None:
    assert _buttons(app("app_pages/home.py")) == LABELS
