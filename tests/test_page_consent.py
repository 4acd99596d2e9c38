"""Ask once: coverage offers on the Data page, nothing sent before the click, answers stored."""

from __future__ import annotations

import pytest

from lib.enrichment import consent
from lib.store.db import LOCAL_LIBRARY_ID
from lib.store.library import load_library
from tests.fakes.catalogue import musicbrainz_for, synthetic
from tests.fakes.deezer import FakeDeezer
from tests.fakes.reccobeats import FakeReccoBeats

PAGE = "app_pages/data.py"


@pytest.fixture
def services(monkeypatch, store):
    data, plan = synthetic(200)
    store.replace_library(LOCAL_LIBRARY_ID, data, name="Imported files", kind="local")
    with musicbrainz_for(plan) as mb, FakeReccoBeats() as rb, FakeDeezer() as dz:
        monkeypatch.setenv("LABELSCOPE_MUSICBRAINZ_URL", mb.base_url)
        monkeypatch.setenv("LABELSCOPE_DEEZER_URL", dz.base_url)
        monkeypatch.setenv("LABELSCOPE_RECCOBEATS_URL", rb.base_url)
        monkeypatch.setenv("LABELSCOPE_CONTACT", "labelscope-tests@example.org")
        yield mb, rb, dz, plan


def _buttons(at) -> dict[str, str]:
    return {b.key: b.label for b in at.button if b.key and b.key.startswith("_offer")}


def test_offers_say_what_is_sent_and_send_nothing_before_the_click(app, store, services):
    mb, rb, dz, plan = services
    at = app(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    buttons = _buttons(at)
    assert buttons["_offer_reccobeats"] == (
        "Fetch audio features for 200 tracks from ReccoBeats — sends their Spotify track ids")
    assert buttons["_offer_musicbrainz"] == (
        "Fetch record labels for 200 tracks from MusicBrainz — sends their album barcodes "
        "(UPC) and ISRCs")
    assert buttons["_offer_deezer"] == (
        "Fetch tempo and loudness for 200 tracks from Deezer — sends their ISRCs")
    text = "\n".join(m.value for m in at.markdown)
    assert "Only 0% of the tracks have audio features" in text
    assert mb.requests == rb.requests == dz.requests == []  # nothing sent before the click
    at.run()
    assert mb.requests == rb.requests == dz.requests == []

    at.button(key="_offer_musicbrainz").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert mb.requests and rb.requests == dz.requests == []  # only the service clicked for
    assert consent.answers(store, LOCAL_LIBRARY_ID) == {"musicbrainz": "yes"}
    labelled = load_library(store, LOCAL_LIBRARY_ID).tracks["label_raw"].notna().mean()
    assert labelled == pytest.approx(sum(p["fate"] != "missing" for p in plan.values())
                                     / len(plan))
    assert set(_buttons(at)) == {"_offer_reccobeats", "_offer_no_reccobeats", "_offer_deezer",
                                 "_offer_no_deezer"}  # asked once

    at.button(key="_offer_no_reccobeats").click().run()
    at.button(key="_offer_no_deezer").click().run()
    assert consent.answers(store, LOCAL_LIBRARY_ID) == {
        "musicbrainz": "yes", "reccobeats": "no", "deezer": "no"}
    assert _buttons(at) == {} and rb.requests == dz.requests == []


def test_an_allowed_provider_runs_after_the_next_import_without_asking(app, store, services):
    mb, rb, dz, plan = services
    consent.record(store, LOCAL_LIBRARY_ID, "reccobeats", consent.YES)
    consent.record(store, LOCAL_LIBRARY_ID, "musicbrainz", consent.NO)
    consent.record(store, LOCAL_LIBRARY_ID, "deezer", consent.NO)
    at = app(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert rb.requests and mb.requests == dz.requests == []
    assert load_library(store, LOCAL_LIBRARY_ID).tracks["has_features"].all()
    assert _buttons(at) == {}
    sent = len(rb.requests)
    at.run()
    assert len(rb.requests) == sent  # once per library version, not on every rerun


def test_answers_are_changed_on_the_data_page(app, store, services):
    at = app(PAGE)
    control = next(s for s in at.get("button_group") if s.key == "_consent_local_musicbrainz_ask")
    control.set_value("no").run()
    assert consent.answers(store, LOCAL_LIBRARY_ID) == {"musicbrainz": "no"}
    assert "_offer_musicbrainz" not in _buttons(at)


def test_the_demo_gets_no_offers(store):
    from lib.demo.generator import DEMO_LIBRARY_ID, ensure_demo
    ensure_demo(store)
    assert consent.offers(store, DEMO_LIBRARY_ID) == []


def test_record_validates_and_forgets(store):
    with pytest.raises(ValueError):
        consent.record(store, "x", "musicbrainz", "maybe")
    consent.record(store, "x", "musicbrainz", consent.YES)
    consent.record(store, "x", "musicbrainz", consent.NO)
    assert consent.answers(store, "x") == {"musicbrainz": "no"}
    consent.forget(store, "x")
    assert consent.answers(store, "x") == {}
