"""The demo library generator: deterministic, big enough, realistic in names, labels and sound."""

from __future__ import annotations

import base64
import re

import numpy as np
import pandas as pd
import pytest

from lib.demo.generator import DEMO_LIBRARY_ID, art_data_uri, ensure_demo, generate_library
from lib.labels.standardize import standardize_label
from lib.store.library import load_library
from lib.store.db import Store


@pytest.fixture(scope="module")
def demo():
    return generate_library()


def test_same_output_every_run(demo):
    again = generate_library()
    assert demo.frames.keys() == again.frames.keys()
    for table, frame in demo.frames.items():
        pd.testing.assert_frame_equal(frame.reset_index(drop=True),
                                      again.frames[table].reset_index(drop=True), obj=table)


def test_another_seed_gives_another_library(demo):
    other = generate_library(seed=1)
    assert set(other.frames["tracks"]["track_id"]).isdisjoint(demo.frames["tracks"]["track_id"])


def test_counts_meet_the_minimums(demo):
    f = demo.frames
    assert len(f["tracks"]) >= 3000
    assert len(f["artists"]) >= 400
    assert len(f["albums"]) >= 600
    assert f["artist_genres"]["genre"].nunique() >= 40
    assert len(f["playlists"]) >= 15
    labels = {k for raw in f["albums"]["label_raw"] for k in standardize_label(raw)}
    assert len(labels) >= 60
    liked_share = len(f["liked"]) / len(f["tracks"])
    assert 0.5 <= liked_share <= 0.7
    assert 0.2 <= len(f["scores"]) / len(f["tracks"]) < 0.9  # scores for some
    missing = len(f["tracks"]) - len(f["audio_features"])
    assert 0 < missing < 0.1 * len(f["tracks"])  # a few tracks without features


def test_ids_look_like_spotify_ids_and_are_unique(demo):
    for table, column in [("tracks", "track_id"), ("albums", "album_id"),
                          ("artists", "artist_id"), ("playlists", "playlist_id")]:
        ids = demo.frames[table][column]
        assert ids.is_unique, table
        assert ids.str.fullmatch(r"[0-9A-Za-z]{22}").all(), table


def test_references_are_consistent(demo):
    f = demo.frames
    assert set(f["tracks"]["album_id"]) <= set(f["albums"]["album_id"])
    assert set(f["track_artists"]["artist_id"]) <= set(f["artists"]["artist_id"])
    assert set(f["track_artists"]["track_id"]) == set(f["tracks"]["track_id"])
    assert set(f["playlist_tracks"]["track_id"]) <= set(f["tracks"]["track_id"])
    primary = f["track_artists"][f["track_artists"]["position"] == 0]
    assert primary["track_id"].is_unique and len(primary) == len(f["tracks"])


def test_feature_values_are_in_spotify_ranges(demo):
    af = demo.frames["audio_features"]
    for col in ["danceability", "energy", "speechiness", "acousticness", "instrumentalness",
                "liveness", "valence"]:
        assert af[col].between(0, 1).all(), col
    assert af["tempo"].between(50, 220).all()
    assert af["loudness"].between(-60, 0).all()
    assert af["key"].between(-1, 11).all()
    assert set(af["mode"]) <= {0, 1}


def test_features_have_the_shape_of_a_real_library(demo):
    af = demo.frames["audio_features"]
    # Skewed towards 0, as on Spotify.
    assert af["instrumentalness"].median() < 0.05
    assert af["speechiness"].median() < 0.1
    # Energy drives loudness up and acousticness down.
    assert af["energy"].corr(af["loudness"]) > 0.6
    assert af["energy"].corr(af["acousticness"]) < -0.4
    # Acousticness is bimodal: many near 0 and a bump near 1.
    hist, _ = np.histogram(af["acousticness"], bins=10, range=(0, 1))
    assert hist[0] > hist[4] and hist[-1] > hist[5]


def test_genre_families_sound_different(demo):
    f = demo.frames
    fam = f["artists"].set_index("artist_id")["family"]
    primary = f["track_artists"][f["track_artists"]["position"] == 0].set_index("track_id")
    af = f["audio_features"].set_index("track_id")
    af["family"] = primary.loc[af.index, "artist_id"].map(fam).to_numpy()
    means = af.groupby("family")[["acousticness", "energy", "instrumentalness", "speechiness"]].mean()
    assert means.loc["classical", "acousticness"] > means.loc["metal", "acousticness"] + 0.6
    assert means.loc["metal", "energy"] > means.loc["classical", "energy"] + 0.6
    assert means.loc["hip hop", "speechiness"] > 2 * means.loc["folk", "speechiness"]


def test_names_use_several_scripts(demo):
    names = " ".join(demo.frames["artists"]["name"]) + " ".join(demo.frames["tracks"]["name"])
    assert re.search(r"[\uac00-\ud7a3]", names), "Korean"
    assert re.search(r"[\u3040-\u30ff]", names), "Japanese kana"
    assert re.search(r"[éèøåñüöç]", names), "accented Latin"


def test_label_strings_are_messy_like_spotifys(demo):
    raws = demo.frames["albums"]["label_raw"]
    assert raws.str.match(r"^(19|20)\d\d ").any()           # year prefix
    assert raws.str.contains("/").any()                      # co-labels
    assert raws.str.contains("distributed through").any()
    assert raws.str.endswith("*").any()
    assert raws.str.contains(" - ").any()                    # sub-labels
    assert raws.str.startswith("℗").any() or raws.str.startswith("(C)").any()


def test_album_art_is_an_svg_data_uri_with_initials():
    uri = art_data_uri("Paper Moons", "#123456")
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and ">PM<" in svg and "#123456" in svg
    assert "&lt;" in base64.b64decode(art_data_uri("<>", "#000").split(",")[1]).decode()


def test_scales_up_for_benchmarks():
    big = generate_library(12_000, seed=3)
    assert len(big.frames["tracks"]) == 12_000
    assert len(big.frames["artists"]) >= 1500


def test_ensure_demo_writes_once_and_loads(tmp_path):
    store = Store(tmp_path / "l.duckdb")
    assert ensure_demo(store) is True
    assert ensure_demo(store) is False
    library = load_library(store, DEMO_LIBRARY_ID)
    assert len(library.tracks) >= 3000 and len(library.labels) >= 60
    assert ensure_demo(store, force=True) is True
    assert store.version(DEMO_LIBRARY_ID) == 2


def test_reset_to_demo_forgets_label_edits(tmp_path):
    from lib.labels import load_label_edits, merge_labels
    store = Store(tmp_path / "l.duckdb")
    ensure_demo(store)
    library = load_library(store, DEMO_LIBRARY_ID)
    first, second = library.labels["label"].iloc[0], library.labels["label"].iloc[1]
    merge_labels(store, DEMO_LIBRARY_ID, library.label_index, second, first)
    assert len(load_library(store, DEMO_LIBRARY_ID).labels) == len(library.labels) - 1
    version = store.version(DEMO_LIBRARY_ID)
    ensure_demo(store, force=True)
    assert load_label_edits(store, DEMO_LIBRARY_ID) == []
    assert len(load_library(store, DEMO_LIBRARY_ID).labels) == len(library.labels)
    assert store.version(DEMO_LIBRARY_ID) > version
