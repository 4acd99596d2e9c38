"""Sound similarity of labels and artists (lib.analysis.similarity)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lib.analysis import similarity as S
from lib.analysis.entities import PROFILE_FEATURES


def _library(groups: dict[str, dict[str, np.ndarray]], *, liked: dict[str, float] | None = None,
             score: dict[str, float] | None = None) -> SimpleNamespace:
    """A library-like object: ``groups`` maps a label to feature arrays (one track per value);
    features not given are spread evenly over 0.4–0.6 in every label (the same distribution)."""
    rows = []
    for label, feats in groups.items():
        n = len(next(iter(feats.values())))
        for i in range(n):
            row = {f: 0.4 + 0.2 * i / max(n - 1, 1) for f in PROFILE_FEATURES}
            row.update({f: float(v[i]) for f, v in feats.items()})
            share = (liked or {}).get(label, 0.0)
            row.update(track_id=f"{label}-{i}", labels=[label], artist_ids=[f"a-{label}"],
                       has_features=True, liked=i < round(share * n),
                       score=float((score or {}).get(label, 0.0)))
            rows.append(row)
    tracks = pd.DataFrame(rows)
    artists = pd.DataFrame({"artist_id": [f"a-{g}" for g in groups],
                            "name": [f"Artist of {g}" for g in groups]})
    return SimpleNamespace(tracks=tracks, artists=artists)


def test_distributions_not_only_means_decide() -> None:
    rng = np.random.default_rng(1)
    bimodal = np.r_[rng.normal(0.1, 0.02, 30), rng.normal(0.9, 0.02, 30)]
    library = _library({
        "Split": {"energy": bimodal},
        "Middle": {"energy": rng.normal(0.5, 0.02, 60)},       # the same mean, another sound
        "Split Too": {"energy": bimodal[::-1] + 0.01},
    })
    index = S.sound_index(library, "label")
    closest = S.sounds_like(index, "Split").closest
    assert list(closest["name"]) == ["Split Too", "Middle"]
    assert closest["similarity"].iloc[0] > closest["similarity"].iloc[1]
    assert closest["words"].iloc[0] == "nearly identical sound"
    assert "energy" not in closest["alike"].iloc[1]          # energy sets Middle apart
    assert abs(library.tracks.loc[library.tracks["labels"].str[0] == "Middle", "energy"].mean()
               - bimodal.mean()) < 0.02


def test_apart_names_the_feature_and_direction() -> None:
    rng = np.random.default_rng(2)
    tempo = rng.uniform(90, 100, 20)
    library = _library({
        "Calm": {"energy": rng.uniform(0.1, 0.3, 20), "tempo": tempo},
        "Loud": {"energy": rng.uniform(0.7, 0.9, 20), "tempo": tempo[::-1]},
    })
    index = S.sound_index(library, "label")
    row = S.sounds_like(index, "Calm").closest.iloc[0]
    assert row["name"] == "Loud" and row["apart"].startswith("more energetic")
    assert row["alike"] and "tempo" not in row["apart"] and "," not in row["apart"]
    back = S.sounds_like(index, "Calm").closest
    assert S.sounds_like(index, "Loud").closest.iloc[0]["apart"].startswith("more mellow")
    assert back["page_url"].iloc[0] == "/labels?label=Loud"


def test_too_few_tracks_get_a_sentence() -> None:
    library = _library({"Big": {"energy": np.linspace(0, 1, 10)},
                        "Other": {"energy": np.linspace(0, 1, 10)},
                        "Tiny": {"energy": np.array([0.2, 0.3])}})
    index = S.sound_index(library, "label")
    answer = S.sounds_like(index, "Tiny")
    assert answer.closest.empty
    assert answer.message == ("Tiny has only 2 tracks with audio features; comparing sounds needs "
                              "at least 5.")
    assert "Tiny" not in set(S.sounds_like(index, "Big").closest["name"])
    assert "has no tracks" in S.sounds_like(index, "Unknown").message
    alone = S.sound_index(_library({"Only": {"energy": np.linspace(0, 1, 10)}}), "label")
    assert "No other label" in S.sounds_like(alone, "Only").message


def test_artists_are_indexed_by_name() -> None:
    library = _library({"A": {"energy": np.linspace(0, 1, 6)},
                        "B": {"energy": np.linspace(0, 1, 6)}})
    index = S.sound_index(library, "artist")
    assert index.names == ("Artist of A", "Artist of B")
    answer = S.sounds_like(index, "Artist of A")
    assert answer.closest["name"].tolist() == ["Artist of B"]
    assert answer.closest["page_url"].iloc[0] == "/artists?artist=Artist%20of%20B"
    with pytest.raises(ValueError):
        S.sound_index(library, "genre")


def test_similarity_words_are_ordered() -> None:
    words = [S.similarity_words(x) for x in (0.95, 0.85, 0.75, 0.6, 0.1, 0.0)]
    assert words == ["nearly identical sound", "very similar", "similar", "somewhat similar",
                     "only loosely alike", "only loosely alike"]


def test_loved_and_overlooked_labels() -> None:
    rng = np.random.default_rng(3)
    low = lambda: rng.uniform(0.1, 0.2, 10)  # noqa: E731
    high = lambda: rng.uniform(0.8, 0.9, 10)  # noqa: E731
    library = _library(
        {"Fave": {"energy": low()}, "Twin": {"energy": low()}, "Far": {"energy": high()},
         "Played": {"energy": low()}, "Tiny": {"energy": low()[:3]}},
        liked={"Fave": 0.9, "Twin": 0.0, "Far": 0.0, "Played": 0.5, "Tiny": 1.0},
        score={"Fave": 50.0, "Played": 30.0})
    stats = S.label_stats(library)
    assert np.isnan(stats.set_index("label").at["Tiny", "love"])   # too few tracks to count
    loved = S.loved_labels(stats, n=1)
    assert loved["label"].tolist() == ["Fave"]
    index = S.sound_index(library, "label")
    over = S.overlooked_labels(index, stats, loved)
    # Twin sounds like Fave and is neither liked nor played; Far is unliked but sounds different.
    assert over["label"].tolist()[0] == "Twin" and over["like"].iloc[0] == "Fave"
    assert over["similarity"].iloc[0] > over.set_index("label")["similarity"].get("Far", 0)
    assert "Played" not in set(over["label"])


def test_demo_library_sounds_like(demo_library) -> None:
    index = S.sound_index(demo_library, "label")
    top = demo_library.labels["label"].iloc[0]
    closest = S.sounds_like(index, top).closest
    assert len(closest) == 5 and top not in set(closest["name"])
    assert closest["distance"].is_monotonic_increasing
    assert closest["similarity"].between(0, 1).all()
    artists = S.sound_index(demo_library, "artist")
    assert all(c >= 5 for c in artists.counts)


def test_reports_carry_the_sections(demo_library) -> None:
    from lib.analysis.entities import build_entity_page
    from lib.reports.pages import entity_report, overview_report

    index = S.sound_index(demo_library, "label")
    name = demo_library.labels["label"].iloc[0]
    report = entity_report(build_entity_page(demo_library, "label", name),
                           sounds_like=S.sounds_like(index, name)).to_markdown()
    assert f"## Labels that sound like {name}" in report
    assert "| Label | Similarity | In words |" in report
    stats = S.label_stats(demo_library)
    loved = S.loved_labels(stats)
    text = overview_report(demo_library, loved=(loved, S.overlooked_labels(index, stats, loved))
                           ).to_markdown()
    assert "## Labels you love most" in text and "## Labels you may be overlooking" in text


def test_static_export_pages_carry_the_sections(demo_library, tmp_path) -> None:
    from lib.reports.site import ExportOptions, _Builder, plan_site

    pages = plan_site(demo_library, 270)
    builder = _Builder(demo_library, ExportOptions(out=tmp_path, min_tracks=270),
                       {(p.kind, p.name, p.sub): p.path for p in pages})
    label = next(p for p in pages if p.kind == "label" and p.sub == "")
    overview = next(p for p in pages if p.kind == "library" and p.sub == "")
    assert "## Labels that sound like" in builder.build(label, set()).markdown
    assert "## Labels you love most" in builder.build(overview, set()).markdown


def test_group_quantiles_match_numpy() -> None:
    rng = np.random.default_rng(9)
    group = rng.integers(0, 6, 400)
    values = rng.normal(size=400)
    values[rng.random(400) < 0.1] = np.nan
    values[group == 5] = np.nan                      # a group without any value
    got = S._group_quantiles(values, group, 7, S.QUANTILES)   # group 6 has no rows at all
    for g in range(5):
        assert np.allclose(got[g], np.nanquantile(values[group == g], S.QUANTILES))
    assert np.isnan(got[5]).all()
