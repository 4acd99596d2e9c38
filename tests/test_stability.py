"""Cluster stability (lib.clusters.stability): blobs hold, uniform noise is flagged."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_blobs

from lib.clusters.kmeans import _fit, cluster_tracks
from lib.clusters.stability import STABILITY_SAMPLE, cluster_stability, result_stability


def _kmeans(values: np.ndarray, k: int) -> np.ndarray:
    return _fit(values, k, "kmeans", 42)[1]


def test_blobs_are_stable() -> None:
    values, _ = make_blobs(1200, n_features=5, centers=4, cluster_std=1.0, random_state=3)
    stability = cluster_stability(values, _kmeans(values, 4), 4)
    assert not stability.noise and stability.warning == ""
    assert stability.ari > 0.95 and stability.silhouette > 0.5
    assert stability.clusters["holds"].tolist() == [10, 10, 10, 10]
    assert (stability.clusters["words"] == "solid").all()
    assert stability.sentence(3) == "Cluster 3 holds together in 10 of 10 re-fits (Jaccard 1.00)."
    assert "very stable" in stability.summary and "4 of 4 clusters" in stability.summary


def test_uniform_noise_is_flagged() -> None:
    values = np.random.default_rng(0).uniform(size=(1500, 6))
    for k in (3, 5):
        stability = cluster_stability(values, _kmeans(values, k), k)
        assert stability.noise
        assert stability.warning.startswith("Mostly noise")
        assert stability.silhouette < 0.25 and stability.ari < 0.6


def test_weak_but_stable_structure_is_said_not_flagged() -> None:
    values, _ = make_blobs(1500, n_features=4, centers=3, cluster_std=7, random_state=4)
    stability = cluster_stability(values, _kmeans(values, 3), 3)
    assert 0.15 <= stability.silhouette < 0.25 and stability.ari >= 0.6
    assert not stability.noise and "The groups are weak" in stability.summary


def test_large_scopes_use_a_bounded_sample_and_a_seed() -> None:
    values, _ = make_blobs(6000, n_features=3, centers=3, random_state=1)
    labels = _kmeans(values, 3)
    first = cluster_stability(values, labels, 3, seed=7, n_refits=4)
    again = cluster_stability(values, labels, 3, seed=7, n_refits=4)
    assert first.sample == STABILITY_SAMPLE
    assert f"random sample of {STABILITY_SAMPLE:,} tracks" in first.summary
    assert first.clusters.equals(again.clusters) and first.ari == again.ari
    assert first.clusters["refits"].eq(4).all()


def test_result_stability_names_the_clusters(demo_library) -> None:
    from lib.clusters.features import build_matrix

    tracks = demo_library.tracks
    features = ("energy", "acousticness", "valence")
    result = cluster_tracks(tracks, features, 3, scaling="standard")
    matrix = build_matrix(tracks, features, "standard")
    stability = result_stability(result, matrix.values, n_refits=3)
    assert stability.clusters["name"].tolist() == [c.name for c in result.clusters]
    assert len(stability.clusters) == 3
