"""k-means clustering of a scope (lib.clusters.kmeans): pure functions on synthetic frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.clusters.kmeans import (KMEANS_FIT_SAMPLE, MINIBATCH_FIT_SAMPLE, ClusteringError,
                                 NotEnoughTracks, cluster_matrix, cluster_tracks,
                                 label_cluster_counts, original_k, profile_frame,
                                 resolve_algorithm, scatter_frame, scatter_sample)
from lib.clusters.features import build_matrix

SEVEN = ["danceability", "energy", "speechiness", "acousticness", "instrumentalness",
         "liveness", "valence"]


def frame(values: np.ndarray, columns: list[str], *, labels: list[str] | None = None
          ) -> pd.DataFrame:
    n = len(values)
    out = pd.DataFrame(values, columns=columns)
    out.insert(0, "track_id", [f"t{i:05d}" for i in range(n)])
    out["track_name"] = [f"Song {i}" for i in range(n)]
    out["artists"] = "Someone"
    out["album_name"] = "Album"
    out["label"] = labels if labels is not None else ["Kestrel Sound"] * n
    return out


def blobs(centres: list[list[float]], per: int = 60, spread: float = 0.03, seed: int = 1,
          columns: list[str] | None = None) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pts = np.vstack([rng.normal(c, spread, size=(per, len(c))) for c in centres])
    return frame(np.clip(pts, 0, 1), columns or ["danceability", "energy", "valence"])


def random_tracks(n: int = 400, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return frame(rng.random((n, 7)), SEVEN,
                 labels=[["A", "B", "C", None][i % 4] for i in range(n)])


FOUR = [[0.2, 0.2, 0.2], [0.8, 0.8, 0.2], [0.2, 0.8, 0.8], [0.8, 0.2, 0.8]]


def test_same_seed_same_result_and_k_is_respected() -> None:
    t = random_tracks()
    a = cluster_tracks(t, SEVEN, 5, seed=7)
    b = cluster_tracks(t, SEVEN, 5, seed=7)
    assert np.array_equal(a.labels, b.labels)
    assert [c.name for c in a.clusters] == [c.name for c in b.clusters]
    for k in (2, 3, 6, 9):
        r = cluster_tracks(t, SEVEN, k)
        assert r.k == k == len(r.clusters) == len(np.unique(r.labels))
        assert sum(r.sizes) == r.n_used == len(t)
        assert r.sizes == sorted(r.sizes, reverse=True)  # #1 is the biggest
        assert [c.number for c in r.clusters] == list(range(1, k + 1))


def test_representatives_are_the_tracks_nearest_to_their_centroid() -> None:
    t = random_tracks()
    r = cluster_tracks(t, SEVEN, 4)
    values = build_matrix(t, SEVEN).values
    for i, c in enumerate(r.clusters):
        members = np.flatnonzero(r.labels == i)
        d = np.linalg.norm(values[members] - r.centres_scaled[i], axis=1)
        # Every track sits with its nearest centre.
        all_d = np.linalg.norm(values[members, None, :] - r.centres_scaled[None], axis=2)
        assert (all_d.argmin(axis=1) == i).all()
        expected = t["track_id"].to_numpy()[members[np.argsort(d, kind="stable")]]
        assert list(c.representative_ids) == expected[:10].tolist()
        assert r.members(i) == expected.tolist()


def test_auto_k_finds_known_blobs_and_shows_the_curve() -> None:
    r = cluster_tracks(blobs(FOUR), ["danceability", "energy", "valence"], "auto")
    assert r.k == 4 and r.k_mode == "auto"
    assert r.sizes == [60, 60, 60, 60]
    curve = r.k_curve
    assert curve is not None and list(curve["k"])[:3] == [2, 3, 4]
    assert curve.set_index("k")["silhouette"].idxmax() == 4
    assert curve["inertia"].is_monotonic_decreasing
    r3 = cluster_tracks(blobs(FOUR[:3]), ["danceability", "energy", "valence"], "auto")
    assert r3.k == 3


def test_original_heuristic() -> None:
    assert [original_k(n) for n in (4, 60, 95, 151, 2000)] == [3, 3, 3, 4, 10]
    assert original_k(3) == 2
    r = cluster_tracks(random_tracks(151), SEVEN, "original")
    assert r.k_mode == "original" and 3 <= r.k <= 4
    assert max(r.sizes) <= 10 * min(r.sizes) or r.k == 3


def test_too_few_tracks_gives_a_clear_message() -> None:
    t = random_tracks(5)
    with pytest.raises(NotEnoughTracks, match="5 tracks .* 5 clusters need at least 6"):
        cluster_tracks(t, SEVEN, 5)
    assert cluster_tracks(t, SEVEN, 4).k == 4  # n = k + 1 is enough
    one = random_tracks(1)
    for k in (2, "auto", "original"):
        with pytest.raises(NotEnoughTracks, match="Only 1 track with"):
            cluster_tracks(one, SEVEN, k)
    with pytest.raises(ClusteringError, match="from 2 to 20"):
        cluster_tracks(random_tracks(), SEVEN, 21)


def test_constant_features_cannot_make_k_clusters() -> None:
    t = random_tracks(50)
    t[SEVEN] = 0.5
    with pytest.raises(ClusteringError, match="Only 1 different combinations"):
        cluster_tracks(t, SEVEN, 3)
    with pytest.raises(ClusteringError, match="same values"):
        cluster_tracks(t, SEVEN, "auto")
    # Two distinct points support k = 2 but not 3.
    t.loc[:9, "energy"] = 0.9
    assert cluster_tracks(t, SEVEN, 2).sizes == [40, 10]
    with pytest.raises(ClusteringError, match="Only 2 different"):
        cluster_tracks(t, SEVEN, 3)


def test_tracks_missing_features_are_left_out_and_counted() -> None:
    t = random_tracks(100)
    t.loc[:11, "energy"] = np.nan
    r = cluster_tracks(t, SEVEN, 3)
    assert r.n_scope == 100 and r.n_used == 88 and r.n_dropped == 12
    assert r.missing["energy"] == 12
    assert not set(t["track_id"][:12]) & set(r.track_ids)
    assert (t["track_id"].to_numpy()[r.rows] == r.track_ids).all()
    # One Arrow array, never 300k Python strings (see track_id_array)
    assert isinstance(r.track_ids, pd.arrays.ArrowStringArray)


def test_axis_names_follow_the_feature_set() -> None:
    t = random_tracks()
    # Energy and valence move together, danceability against them.
    rng = np.random.default_rng(0)
    base = rng.random(len(t))
    t["energy"] = base
    t["valence"] = np.clip(base + rng.normal(0, 0.05, len(t)), 0, 1)
    t["danceability"] = 1 - base
    r = cluster_tracks(t, ["energy", "valence", "danceability"], 3)
    words = set(r.axis_names[0].split(", "))
    assert words == {"Energetic", "Happy", "Not danceable"} or \
        words == {"Mellow", "Sad", "Danceable"}
    low = set(r.axis_names_low[0].split(", "))
    assert low.isdisjoint(words) and len(low) == 3
    other = cluster_tracks(t, ["acousticness", "speechiness", "liveness"], 3)
    assert other.axis_names != r.axis_names


def test_every_k_of_one_matrix_is_drawn_on_the_same_map_computed_once(monkeypatch) -> None:
    from sklearn.decomposition import PCA

    fits = []
    fit = PCA.fit
    monkeypatch.setattr(PCA, "fit", lambda self, x, *a: fits.append(len(x)) or fit(self, x, *a))
    t = random_tracks()
    matrix = build_matrix(t, SEVEN, "auto")
    ids = t["track_id"][matrix.kept]
    three, five = (cluster_matrix(matrix, k, track_ids=ids) for k in (3, 5))
    assert fits == [len(t)]
    assert five.projection is three.projection and not three.projection.flags.writeable
    assert three.axis_names == five.axis_names and three.explained == five.explained
    # The centres are placed on that map: a cluster's centre is the mean of its tracks' places.
    for r in (three, five):
        for i in range(r.k):
            np.testing.assert_allclose(r.projection[r.labels == i].mean(axis=0),
                                       r.centroid_projection[i], atol=1e-5)


def test_cluster_names_describe_distinctive_features() -> None:
    t = blobs([[0.1, 0.9, 0.5], [0.9, 0.1, 0.5]], columns=["acousticness", "energy", "valence"])
    r = cluster_tracks(t, ["acousticness", "energy", "valence"], 2)
    names = {c.name for c in r.clusters}
    assert names == {"Electronic, Energetic", "Acoustic, Mellow"} or \
        names == {"Energetic, Electronic", "Mellow, Acoustic"}
    assert all("Happy" not in n and "Sad" not in n for n in names)
    assert len({c.name for c in cluster_tracks(random_tracks(), SEVEN, 8).clusters}) == 8


def test_a_sample_above_50k_and_explicit_choice() -> None:
    assert resolve_algorithm("auto", 50_000) == "kmeans"
    assert resolve_algorithm("auto", 50_001) == "sample"
    for algorithm, name in (("sample", "k-means"), ("minibatch", "mini-batch k-means")):
        r = cluster_tracks(random_tracks(300), SEVEN, 3, algorithm=algorithm)
        assert r.algorithm == algorithm and r.k == 3 and r.fit_sample == 300
        assert r.algorithm_name == name  # a "sample" of every track is plain k-means
    with pytest.raises(ClusteringError, match="Unknown algorithm"):
        resolve_algorithm("dbscan", 10)


@pytest.mark.parametrize("algorithm, estimator, sample", [
    ("sample", "KMeans", KMEANS_FIT_SAMPLE),
    ("minibatch", "MiniBatchKMeans", MINIBATCH_FIT_SAMPLE)])
def test_a_big_scope_is_fitted_on_a_sample_and_every_track_labelled(
        monkeypatch, algorithm: str, estimator: str, sample: int) -> None:
    import sklearn.cluster
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    centres = [[0.2, 0.2, 0.2], [0.8, 0.2, 0.5], [0.2, 0.8, 0.8], [0.8, 0.8, 0.2], [0.5, 0.5, 0.9]]
    t = blobs(centres, per=16_000, spread=0.08)  # 80,000 tracks
    truth = np.repeat(np.arange(len(centres)), 16_000)
    fitted_rows = []
    cls = getattr(sklearn.cluster, estimator)
    fit = cls.fit

    def counted_fit(self, x, *args, **kwargs):
        fitted_rows.append(len(x))
        return fit(self, x, *args, **kwargs)
    monkeypatch.setattr(cls, "fit", counted_fit)
    r = cluster_tracks(t, ["danceability", "energy", "valence"], 5, algorithm=algorithm)
    assert fitted_rows == [sample] and r.n_used == 80_000
    assert r.fit_sample == sample  # what the page and the report say
    from lib.reports.clusters import _settings
    assert any(f"seed 42, centres fitted on a random sample of {sample:,} tracks" in line
               for line in _settings(r))
    assert adjusted_rand_score(truth, r.labels) > 0.95
    # Every track is labelled by its nearest final centre, and the clustering is as tight as
    # full k-means on all tracks (within 2 %).
    values = build_matrix(t, ["danceability", "energy", "valence"], "auto").values
    nearest = ((values[:, None, :] - r.centres_scaled[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert np.array_equal(nearest, r.labels)
    full = KMeans(n_clusters=5, n_init=4, random_state=0).fit(values)
    assert (r.distances ** 2).sum() <= 1.02 * full.inertia_
    again = cluster_tracks(t, ["danceability", "energy", "valence"], 5, algorithm=algorithm)
    assert np.array_equal(again.labels, r.labels)


def test_a_big_scope_is_clustered_from_a_sample_by_default() -> None:
    from lib.reports.clusters import _settings

    t = random_tracks(60_000)
    r = cluster_tracks(t, ["danceability", "energy", "valence"], 4)
    assert r.algorithm == "sample" and r.fit_sample == KMEANS_FIT_SAMPLE and r.n_used == 60_000
    assert r.algorithm_name == "k-means of a sample"
    assert "**Algorithm**: k-means of a sample, seed 42, centres fitted on a random sample of " \
           "16,384 tracks, then every track joins its nearest centre" in _settings(r)


def test_scatter_sample_is_stratified_and_bounded() -> None:
    labels = np.repeat([0, 1, 2], [9000, 900, 20])
    pos = scatter_sample(labels, 1000)
    assert len(pos) <= 1000 and np.all(np.diff(pos) > 0)
    counts = np.bincount(labels[pos])
    assert counts[2] == 20 and counts[1] >= 50 and counts[0] > counts[1]
    assert np.array_equal(pos, scatter_sample(labels, 1000))
    assert np.array_equal(scatter_sample(labels[:500], 1000), np.arange(500))


def test_scatter_profile_and_label_frames_are_small_and_consistent() -> None:
    t = random_tracks(400)
    r = cluster_tracks(t, SEVEN, 3)
    pts = scatter_frame(r, t, max_points=100)
    assert len(pts) <= 100
    assert {"x", "y", "cluster", "track", "artists", "album", "label",
            "energy"} <= set(pts.columns)
    assert set(pts["cluster"]) <= {r.cluster_label(i) for i in range(3)}
    prof = profile_frame(r)
    assert len(prof) == 3 * 7 and prof["cluster_pos"].between(0, 1).all()
    heat = label_cluster_counts(r, t)
    assert set(heat["label"]) == {"A", "B", "C"}
    assert heat["tracks"].sum() == 300  # the unlabelled quarter is not in the heatmap
    assert np.allclose(heat.groupby("label")["share_of_label"].sum(), 1)
    s = r.summary()
    assert s["k"] == 3 and len(s["clusters"]) == 3
    assert s["clusters"][0]["representative_ids"] == list(r.clusters[0].representative_ids)
    assert set(s["clusters"][0]["profile"]) == set(r.column_titles)


def test_label_counts_match_a_crosstab_biggest_labels_first_ties_by_name() -> None:
    rng = np.random.default_rng(5)
    names = ["Zephyr"] * 50 + ["Alba"] * 50 + ["Mistral"] * 30 + ["Brisa"] * 10 + [None] * 20
    t = frame(rng.random((160, 7)), SEVEN, labels=list(rng.permutation(np.array(names, object))))
    t = t.iloc[::-1].set_index(pd.Index(range(1000, 1160)))  # a scope: not 0…n-1, not in order
    r = cluster_tracks(t, SEVEN, 4)
    heat = label_cluster_counts(r, t, top=3)
    assert heat["label"].drop_duplicates().tolist() == ["Alba", "Zephyr", "Mistral"]
    labels = t["label"].iloc[r.rows].to_numpy()
    expected = pd.crosstab(labels, r.labels + 1)
    for row in heat.itertuples():
        assert row.tracks == expected.loc[row.label].get(row.number, 0)
        assert row.cluster == r.cluster_label(row.number - 1)
    assert np.allclose(heat.groupby("label")["share_of_label"].sum(), 1)
    sizes = np.array(r.sizes)
    assert np.allclose(heat["share_of_cluster"], heat["tracks"] / sizes[heat["number"] - 1])


def test_every_chart_of_a_view_is_valid_vega_lite() -> None:
    from lib.clusters.charts import view_charts
    from lib.clusters.kmeans import cluster_view

    t = random_tracks(400)
    t["label"] = [["A", "B", "C"][i % 3] for i in range(len(t))]
    view = cluster_view(t, build_matrix(t, SEVEN), "auto", heatmap=True)
    charts = view_charts(view)
    assert {"scatter", "heatmap", "curve"} <= set(charts)
    assert {f"profile:{i}" for i in range(view.result.k)} <= set(charts)
    for chart in charts.values():
        chart.to_dict(validate=True)  # raises on a schema error


def test_auto_k_does_not_favour_two_and_says_why() -> None:
    from lib.clusters.kmeans import choose_k
    curve = pd.DataFrame({"k": [2, 3, 4, 5], "silhouette": [0.28, 0.23, 0.25, 0.21],
                          "inertia": [16.0, 13.7, 11.8, 10.7]})
    k, why = choose_k(curve)
    assert k == 4
    assert "0.25" in why and "2 clusters score a little higher" in why
    clear = curve.assign(silhouette=[0.60, 0.23, 0.25, 0.21])
    k, why = choose_k(clear)
    assert k == 2 and "clearly better" in why
    assert choose_k(curve.iloc[:1])[0] == 2
    tie = curve.assign(silhouette=[0.1, 0.3, 0.3, 0.2])
    assert choose_k(tie)[0] == 3
