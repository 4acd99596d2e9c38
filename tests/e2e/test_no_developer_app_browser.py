"""The "no Spotify developer app" path in a real browser: upload a privacy export and an Exportify
CSV on the Data page, see the offers (nothing sent yet), click them, and browse the pages with the
features and labels the fake services gave."""

from __future__ import annotations

import shutil
import time

import pytest

from tests import importers_samples as S
from tests.e2e.conftest import start_streamlit, wait_for_app
from tests.fakes.deezer import FakeDeezer
from tests.fakes.musicbrainz import FakeMusicBrainz, mbid
from tests.fakes.reccobeats import FakeReccoBeats

ISRCS = {"USQX91701278": ("Flower Boy", "Tyler, The Creator"),
         "FR0NT1100001": ("Hurry Up, We're Dreaming", "M83")}


@pytest.fixture
def server(tmp_path, demo_db_template, monkeypatch):
    with FakeMusicBrainz() as mb, FakeReccoBeats() as rb, FakeDeezer() as dz:
        mb.add_label("Halcyon Music Group", "Holding")
        mb.add_label("Northlight", "Imprint", parent="Halcyon Music Group")
        for isrc, (album, artist) in ISRCS.items():
            mb.add_release(mbid("release", isrc), album, None, artist, artist, ["Northlight"],
                           [isrc])
        for var, fake in (("MUSICBRAINZ", mb), ("RECCOBEATS", rb), ("DEEZER", dz)):
            monkeypatch.setenv(f"LABELSCOPE_{var}_URL", fake.base_url)
        monkeypatch.setenv("LABELSCOPE_CONTACT", "labelscope-tests@example.org")
        monkeypatch.delenv("LABELSCOPE_SPOTIFY_CLIENT_ID", raising=False)
        db = tmp_path / "library.duckdb"
        shutil.copy(demo_db_template, db)
        with start_streamlit(db) as url:
            yield url, mb, rb, dz


def _gone(page, button: str, timeout: float = 60.0) -> None:
    """Wait until the run after a click finished and the offer button is no longer shown."""
    deadline = time.time() + timeout
    while page.get_by_role("button", name=button).count():
        assert time.time() < deadline, f"{button!r} still shown"
        page.wait_for_timeout(250)
    wait_for_app(page)


def test_import_offers_and_enrichment_in_the_browser(server, page, tmp_path) -> None:
    url, mb, rb, dz = server
    zip_path, csv_path = tmp_path / "my_spotify_data.zip", tmp_path / "Liked Songs.csv"
    zip_path.write_bytes(S.privacy_zip())
    csv_path.write_text(S.exportify_plain())
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        [str(zip_path), str(csv_path)])
    page.get_by_role("button", name="Replace library").click(timeout=60_000)
    offer = page.get_by_role("button", name="Fetch record labels for")
    offer.wait_for(timeout=60_000)
    features = page.get_by_role("button", name="Fetch audio features for")
    assert "from ReccoBeats — sends their Spotify track ids" in features.inner_text()
    assert "from MusicBrainz — sends their album barcodes (UPC) and ISRCs" in offer.inner_text()
    assert mb.requests == rb.requests == dz.requests == []  # nothing sent before a click

    features.click()
    _gone(page, "Fetch audio features for")
    assert rb.requests and mb.requests == []
    page.get_by_role("button", name="Fetch record labels for").click()
    _gone(page, "Fetch record labels for")
    assert mb.requests and dz.requests == []
    assert page.locator("[data-testid='stException']").count() == 0

    page.goto(f"{url}/labels?label=Northlight")
    wait_for_app(page)
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text("Northlight → imprint of Halcyon Music Group").wait_for(timeout=30_000)
    for path in ("", "artists", "genres", "playlists", "clusters"):
        page.goto(f"{url}/{path}")
        wait_for_app(page)
        assert page.locator("[data-testid='stException']").count() == 0, path
