"""The "no Spotify developer app" path, end to end in the app: privacy export + Exportify CSV
import → the coverage offers → enrichment from the fake services → every page renders."""

from __future__ import annotations

import pytest

from lib.enrichment import consent
from lib.store.db import LOCAL_LIBRARY_ID
from lib.store.library import load_library
from tests import importers_samples as S
from tests.fakes.deezer import FakeDeezer
from tests.fakes.musicbrainz import FakeMusicBrainz, mbid
from tests.fakes.reccobeats import FakeReccoBeats

PAGES = ["app_pages/home.py", "app_pages/labels.py", "app_pages/artists.py",
         "app_pages/genres.py", "app_pages/playlists.py", "app_pages/clusters.py",
         "app_pages/data.py"]


@pytest.fixture
def services(monkeypatch):
    with FakeMusicBrainz() as mb, FakeReccoBeats() as rb, FakeDeezer() as dz:
        mb.add_label("Halcyon Music Group", "Holding")
        mb.add_label("Northlight", "Imprint", parent="Halcyon Music Group")
        for var, fake in (("MUSICBRAINZ", mb), ("RECCOBEATS", rb), ("DEEZER", dz)):
            monkeypatch.setenv(f"LABELSCOPE_{var}_URL", fake.base_url)
        monkeypatch.setenv("LABELSCOPE_CONTACT", "labelscope-tests@example.org")
        monkeypatch.delenv("LABELSCOPE_SPOTIFY_CLIENT_ID", raising=False)
        yield mb, rb, dz


def _no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_privacy_export_and_exportify_reach_full_coverage_without_a_developer_app(
        app, store, services):
    mb, rb, dz = services
    at = app("app_pages/data.py")
    at.file_uploader[0].set_value([
        ("my_spotify_data.zip", S.privacy_zip(), "application/zip"),
        ("Liked Songs.csv", S.exportify_plain().encode(), "text/csv")])
    at.run()
    at.button(key="import_replace").click().run()
    _no_exception(at)
    tracks = load_library(store, LOCAL_LIBRARY_ID).tracks
    assert len(tracks) and not tracks["has_features"].any() and tracks["label_raw"].isna().all()
    # MusicBrainz knows the imported tracks' recordings (by ISRC), on one fictional label.
    with_isrc = tracks.dropna(subset=["isrc"])
    for row in with_isrc.itertuples():
        mb.add_release(mbid("release", row.album_id), str(row.album_name), None, "artist",
                       str(row.primary_artist), ["Northlight"], [row.isrc])
    assert mb.requests == rb.requests == dz.requests == []  # nothing sent before a click
    offers = {b.key for b in at.button if b.key and b.key.startswith("_offer_")
              and not b.key.startswith("_offer_no_")}
    assert offers == {"_offer_reccobeats", "_offer_musicbrainz", "_offer_deezer"}
    for key in ("_offer_reccobeats", "_offer_musicbrainz"):
        at.button(key=key).click().run()
        _no_exception(at)
    assert rb.requests and mb.requests and dz.requests == []
    # Coverage is now above 90 %: no more offers (ReccoBeats gave every tempo, so no Deezer).
    assert not [b for b in at.button if b.key and b.key.startswith("_offer_")]
    assert consent.answers(store, LOCAL_LIBRARY_ID) == {"reccobeats": "yes", "musicbrainz": "yes"}

    tracks = load_library(store, LOCAL_LIBRARY_ID).tracks
    spotify_ids = tracks["track_id"].str.fullmatch(r"[0-9A-Za-z]{22}")
    assert tracks.loc[spotify_ids, "has_features"].all()
    assert tracks.loc[tracks["isrc"].notna(), "label_raw"].eq("Northlight").all()
    metrics = {m.label: m.value for m in at.metric}
    features = f"{spotify_ids.mean():.0%}"
    labels = f"{tracks['isrc'].notna().mean():.0%}"
    assert metrics["With audio features"] == features and metrics["With labels"] == labels
    print(f"coverage reached: audio features {features}, labels {labels}")

    for page in PAGES:
        at = app(page)
        _no_exception(at)
    at = app("app_pages/labels.py", label="Northlight")
    _no_exception(at)
    assert any("Northlight → imprint of Halcyon Music Group" in m.value for m in at.markdown)
