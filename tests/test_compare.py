"""Comparison statistics of two scopes (lib.analysis.compare) and the compare report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.analysis import compare as C
from lib.analysis.entities import PROFILE_FEATURES, library_basis
from lib.reports.compare import compare_report
from lib.store.scopes import Scope, scope_tracks


def test_cohens_d_is_the_difference_in_pooled_standard_deviations() -> None:
    assert C.cohens_d(np.array([1.0, 2, 3]), np.array([4.0, 5, 6])) == pytest.approx(-3.0)
    a, b = np.array([0.0, 2, 4, 6]), np.array([1.0, 1, 3, 3, np.nan])
    pooled = np.sqrt((3 * np.var(a, ddof=1) + 3 * np.var([1, 1, 3, 3], ddof=1)) / 6)
    assert C.cohens_d(a, b) == pytest.approx((3 - 2) / pooled)
    assert np.isnan(C.cohens_d(np.array([1.0]), np.array([1.0, 2])))
    assert np.isnan(C.cohens_d(np.array([1.0, 1]), np.array([1.0, 1])))


@pytest.mark.parametrize(("feature", "d", "words"), [
    ("energy", 1.2, "much more energetic"), ("energy", -0.9, "much more mellow"),
    ("energy", 0.6, "more energetic"), ("energy", 0.3, "slightly more energetic"),
    ("energy", 0.1, "about as energetic"), ("danceability", -0.5, "less danceable"),
    ("tempo", 0.85, "much more fast"), ("energy", float("nan"), ""),
])
def test_effect_words(feature: str, d: float, words: str) -> None:
    assert C.effect_words(feature, d) == words


def test_sides_parse_and_print() -> None:
    assert C.parse_side("label:Kestrel Sound") == Scope("label", "Kestrel Sound")
    assert C.parse_side(" Artist : M83 ") == Scope("artist", "M83")
    assert C.parse_side("library") == Scope() and C.parse_side("liked") == Scope("liked")
    assert C.parse_side("genre:r&b:soul") == Scope("genre", "r&b:soul")
    for scope in (Scope("playlist", "Road: trip"), Scope(), Scope("liked")):
        assert C.parse_side(C.side_param(scope)) == scope
    for bad in ("", "label:", "album:X", "liked:extra"):
        with pytest.raises(C.CompareError, match="Side b"):
            C.parse_side(bad, "b")
    assert C.compare_url(Scope("label", "A & B"), Scope("liked"), "demo") == \
        "/compare?library=demo&a=label%3AA+%26+B&b=liked"


def _tracks(prefix: str, energy: np.ndarray, artists: list[str]) -> pd.DataFrame:
    n = len(energy)
    rng = np.random.default_rng(n)
    frame = pd.DataFrame({f: rng.uniform(0.4, 0.6, n) for f in PROFILE_FEATURES})
    frame["energy"] = energy
    frame["tempo"] = rng.uniform(100, 120, n)
    frame["loudness"] = rng.uniform(-10, -5, n)
    frame["track_id"] = [f"{prefix}{i}" for i in range(n)]
    frame["has_features"] = True
    frame["artist_ids"] = [[artists[i % len(artists)]] for i in range(n)]
    frame["album_id"] = [f"al-{artists[i % len(artists)]}" for i in range(n)]
    frame["album_name"] = [f"Album of {artists[i % len(artists)]}" for i in range(n)]
    frame["primary_artist"] = [artists[i % len(artists)] for i in range(n)]
    return frame


def test_effects_rank_the_separating_feature_first() -> None:
    rng = np.random.default_rng(0)
    a = _tracks("a", rng.normal(0.8, 0.05, 40), ["x"])
    b = _tracks("b", rng.normal(0.3, 0.05, 40), ["y"])
    effects = C.feature_effects(a, b)
    assert effects["feature"].iloc[0] == "energy"
    assert effects["d"].iloc[0] > 5 and effects["words"].iloc[0] == "much more energetic"
    assert effects.set_index("feature").at["tempo", "words"] == "about as fast"


def test_joint_clusters_separate_the_sides() -> None:
    rng = np.random.default_rng(1)
    a = _tracks("a", rng.normal(0.9, 0.02, 60), ["x"])
    b = _tracks("b", rng.normal(0.1, 0.02, 60), ["y"])
    a["danceability"] = rng.normal(0.9, 0.02, 60)
    b["danceability"] = rng.normal(0.1, 0.02, 60)
    clusters, note, k = C.joint_clusters(a, b, k=2)
    assert k == 2 and "120 tracks of both sides" in note
    assert clusters["share_a"].sum() == pytest.approx(1) and clusters["share_b"].sum() == \
        pytest.approx(1)
    assert sorted(clusters["share_a"].round(6)) == [0, 1] and \
        sorted(clusters["share_b"].round(6)) == [0, 1]
    few, note, k = C.joint_clusters(a.head(4), b.head(4))
    assert few.empty and k == 0 and "needs at least 10" in note


def test_compare_scopes_on_the_demo_library(demo_library) -> None:
    basis = library_basis(demo_library)
    label = demo_library.labels["label"].iloc[0]
    a, b = Scope("label", label), Scope("liked")
    c = C.compare_scopes(demo_library, a, b, basis)
    ta, tb = scope_tracks(demo_library, a), scope_tracks(demo_library, b)
    assert c.summary_a.tracks == len(ta) and c.summary_b.liked == len(tb)
    assert c.overlap == len(set(ta["track_id"]) & set(tb["track_id"]))
    assert set(c.binned["group"]) == {f"A: {label} (label)", "B: Liked Songs"}
    assert c.effects["d"].abs().is_monotonic_decreasing
    top = c.shared_artists.iloc[0]
    assert top["tracks_a"] >= 1 and top["tracks_b"] >= 1
    assert c.shared_albums["tracks_a"].le(ta.groupby("album_id").size().max()).all()
    assert c.k == C.DEFAULT_K and c.clusters["tracks_a"].sum() == \
        int(ta["has_features"].sum())
    report = compare_report(c).to_markdown()
    for heading in (f"# {label} (label) vs Liked Songs", "## How they sound",
                    "## Shared artists", "## Shared albums", "## Clustered together"):
        assert heading in report
    assert "| Cluster | Name | Tracks | Share of A | Share of B |" in report
