"""Provenance: every feature and label value keeps its source; the pages show the shares."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import shown

from lib.enrichment import EnrichContext, enrich
from lib.enrichment.provenance import coverage_by_source, feature_sources, title
from lib.spotify.config import SpotifyConfig
from lib.store.db import LibraryData, Store
from lib.store.library import load_library
from tests.fakes.catalogue import musicbrainz_for, synthetic
from tests.fakes.deezer import FakeDeezer

LIB = "local"


def test_each_value_keeps_its_source(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LABELSCOPE_CONTACT", "labelscope-tests@example.org")
    data, plan = synthetic(200)
    albums = data.get("albums")
    albums.loc[:9, "label_raw"] = "Own Label"  # ten albums came with a label from the CSV
    store = Store(tmp_path / "p.duckdb")
    store.replace_library(LIB, data, name="Imported", kind="local")
    store.merge_library(LIB, LibraryData({"audio_features": pd.DataFrame(
        {"track_id": data.get("tracks")["track_id"][:50], "danceability": 0.5, "energy": 0.5,
         "tempo": 100.0, "source": "reccobeats"})}), name="Imported", kind="local")
    now = [0.0]
    with musicbrainz_for(plan) as mb, FakeDeezer(clock=lambda: now[0]) as dz:
        config = SpotifyConfig(None, musicbrainz_url=mb.base_url, deezer_url=dz.base_url)

        def sleep(s: float) -> None:
            now[0] += s
        enrich(EnrichContext(store, LIB, config, sleep=sleep, clock=lambda: now[0]),
               ["musicbrainz", "deezer"])
    cov = coverage_by_source(store, LIB).set_index(["kind", "source"])
    assert cov.loc[("audio features", "reccobeats"), "tracks"] == 50
    assert cov.loc[("audio features", "deezer"), "tracks"] == 150
    assert cov.loc[("labels", "exportify"), "tracks"] == 20  # 10 albums × 2 tracks
    assert cov.loc[("labels", "musicbrainz"), "tracks"] > 100
    for kind, group in coverage_by_source(store, LIB).groupby("kind"):
        assert group["share"].sum() == pytest.approx(1.0), kind
        assert group["tracks"].sum() == 200
    tracks = load_library(store, LIB).tracks
    shares = feature_sources(tracks).set_index("source")["share"]
    assert shares["reccobeats"] == pytest.approx(0.25) and shares["deezer"] == pytest.approx(0.75)
    assert title("reccobeats") == "ReccoBeats" and title(None) == "Not known"
    store.close()


def test_data_page_shows_the_chart_and_clusters_the_scope_sources(app):
    at = app("app_pages/data.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("Where the values come from" in m.value for m in at.markdown)
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert any(s.get("encoding", {}).get("y", {}).get("field") == "Kind" for s in specs)
    at = app("app_pages/clusters.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any(shown(c.value) == "Audio features of this scope from Demo data 97% · Not known 3%"
               for c in at.caption), [c.value for c in at.caption]
