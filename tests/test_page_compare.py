"""AppTest: the Compare page (deep links, pickers, sections, errors) and "Compare with…" on
entity pages, on the demo library and on an Exportify import."""

from __future__ import annotations

import pytest

from lib.importers import import_files
from lib.importers.write import write_import
from tests import importers_samples as samples
from tests.conftest import shown

PAGE = "app_pages/compare.py"


def _heads(at) -> list[str]:
    """Headings as shown (Markdown escapes of data removed)."""
    return [h.value.replace("\\", "") for h in [*at.subheader, *at.header]]


def test_deep_link_shows_both_sides(app, demo_library) -> None:
    a, b = demo_library.labels["label"].iloc[:2]
    at = app(PAGE, library="demo", a=f"label:{a}", b=f"label:{b}")
    assert not at.exception, [e.value for e in at.exception]
    heads = _heads(at)
    assert f"{a} (label) vs {b} (label)" in heads
    for section in ("How they sound", "Shared artists", "Shared albums", "Clustered together"):
        assert section in heads
    summary = [d.value for d in at.dataframe if "" in d.value.columns][0]
    assert summary[""].tolist()[:3] == ["Tracks", "Liked", "Released"]
    assert summary.iloc[0, 1] == f"{int(demo_library.labels['tracks'].iloc[0]):,}"
    assert any(" is " in m.value and " than " in m.value for m in at.markdown)
    assert "One k-means of the" in " ".join(c.value for c in at.caption).replace("\\", "")
    assert at.query_params["library"] == ["demo"] or at.query_params["library"] == "demo"


def test_pickers_and_k_write_the_url(app, demo_library) -> None:
    at = app(PAGE, a="library", b="liked")
    assert not at.exception
    assert "the whole library vs Liked Songs" in _heads(at)
    at.slider(key="cmp_k").set_value(3).run()
    assert not at.exception
    assert at.query_params["k"] in ("3", ["3"])
    at.selectbox(key="cmp_b_kind").set_value("artist").run()
    assert not at.exception
    b = at.query_params["b"]
    assert (b[0] if isinstance(b, list) else b).startswith("artist:")
    at.button(key="cmp_swap").click().run()
    a = at.query_params["a"]
    assert (a[0] if isinstance(a, list) else a).startswith("artist:")


def test_bad_sides_get_messages(app) -> None:
    at = app(PAGE, a="label:No Such Label", b="liked")
    assert not at.exception
    assert "No label called 'No Such Label'" in shown(" ".join(w.value for w in at.warning))
    at = app(PAGE, a="nonsense:x", b="liked", k="99")
    assert not at.exception
    text = shown(" ".join(w.value for w in at.warning))
    assert "Unknown scope" in text and "k must be a whole number from 2 to 8" in text


def test_entity_pages_offer_compare_with(app, demo_library) -> None:
    name = demo_library.labels["label"].iloc[0]
    at = app("app_pages/labels.py", label=name)
    assert not at.exception
    assert at.selectbox(key="cmp_label_kind").value == "label"
    links = [p for p in at.get("page_link") if "Compare with" in p.proto.label]
    assert links and "compare" in links[0].proto.page
    at = app("app_pages/genres.py", genre=demo_library.genres["genre"].iloc[0])
    assert not at.exception and at.selectbox(key="cmp_genre_kind").value == "genre"


@pytest.fixture
def exportify_library(store):
    write_import(store, "local", import_files([("Liked Songs.csv", samples.exportify_current())]),
                 "replace")


def test_exportify_library_compares(app, exportify_library) -> None:
    at = app(PAGE, library="local", a="artist:M83", b="liked")
    assert not at.exception, [e.value for e in at.exception]
    assert "M83 (artist) vs Liked Songs" in _heads(at)
    assert "clustering them together needs at least 10" in " ".join(c.value for c in at.caption)
