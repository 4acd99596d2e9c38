"""Feature catalog, presets and the scaled matrix (lib.clusters.features)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.clusters.features import (CATALOG, ORIGINAL_FEATURES, PRESETS, FeatureError, available_features,
                          build_matrix, parse_features, preset_features, preset_of,
                          resolve_scaling)


def tracks(n: int = 40, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    genres = [["k-pop", "pop"], ["rock"], [], ["pop"]]
    return pd.DataFrame({
        "track_id": [f"t{i}" for i in range(n)],
        "danceability": rng.random(n), "energy": rng.random(n), "valence": rng.random(n),
        "tempo": rng.normal(120, 25, n), "loudness": rng.normal(-8, 3, n),
        "release_year": pd.array(rng.integers(1990, 2025, n), dtype="Int64"),
        "duration_ms": rng.integers(120_000, 300_000, n),
        "popularity": np.full(n, np.nan), "explicit": rng.random(n) < 0.3,
        "genres": [genres[i % 4] for i in range(n)],
        "labels": [["Kestrel Sound"] if i % 2 else ["Blue Owl"] for i in range(n)],
    })


def test_parse_features_checks_names_and_keeps_order() -> None:
    assert parse_features("energy, Valence,energy") == ("energy", "valence")
    assert parse_features("") == ()
    with pytest.raises(FeatureError, match="bogus"):
        parse_features("energy,bogus")


def test_presets_use_catalog_features() -> None:
    for preset in PRESETS.values():
        assert preset.features and all(f in CATALOG for f in preset.features)
    assert preset_features("original") == ORIGINAL_FEATURES
    assert preset_of(list(reversed(ORIGINAL_FEATURES))) == "original"
    assert preset_of(["energy"]) is None
    assert not any(CATALOG[f].kind == "audio" for f in preset_features("metadata"))
    with pytest.raises(FeatureError, match="nope"):
        preset_features("nope")


def test_auto_scaling_keeps_unit_features_raw_and_standardises_mixed_scales() -> None:
    assert resolve_scaling("auto", ORIGINAL_FEATURES) == "none"
    assert resolve_scaling("auto", ["energy", "tempo"]) == "standard"
    assert resolve_scaling("range", ["energy", "tempo"]) == "range"
    with pytest.raises(FeatureError):
        resolve_scaling("magic", ["energy"])


def test_standard_scaling_gives_unit_variance_per_feature_and_per_onehot_group() -> None:
    m = build_matrix(tracks(), ["energy", "tempo", "genres"], "standard")
    assert m.scaling == "standard" and "standard deviation" in m.scaling_text
    assert m.columns[:2] == ["energy", "tempo"]
    assert np.allclose(m.values[:, :2].mean(axis=0), 0)
    assert np.allclose(m.values[:, :2].std(axis=0), 1)
    genre_cols = [i for i, f in enumerate(m.column_feature) if f == "genres"]
    assert [m.columns[i] for i in genre_cols] == ["genres:pop", "genres:k-pop", "genres:rock"]
    assert np.isclose(m.values[:, genre_cols].var(axis=0).sum(), 1)
    # The raw frame keeps the units people read: shares for one-hot columns.
    assert set(np.unique(m.raw["genres:pop"])) == {0.0, 1.0}


def test_one_hot_columns_are_the_same_whether_rows_share_their_lists_or_not() -> None:
    """A library read from its snapshot shares one list object among rows with the same list;
    the matrix groups rows by list object, so a frame of separate lists must give the same."""
    shared = tracks(200)
    separate = shared.copy()
    separate["genres"] = [list(g) for g in shared["genres"]]
    separate["labels"] = [list(g) for g in shared["labels"]]
    a = build_matrix(shared, ["genres", "labels", "energy"], "standard", top=2)
    b = build_matrix(separate, ["genres", "labels", "energy"], "standard", top=2)
    assert a.columns == b.columns == ["genres:pop", "genres:k-pop", "labels:Blue Owl",
                                      "labels:Kestrel Sound", "energy"]
    np.testing.assert_array_equal(a.values, b.values)
    expected = [1.0 if "pop" in g else 0.0 for g in shared["genres"]]
    assert a.raw["genres:pop"].tolist() == expected


def test_range_scaling_maps_known_ranges() -> None:
    t = tracks()
    m = build_matrix(t, ["energy", "tempo"], "range")
    assert np.allclose(m.scale, [1.0, 170.0])
    assert np.allclose(m.values[:, 1], (t["tempo"] - t["tempo"].mean()) / 170)


def test_missing_values_drop_tracks_and_are_counted() -> None:
    t = tracks()
    t.loc[[0, 3, 5], "energy"] = np.nan
    t.loc[[5, 7], "tempo"] = np.nan
    m = build_matrix(t, ["energy", "tempo"])
    assert m.missing == {"energy": 3, "tempo": 2}
    assert m.n_dropped == 4 and m.n_tracks == len(t) - 4
    assert not m.kept[[0, 3, 5, 7]].any()


def test_feature_without_any_value_is_unavailable_not_fatal() -> None:
    m = build_matrix(tracks(), ["popularity", "release_year", "duration", "explicit"])
    assert m.unavailable == ("popularity",)
    assert m.features == ("release_year", "duration", "explicit")
    assert m.raw["duration"].between(2, 5).all()  # minutes
    with pytest.raises(FeatureError, match="popularity"):
        build_matrix(tracks(), ["popularity"])


def test_constant_feature_does_not_divide_by_zero() -> None:
    t = tracks()
    t["energy"] = 0.5
    m = build_matrix(t, ["energy", "tempo"], "standard")
    assert np.isfinite(m.values).all()
    assert np.allclose(m.values[:, 0], 0)


def test_available_features_counts_values() -> None:
    counts = available_features(tracks())
    assert counts["popularity"] == 0 and counts["energy"] == 40
    assert counts["genres"] == 30  # every fourth track has no genre
