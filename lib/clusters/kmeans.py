"""K-means clustering of a scope's tracks: pure functions returning a :class:`ClusterResult`.

Entry point: ``cluster_tracks(tracks, features, k, *, scaling="auto", algorithm="auto",
seed=DEFAULT_SEED) -> ClusterResult`` where ``tracks`` is a scope's tracks frame
(:func:`lib.store.scopes.scope_tracks`), ``features`` names from :data:`lib.clusters.features.CATALOG` and ``k``
an int (2…20), ``"auto"`` (best silhouette among k ≥ 3 unless 2 is clearly better:
:func:`choose_k`) or ``"original"`` (the original tool's heuristic).
``cluster_matrix(matrix, k, ...)`` does the same from a prepared
:class:`~lib.clusters.features.FeatureMatrix`.

:class:`ClusterResult` (frozen; arrays are read-only by convention):

- choice: ``features`` (used), ``columns``/``column_titles`` (matrix columns), ``scaling`` +
  ``scaling_text``, ``k``, ``k_mode`` ("fixed" | "auto" | "original"), ``algorithm``
  ("kmeans" | "sample" | "minibatch": :data:`ALGORITHM_NAMES`), ``seed``;
- coverage: ``n_scope`` (tracks in the scope), ``n_used`` (clustered), ``missing`` (tracks lacking
  each feature), ``unavailable`` (chosen features no track has);
- per clustered track (aligned arrays of length ``n_used``): ``track_ids`` (a pandas Arrow
  string array: :func:`track_id_array`), ``rows`` (positions in
  the input ``tracks`` frame: ``tracks.iloc[result.rows]``), ``labels`` (0-based cluster index,
  clusters ordered largest first), ``distances`` (to the own centroid, scaled space),
  ``projection`` (n × 2 PCA coordinates);
- per cluster: ``clusters`` — tuple of :class:`ClusterInfo` (``number`` 1-based, ``size``,
  ``share``, ``name`` such as "Energetic, Electronic", ``traits``, ``representative_ids``: the 10
  tracks nearest the centroid, nearest first); ``centroids`` (k × columns, raw units: the cluster
  means), ``centres_scaled`` (k × columns, the k-means centres in the scaled space distances are
  measured in), ``centroid_projection`` (k × 2); ``members(i)`` all track ids of cluster i,
  nearest first;
- scope: ``scope_mean``/``scope_std`` (raw units per column);
- axes: ``axis_names`` ("Energetic, Electronic, Happy", …) naming the positive direction of each
  PCA axis, ``axis_names_low`` the negative one, ``explained`` variance ratios;
- auto-k: ``k_curve`` (DataFrame k, silhouette, inertia; ``None`` for a fixed k),
  ``curve_sample`` (how many tracks the curve was computed on) and ``k_reason`` (why
  :func:`choose_k` picked k, a sentence; empty for a fixed k);
- ``summary()``: plain dict of all of the above a Markdown report needs.

:func:`profile_frame`, :func:`scatter_sample`, :func:`scatter_frame` and
:func:`label_cluster_counts` turn a result into small frames for charts; :func:`cluster_view`
bundles them (what :func:`ui.cache.get_cluster_view` caches). :class:`ClusterParams` /
:func:`parse_params` read and write the page's query string.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from lib.clusters.features import (CATALOG, DEFAULT_PRESET, DEFAULT_SCALING, PRESETS, SCALINGS,
                          FeatureError, FeatureMatrix, build_matrix, parse_features,
                          preset_features, preset_of)
from lib.store.scopes import Scope, ScopeError

DEFAULT_SEED = 42
K_MIN, K_MAX = 2, 20
AUTO_K_MAX = 12
SAMPLE_ABOVE = 50_000
# Above SAMPLE_ABOVE tracks, "auto" is k-means of a random sample: k-means (two inits) fits the
# centres on KMEANS_FIT_SAMPLE tracks, then every track joins its nearest centre. Measured on
# 290k generated tracks (Sound and Metadata-only features, k = 3 … 20, three seeds each; inertia
# of every track against full k-means with four inits): 92–106 ms a fit (median; 353 ms at worst,
# k = 20) and 0.4–0.5 % above full k-means (4 % at worst). Mini-batch k-means on 65,536 tracks
# took ~330 ms and came 3.1–3.7 % above (17 % at worst): the sample is faster and closer.
KMEANS_FIT_SAMPLE = 16_384
# Mini-batch k-means (chosen by hand) fits on at most this many: scikit-learn draws each
# mini-batch with weights over all rows, a pass over them per step.
MINIBATCH_FIT_SAMPLE = 65_536
FIT_SAMPLES = {"sample": KMEANS_FIT_SAMPLE, "minibatch": MINIBATCH_FIT_SAMPLE}
CURVE_SAMPLE = 5_000
SILHOUETTE_SAMPLE = 2_000
# Dots in the scatter: Chromium re-encodes each through Vega's expression interpreter on every
# slider move; 5,000 took a seen k from 0.35 s to 0.51 s at 30k tracks (bench_browser).
SCATTER_MAX_POINTS = 2_500
N_REPRESENTATIVES = 10
# The algorithm menu's entries, and what the page and the report call the algorithm a
# clustering ran (ClusterResult.algorithm_name).
ALGORITHM_NAMES = {"kmeans": "k-means", "sample": "k-means of a sample",
                   "minibatch": "mini-batch k-means"}
ALGORITHMS = ("auto", *ALGORITHM_NAMES)


class ClusteringError(ValueError):
    """The scope cannot be clustered as asked; the message says why and what to do."""


class NotEnoughTracks(ClusteringError):
    """Fewer tracks than k + 1 (or than 3 for an automatic k)."""


@dataclass(frozen=True)
class ClusterInfo:
    number: int
    size: int
    share: float
    name: str
    traits: tuple[str, ...]
    representative_ids: tuple[str, ...]


@dataclass(frozen=True)
class ClusterResult:
    features: tuple[str, ...]
    columns: tuple[str, ...]
    column_titles: tuple[str, ...]
    scaling: str
    scaling_text: str
    k: int
    k_mode: str
    algorithm: str
    seed: int
    n_scope: int
    n_used: int
    missing: dict[str, int]
    unavailable: tuple[str, ...]
    track_ids: pd.arrays.ArrowStringArray
    rows: np.ndarray
    labels: np.ndarray
    distances: np.ndarray
    projection: np.ndarray
    centroid_projection: np.ndarray
    centres_scaled: np.ndarray
    centroids: pd.DataFrame
    scope_mean: pd.Series
    scope_std: pd.Series
    clusters: tuple[ClusterInfo, ...]
    axis_names: tuple[str, str]
    axis_names_low: tuple[str, str]
    explained: tuple[float, float]
    k_curve: pd.DataFrame | None = None
    curve_sample: int = 0
    k_reason: str = ""
    _order: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]
    _starts: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]

    @property
    def n_dropped(self) -> int:
        return self.n_scope - self.n_used

    @property
    def sizes(self) -> list[int]:
        return [c.size for c in self.clusters]

    @property
    def fit_sample(self) -> int:
        """Tracks the centres were fitted on (:data:`FIT_SAMPLES` at most for a sample and for
        mini-batch); every clustered track then joins its nearest centre."""
        return min(self.n_used, FIT_SAMPLES.get(self.algorithm, self.n_used))

    @property
    def algorithm_name(self) -> str:
        """What the page and the report call the algorithm that ran: "k-means" for a sample
        that held every track (:data:`ALGORITHM_NAMES` otherwise)."""
        if self.algorithm == "sample" and self.fit_sample == self.n_used:
            return ALGORITHM_NAMES["kmeans"]
        return ALGORITHM_NAMES[self.algorithm]

    @property
    def fit_text(self) -> str:
        """What the page and the report say of a fit on a sample; "" when every track was used."""
        if self.fit_sample == self.n_used:
            return ""
        return (f"centres fitted on a random sample of {self.fit_sample:,} tracks, then every "
                "track joins its nearest centre")

    def member_positions(self, i: int) -> np.ndarray:
        """Positions (into the per-track arrays) of cluster ``i``'s tracks, nearest first."""
        return self._order[self._starts[i]:self._starts[i + 1]]

    def members(self, i: int) -> list[str]:
        """Track ids of cluster ``i`` (0-based), nearest to the centroid first."""
        return self.track_ids[self.member_positions(i)].tolist()

    def cluster_label(self, i: int) -> str:
        """"#1 Energetic, Electronic" — how legends and tables name cluster ``i``."""
        c = self.clusters[i]
        return f"#{c.number} {c.name}"

    def summary(self) -> dict[str, Any]:
        """Everything a report needs, as plain Python values."""
        return {
            "k": self.k, "k_mode": self.k_mode, "algorithm": self.algorithm, "seed": self.seed,
            "features": list(self.features),
            "feature_titles": [CATALOG[f].title for f in self.features],
            "scaling": self.scaling, "scaling_text": self.scaling_text,
            "n_scope": self.n_scope, "n_used": self.n_used, "missing": dict(self.missing),
            "unavailable": list(self.unavailable),
            "axis_names": list(self.axis_names), "axis_names_low": list(self.axis_names_low),
            "explained": list(self.explained),
            "clusters": [{
                "number": c.number, "size": c.size, "share": c.share, "name": c.name,
                "traits": list(c.traits), "representative_ids": list(c.representative_ids),
                "profile": {t: {"cluster": float(self.centroids.iloc[i][col]),
                                "scope": float(self.scope_mean[col])}
                            for col, t in zip(self.columns, self.column_titles)},
            } for i, c in enumerate(self.clusters)],
            "k_curve": None if self.k_curve is None else self.k_curve.to_dict("records"),
            "k_reason": self.k_reason,
        }


# ---------------------------------------------------------------------------------------------
# Fitting

def resolve_algorithm(algorithm: str, n: int) -> str:
    """``auto`` → ``kmeans`` up to :data:`SAMPLE_ABOVE` tracks, ``sample`` above."""
    if algorithm not in ALGORITHMS:
        raise ClusteringError(f"Unknown algorithm '{algorithm}': choose one of "
                              f"{', '.join(ALGORITHMS)}.")
    if algorithm == "auto":
        return "sample" if n > SAMPLE_ABOVE else "kmeans"
    return algorithm


def _model(k: int, algorithm: str, seed: int, n: int, n_init: int) -> Any:
    # scikit-learn (and SciPy under it) is imported on first use, not with this module: about
    # 1.2 s of a fresh server's first run, which pages that never cluster should not pay.
    from sklearn.cluster import KMeans, MiniBatchKMeans

    if algorithm == "minibatch":
        # Measured on 300k generated tracks: within ~3 % of full k-means' inertia, 3–8× faster
        # than the defaults (which rarely stop early on this kind of data).
        # compute_labels=False: _fit labels every track from the final centres anyway.
        return MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=min(n_init, 2),
                               batch_size=min(8192, n), max_no_improvement=10, tol=1e-4,
                               compute_labels=False)
    return KMeans(n_clusters=k, random_state=seed,
                  n_init=min(n_init, 2) if algorithm == "sample" else n_init)


def _fit(values: np.ndarray, k: int, algorithm: str, seed: int, n_init: int = 4
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Centres, labels, distance to own centre and inertia; labels from the final centres.

    Runs single-threaded: on a small shared server OpenMP threads competing for busy cores made
    k-means several times slower (and one thread leaves the other core to other sessions).
    ``sample`` and ``minibatch`` fit on a random sample of :data:`FIT_SAMPLES` rows (drawn from
    ``seed``).
    """
    model = _model(k, algorithm, seed, len(values), n_init)
    fit_on = values
    sample = FIT_SAMPLES.get(algorithm, len(values))
    if len(values) > sample:
        rng = np.random.default_rng(seed)
        fit_on = values[np.sort(rng.choice(len(values), sample, replace=False))]
    from sklearn.metrics import pairwise_distances_argmin_min

    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore")  # "fewer distinct clusters than k": checked below
        model.fit(fit_on)
        # Nearest centre and its distance in one chunked pass: at 300k tracks 45 ms against
        # 66 ms for transform() (every distance, square-rooted), argmin and a gather.
        labels, own = pairwise_distances_argmin_min(values, model.cluster_centers_)
    return model.cluster_centers_, labels, own, float((own ** 2).sum())


@functools.cache
def _threadpools() -> ThreadpoolController:
    # One controller for the process: building one finds the loaded BLAS and OpenMP libraries
    # (~17 ms, a walk of the process's shared objects), which threadpool_limits() redid on every
    # fit, eleven times per k curve. scikit-learn is imported first so its OpenMP is among them.
    import sklearn.cluster  # noqa: F401
    return ThreadpoolController()


def one_thread():
    """A context in which BLAS and OpenMP use one thread (see :func:`_fit`)."""
    return _threadpools().limit(limits=1)


def _n_found(labels: np.ndarray, k: int) -> int:
    """How many of the k clusters have a track (np.unique would sort every label)."""
    return int(np.count_nonzero(np.bincount(labels, minlength=k)))


def _distinct_rows(values: np.ndarray) -> int:
    return int(len(np.unique(values, axis=0)))


def original_k(n: int) -> int:
    """The original tool's starting k: ceil(n / 50) clamped to [3, 10] (and to n − 1)."""
    return max(1, min(max(3, math.ceil(n / 50)), 10, n - 1))


def k_curve(values: np.ndarray, *, k_max: int = AUTO_K_MAX, seed: int = DEFAULT_SEED,
            sample: int = CURVE_SAMPLE) -> tuple[pd.DataFrame, int]:
    """Silhouette and inertia for k = 2 … k_max, on a random sample of up to ``sample`` rows.

    Returns (frame with columns k, silhouette, inertia; rows used). ``k`` values that the data
    cannot support (fewer distinct points) are left out.
    """
    from sklearn.metrics import pairwise_distances, silhouette_score

    n = len(values)
    rng = np.random.default_rng(seed)
    if n > sample:
        values = values[np.sort(rng.choice(n, size=sample, replace=False))]
    m = len(values)
    # Silhouettes of every k on one subsample, from one distance matrix.
    sub = np.sort(rng.choice(m, size=min(SILHOUETTE_SAMPLE, m), replace=False))
    with one_thread():
        distances = pairwise_distances(values[sub])
    rows = []
    for k in range(K_MIN, min(k_max, m - 1) + 1):
        _, labels, own, inertia = _fit(values, k, "kmeans", seed, n_init=2)
        if _n_found(labels, k) < k or _n_found(labels[sub], k) < 2:
            break
        sil = silhouette_score(distances, labels[sub], metric="precomputed")
        rows.append({"k": k, "silhouette": float(sil), "inertia": inertia})
    return pd.DataFrame(rows, columns=["k", "silhouette", "inertia"]), m


K2_MARGIN = 0.10


def choose_k(curve: pd.DataFrame, *, margin: float = K2_MARGIN) -> tuple[int, str]:
    """The automatic k and why, from a :func:`k_curve` frame.

    Two clusters almost always score a high silhouette (any data splits in two) and are the least
    informative answer, so the best silhouette among k ≥ 3 wins unless k = 2 beats it by more
    than ``margin`` (on silhouette's −1…1 scale). Ties go to the smaller k. Returns (k, a
    sentence for the page saying why).
    """
    if curve.empty:
        raise ClusteringError("These tracks cannot be split: all of them have the same values "
                              "for the chosen features. Pick other features.")
    ranked = curve.sort_values(["silhouette", "k"], ascending=[False, True])
    sil = curve.set_index("k")["silhouette"]
    three_up = ranked[ranked["k"] >= 3]
    if three_up.empty:
        return 2, "only 2 clusters could be formed"
    best = int(three_up.iloc[0]["k"])
    if 2 in sil.index and sil[2] > sil[best] + margin:
        return 2, (f"2 clusters separate the tracks clearly better (score {sil[2]:.2f}) than any "
                   f"larger number (best: {sil[best]:.2f} at k = {best})")
    reason = f"{best} clusters have the best separation score ({sil[best]:.2f}) of k = 3…" \
             f"{int(curve['k'].max())}"
    if 2 in sil.index and sil[2] >= sil[best]:
        reason += (f"; 2 clusters score a little higher ({sil[2]:.2f}) but a split in two says "
                   "little, so it needs a clear lead to win")
    return best, reason


def best_k(curve: pd.DataFrame) -> int:
    """The automatic k of :func:`choose_k` (best silhouette among k ≥ 3 unless 2 is clearly
    better)."""
    return choose_k(curve)[0]


def cluster_tracks(tracks: pd.DataFrame, features: tuple[str, ...] | list[str],
                   k: int | str = "auto", *, scaling: str = DEFAULT_SCALING,
                   algorithm: str = "auto", seed: int = DEFAULT_SEED) -> ClusterResult:
    """Cluster a scope's tracks on the chosen features (see the module docstring)."""
    matrix = build_matrix(tracks, features, scaling)
    track_ids = track_id_array(tracks["track_id"])[matrix.kept]
    return cluster_matrix(matrix, k, track_ids=track_ids, algorithm=algorithm, seed=seed)


def track_id_array(ids: pd.Series | pd.api.extensions.ExtensionArray | np.ndarray | list[str]
                   ) -> pd.arrays.ArrowStringArray:
    """Track ids as a pandas Arrow string array (the library's own column needs no copy).

    A result keeps its ids this way because 300k of them take ~30 ms to become Python strings,
    ~40 ms to go back to Arrow when the result is kept on disk and ~70 ms to come back from it.
    """
    if isinstance(ids, pd.Series):
        ids = ids.array
    if isinstance(ids, pd.arrays.ArrowStringArray):
        return ids
    return pd.array(np.asarray(ids, dtype=object), dtype="str")


def cluster_matrix(matrix: FeatureMatrix, k: int | str, *,
                   track_ids: pd.arrays.ArrowStringArray | np.ndarray,
                   algorithm: str = "auto", seed: int = DEFAULT_SEED,
                   curve: tuple[pd.DataFrame, int] | None = None) -> ClusterResult:
    """Cluster a prepared feature matrix. ``track_ids`` are the ids of its rows.

    ``curve`` may pass a precomputed :func:`k_curve` (same matrix and seed) for ``k="auto"``.
    """
    values = matrix.values
    n = len(values)
    algo = resolve_algorithm(algorithm, n)
    _check_size(matrix, k)
    k_mode = "fixed"
    k_reason = ""
    curve_frame: pd.DataFrame | None = None
    curve_n = 0
    if k == "auto":
        k_mode = "auto"
        curve_frame, curve_n = curve if curve is not None else k_curve(values, seed=seed)
        k, k_reason = choose_k(curve_frame)
        centres, labels, own, _ = _fit(values, k, algo, seed)
    elif k == "original":
        k_mode = "original"
        k = original_k(n)
        centres, labels, own, _ = _fit(values, k, algo, seed)
        while True:
            sizes = np.bincount(labels, minlength=k)
            if k <= 3 or sizes.max() <= 10 * sizes.min():
                break
            k -= 1
            centres, labels, own, _ = _fit(values, k, algo, seed)
    else:
        k = int(k)
        centres, labels, own, _ = _fit(values, k, algo, seed)
    if _n_found(labels, k) < k:
        distinct = _distinct_rows(values)
        raise ClusteringError(
            f"Only {distinct:,} different combinations of values among {n:,} tracks: they cannot "
            f"form {k} clusters. Choose k ≤ {max(distinct, 1)} or other features.")
    return _result(matrix, track_ids, centres, labels, own, k=k, k_mode=k_mode,
                   algorithm=algo, seed=seed, curve=curve_frame, curve_n=curve_n,
                   k_reason=k_reason)


def _check_size(matrix: FeatureMatrix, k: int | str) -> None:
    n = matrix.n_tracks
    what = _tracks_text(matrix)
    if k in ("auto", "original"):
        if n < 3:
            raise NotEnoughTracks(f"Only {what}: clustering needs at least 3.")
        return
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
        raise ClusteringError(f"k must be a number from {K_MIN} to {K_MAX}, 'auto' or "
                              f"'original', not {k!r}.")
    if k < K_MIN or k > K_MAX:
        raise ClusteringError(f"k must be from {K_MIN} to {K_MAX}, not {k}.")
    if n < k + 1:
        raise NotEnoughTracks(f"Only {what}: {k} clusters need at least {k + 1}. "
                              f"Choose a smaller k or a bigger scope.")


def _tracks_text(matrix: FeatureMatrix) -> str:
    n = matrix.n_tracks
    text = f"{n:,} track{'s' if n != 1 else ''} with the chosen features"
    return text


# ---------------------------------------------------------------------------------------------
# Describing the clusters

def _result(matrix: FeatureMatrix, track_ids: pd.arrays.ArrowStringArray | np.ndarray,
            centres: np.ndarray, labels: np.ndarray, own: np.ndarray, *, k: int, k_mode: str,
            algorithm: str, seed: int, curve: pd.DataFrame | None, curve_n: int,
            k_reason: str = "") -> ClusterResult:
    track_ids = track_id_array(track_ids)
    n = len(labels)
    # Number clusters by size, largest first (ties: lower original index first).
    sizes = np.bincount(labels, minlength=k)
    order_by_size = sorted(range(k), key=lambda c: (-sizes[c], c))
    remap = np.empty(k, dtype=np.int64)
    remap[order_by_size] = np.arange(k)
    labels = remap[labels]
    centres = centres[order_by_size]
    sizes = sizes[order_by_size]

    raw = matrix.raw.to_numpy()
    counts = sizes.astype(float)
    sums = np.zeros((k, raw.shape[1]))
    _group_sums(sums, labels, raw)
    means = sums / counts[:, None]
    columns = list(matrix.columns)
    centroids = pd.DataFrame(means, columns=columns, index=pd.RangeIndex(1, k + 1, name="cluster"))
    scope_mean = pd.Series(matrix.raw_mean, index=columns)
    scope_std = pd.Series(matrix.raw_std, index=columns)

    # By cluster, nearest first: a sort of the distances, then a stable (radix) sort of the
    # small cluster numbers, ~40 % of np.lexsort((own, labels))'s time. The first sort is
    # numpy's default (SIMD) one, 4x its stable sort at 300k: equally near tracks (the same
    # song on two albums) come in no particular order, the same one for the same input.
    by_distance = np.argsort(own)
    order = by_distance[np.argsort(labels[by_distance].astype(np.int16), kind="stable")]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    axes = matrix.axes
    traits = _traits(matrix, means, scope_mean.to_numpy(), scope_std.to_numpy())
    clusters = tuple(
        ClusterInfo(number=i + 1, size=int(sizes[i]), share=float(sizes[i] / n),
                    name=", ".join(traits[i]) if traits[i] else "Typical of the scope",
                    traits=tuple(traits[i]),
                    representative_ids=tuple(track_ids[order[starts[i]:starts[i] +
                                                             N_REPRESENTATIVES]].tolist()))
        for i in range(k))
    return ClusterResult(
        features=matrix.features, columns=tuple(columns), column_titles=tuple(matrix.column_title),
        scaling=matrix.scaling, scaling_text=matrix.scaling_text, k=k, k_mode=k_mode,
        algorithm=algorithm, seed=seed, n_scope=len(matrix.kept), n_used=n,
        missing=dict(matrix.missing), unavailable=matrix.unavailable,
        track_ids=track_ids, rows=np.flatnonzero(matrix.kept), labels=labels,
        distances=own, projection=axes.projection, centroid_projection=axes.place(centres),
        centres_scaled=centres, centroids=centroids, scope_mean=scope_mean, scope_std=scope_std,
        clusters=clusters,
        axis_names=axes.names, axis_names_low=axes.names_low, explained=axes.explained,
        k_curve=curve,
        curve_sample=curve_n, k_reason=k_reason, _order=order, _starts=starts)


def _group_sums(out: np.ndarray, labels: np.ndarray, raw: np.ndarray) -> None:
    for j in range(raw.shape[1]):
        out[:, j] = np.bincount(labels, weights=raw[:, j], minlength=out.shape[0])


def _traits(matrix: FeatureMatrix, means: np.ndarray, scope_mean: np.ndarray,
            scope_std: np.ndarray, *, top: int = 3, threshold: float = 0.25
            ) -> list[list[str]]:
    """Per cluster, adjectives of its most distinctive columns vs the scope (|z| ≥ threshold).

    One adjective per feature (one category per one-hot group, only where it is more common than
    in the scope). Clusters that would share a name get one more word: what sets each apart from
    the others of that name ("more Acoustic" when it is only relatively so).
    """
    std = np.where(scope_std > 0, scope_std, np.inf)
    z = (means - scope_mean) / std
    ranked: list[list[tuple[float, str]]] = []
    for i in range(len(means)):
        seen: set[str] = set()
        cand: list[tuple[float, str]] = []
        for j in np.argsort(-np.abs(z[i]), kind="stable"):
            feat = matrix.column_feature[j]
            if abs(z[i, j]) < threshold or feat in seen:
                continue
            if CATALOG[feat].onehot and z[i, j] < 0:
                continue
            seen.add(feat)
            cand.append((float(z[i, j]), matrix.high[j] if z[i, j] > 0 else matrix.low[j]))
        ranked.append(cand)
    names = [[a for _, a in c[:top]] for c in ranked]
    groups: dict[str, list[int]] = {}
    for i, n in enumerate(names):
        groups.setdefault(", ".join(n), []).append(i)
    for ids in groups.values():
        if len(ids) < 2:
            continue
        # Same name: add what sets each one apart from the others with that name.
        local = (means[ids] - means[ids].mean(axis=0)) / std
        for row, i in enumerate(ids):
            used = {a for a in names[i]}
            for j in np.argsort(-np.abs(local[row]), kind="stable"):
                if abs(local[row, j]) < 1e-9:
                    break
                if CATALOG[matrix.column_feature[j]].onehot and local[row, j] < 0:
                    continue
                word = matrix.high[j] if local[row, j] > 0 else matrix.low[j]
                if word not in used:
                    names[i] = names[i] + [("more " if z[i, j] * local[row, j] <= 0 or
                                            abs(z[i, j]) < threshold else "") + word]
                    break
    return names


# ---------------------------------------------------------------------------------------------
# Small frames for charts

def profile_frame(result: ClusterResult, *, max_categories: int = 3) -> pd.DataFrame:
    """Centroid vs scope mean per cluster and column, long format.

    Columns: cluster (1-based), column, title, cluster_value, scope_value (raw units), z
    ((cluster − scope) / scope std), cluster_pos, scope_pos (0–1 positions for plotting: raw for
    0–1 columns, else by the scope's mean ± 2 std). One-hot groups keep, per cluster, the
    ``max_categories`` categories that differ most.
    """
    rows = []
    mean = result.scope_mean
    std = result.scope_std
    for i, c in enumerate(result.clusters):
        per_group: dict[str, list[dict[str, Any]]] = {}
        for col, title in zip(result.columns, result.column_titles):
            feat = CATALOG[col.split(":", 1)[0]]
            v, m, s = float(result.centroids.iloc[i][col]), float(mean[col]), float(std[col])
            z = (v - m) / s if s > 0 else 0.0
            if feat.unit_scale:
                cpos, spos = v, m
            else:
                lo, hi = m - 2 * s, m + 2 * s
                width = hi - lo if hi > lo else 1.0
                cpos, spos = (v - lo) / width, (m - lo) / width
            per_group.setdefault(feat.name, []).append({
                "cluster": c.number, "column": col, "title": title, "cluster_value": v,
                "scope_value": m, "z": z, "cluster_pos": float(np.clip(cpos, 0, 1)),
                "scope_pos": float(np.clip(spos, 0, 1))})
        for name, items in per_group.items():
            if CATALOG[name].onehot:
                items = sorted(items, key=lambda r: -abs(r["cluster_value"] - r["scope_value"]))
                items = items[:max_categories]
            rows.extend(items)
    return pd.DataFrame(rows, columns=["cluster", "column", "title", "cluster_value",
                                       "scope_value", "z", "cluster_pos", "scope_pos"])


def scatter_sample(labels: np.ndarray, max_points: int = SCATTER_MAX_POINTS, *,
                   seed: int = DEFAULT_SEED, min_per_cluster: int = 50) -> np.ndarray:
    """Positions of at most ``max_points`` tracks, stratified by cluster (sorted).

    Every cluster keeps a share proportional to its size but at least ``min_per_cluster``
    tracks (or all of them), so small clusters stay visible. All positions when n ≤ max_points.
    """
    n = len(labels)
    if n <= max_points:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    k = int(labels.max()) + 1 if n else 0
    sizes = np.bincount(labels, minlength=k)
    quota = np.maximum(np.minimum(sizes, min_per_cluster),
                       np.floor(sizes / n * max_points).astype(int))
    while quota.sum() > max_points:  # the minimums pushed it over: trim the biggest
        quota[np.argmax(quota)] -= quota.sum() - max_points
    picked = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        picked.append(rng.choice(members, size=min(quota[c], len(members)), replace=False))
    return np.sort(np.concatenate(picked)) if picked else np.arange(0)


def scatter_frame(result: ClusterResult, tracks: pd.DataFrame,
                  max_points: int = SCATTER_MAX_POINTS) -> pd.DataFrame:
    """The points to plot: x, y, cluster label, track name, artists, album, label and the chosen
    scalar features (raw, rounded). ``tracks`` is the frame that was clustered."""
    pos = scatter_sample(result.labels, max_points, seed=result.seed)
    # The four text columns only: taking every column of 5,000 rows cost ~20 ms at 300k.
    rows = tracks[["track_name", "artists", "album_name", "label"]].iloc[result.rows[pos]]
    names = np.array([result.cluster_label(i) for i in range(result.k)], dtype=object)
    # Compact columns: float32 numbers, repeated strings as categoricals (Arrow dictionaries).
    out = pd.DataFrame({
        "x": np.round(result.projection[pos, 0], 3).astype(np.float32),
        "y": np.round(result.projection[pos, 1], 3).astype(np.float32),
        "cluster": pd.Categorical(names[result.labels[pos]], categories=list(names)),
        "track": rows["track_name"].to_numpy(),
        "artists": pd.Categorical(rows["artists"].to_numpy()),
        "album": pd.Categorical(rows["album_name"].to_numpy()),
        "label": pd.Categorical(rows["label"].to_numpy()),
    })
    for col in result.columns:
        if ":" in col:
            continue
        values = result_column_values(result, tracks, col, pos)
        out[col] = np.round(values, 3).astype(np.float32)
    return out


def result_column_values(result: ClusterResult, tracks: pd.DataFrame, column: str,
                         positions: np.ndarray) -> np.ndarray:
    """Raw values of one scalar feature for the given result positions."""
    feat = CATALOG[column]
    values = tracks[feat.column].iloc[result.rows[positions]]
    if feat.name == "explicit":
        return values.astype(float).to_numpy()
    out = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    return out / 60_000.0 if feat.name == "duration" else out


def centroid_frame(result: ClusterResult) -> pd.DataFrame:
    """Centroids in the scatter's coordinates: x, y, cluster label, size."""
    return pd.DataFrame({
        "x": result.centroid_projection[:, 0].astype(float),
        "y": result.centroid_projection[:, 1].astype(float),
        "cluster": [result.cluster_label(i) for i in range(result.k)],
        "size": [c.size for c in result.clusters],
    })


def label_cluster_counts(result: ClusterResult, tracks: pd.DataFrame, *,
                         top: int = 15) -> pd.DataFrame:
    """Tracks per (label, cluster) for the ``top`` biggest labels of the clustered tracks.

    Columns: label, cluster (label text), number, tracks, share_of_label, share_of_cluster.
    Uses each track's first standardised label.
    """
    # Counted on integer codes (factorised once, then bincount) rather than on 300k label
    # strings: a crosstab of strings took ~140 ms of every new k at 300k tracks.
    codes, names = pd.factorize(tracks["label"], use_na_sentinel=True)
    codes = codes[result.rows]
    known = codes >= 0
    if not known.any():
        return pd.DataFrame(columns=["label", "cluster", "number", "tracks", "share_of_label",
                                     "share_of_cluster"])
    codes, numbers = codes[known], result.labels[known]
    per_label = np.bincount(codes, minlength=len(names))
    present = np.flatnonzero(per_label)
    # Biggest first; ties in label order.
    present = present[np.argsort(np.asarray(names[present], dtype=str), kind="stable")]
    top_codes = present[np.argsort(-per_label[present], kind="stable")][:top]
    table = np.bincount(codes * result.k + numbers,
                        minlength=len(names) * result.k).reshape(len(names), result.k)[top_codes]
    long = pd.DataFrame({
        "label": np.repeat(np.asarray(names[top_codes], dtype=object), result.k),
        "number": np.tile(np.arange(1, result.k + 1), len(top_codes)),
        "tracks": table.ravel(),
    })
    long["share_of_label"] = long["tracks"] / np.repeat(per_label[top_codes], result.k)
    sizes = np.array(result.sizes)
    long["share_of_cluster"] = long["tracks"] / sizes[long["number"].to_numpy() - 1]
    long["cluster"] = [result.cluster_label(i - 1) for i in long["number"]]
    return long[["label", "cluster", "number", "tracks", "share_of_label", "share_of_cluster"]]


# ---------------------------------------------------------------------------------------------
# Everything a page shows, computed once per (scope, features, k, …) and cached by ui.cache

@dataclass(frozen=True)
class ClusterView:
    """A clustering plus the small frames its page draws (all bounded in size).

    ``points``: :func:`scatter_frame` (≤ ``SCATTER_MAX_POINTS`` rows, ``sampled`` says whether
    it is a sample); ``centroid_points``: :func:`centroid_frame`; ``profiles``:
    :func:`profile_frame`; ``heatmap``: :func:`label_cluster_counts` (empty when not asked for);
    ``representatives``: :func:`representative_rows`.
    """

    result: ClusterResult
    points: pd.DataFrame
    centroid_points: pd.DataFrame
    profiles: pd.DataFrame
    heatmap: pd.DataFrame
    sampled: bool
    representatives: pd.DataFrame


def representative_rows(result: ClusterResult, tracks: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``tracks`` nearest each centroid (up to ``N_REPRESENTATIVES`` per cluster),
    cluster by cluster, nearest first, with a 0-based ``cluster`` column."""
    positions = [result.member_positions(i)[:N_REPRESENTATIVES] for i in range(result.k)]
    flat = np.concatenate(positions) if positions else np.arange(0)
    out = tracks.iloc[result.rows[flat]].copy()
    out["cluster"] = np.repeat(np.arange(result.k), [len(p) for p in positions])
    return out


def cluster_view(tracks: pd.DataFrame, matrix: FeatureMatrix, k: int | str, *,
                 algorithm: str = "auto", seed: int = DEFAULT_SEED,
                 curve: tuple[pd.DataFrame, int] | None = None,
                 heatmap: bool = False) -> ClusterView:
    """Cluster ``matrix`` (built from ``tracks``) and prepare the page's frames."""
    track_ids = track_id_array(tracks["track_id"])[matrix.kept]
    result = cluster_matrix(matrix, k, track_ids=track_ids, algorithm=algorithm, seed=seed,
                            curve=curve)
    return ClusterView(
        result=result, points=scatter_frame(result, tracks), centroid_points=centroid_frame(result),
        profiles=profile_frame(result),
        heatmap=label_cluster_counts(result, tracks) if heatmap else pd.DataFrame(
            columns=["label", "cluster", "number", "tracks", "share_of_label",
                     "share_of_cluster"]),
        sampled=result.n_used > SCATTER_MAX_POINTS,
        representatives=representative_rows(result, tracks))


def selected_positions(result: ClusterResult, clusters: list[int] | None = None,
                       box: tuple[tuple[float, float], tuple[float, float]] | None = None
                       ) -> np.ndarray:
    """Positions of the clustered tracks in the chosen clusters (0-based, ``None`` = all) and
    inside the scatter rectangle ``box`` ((x0, x1), (y0, y1)), ordered by cluster then distance.
    """
    mask = np.ones(result.n_used, dtype=bool)
    if clusters is not None:
        mask &= np.isin(result.labels, clusters)
    if box is not None:
        (x0, x1), (y0, y1) = box
        px, py = result.projection[:, 0], result.projection[:, 1]
        mask &= (px >= min(x0, x1)) & (px <= max(x0, x1)) & (py >= min(y0, y1)) & \
            (py <= max(y0, y1))
    return result._order[mask[result._order]]


# ---------------------------------------------------------------------------------------------
# The page's query string: scope, name, k, features | preset, scaling, algorithm, seed

PARAM_KEYS: tuple[str, ...] = ("scope", "name", "k", "features", "preset", "scaling",
                               "algorithm", "seed")


@dataclass(frozen=True)
class ClusterParams:
    """What to cluster and how, as the URL says it (``/clusters?scope=label&name=X&k=3``)."""

    scope: Scope = Scope()
    features: tuple[str, ...] = PRESETS[DEFAULT_PRESET].features
    k: int | str = "auto"
    scaling: str = DEFAULT_SCALING
    algorithm: str = "auto"
    seed: int = DEFAULT_SEED

    @property
    def preset(self) -> str | None:
        return preset_of(self.features)

    def query_params(self) -> dict[str, str]:
        """The canonical query string (defaults for scaling, algorithm and seed left out)."""
        out = self.scope.query_params()
        out["k"] = str(self.k)
        preset = self.preset
        if preset:
            out["preset"] = preset
        else:
            out["features"] = ",".join(self.features)
        if self.scaling != DEFAULT_SCALING:
            out["scaling"] = self.scaling
        if self.algorithm != "auto":
            out["algorithm"] = self.algorithm
        if self.seed != DEFAULT_SEED:
            out["seed"] = str(self.seed)
        return out


def parse_params(params: dict[str, str]) -> tuple[ClusterParams, list[str]]:
    """Read the query string; bad values fall back to defaults with a message naming them."""
    problems: list[str] = []
    try:
        scope = Scope.from_params(params)
    except ScopeError as exc:
        problems.append(f"{exc} Showing the whole library instead.")
        scope = Scope()
    features = PRESETS[DEFAULT_PRESET].features
    default_title = PRESETS[DEFAULT_PRESET].title
    try:
        if "features" in params:
            features = parse_features(params["features"]) or features
            if not params["features"].strip():
                problems.append(f"Choose at least one feature; showing '{default_title}'.")
        elif params.get("preset"):
            features = preset_features(params["preset"])
    except FeatureError as exc:
        problems.append(f"{exc} Showing '{default_title}' instead.")
    k: int | str = "auto"
    raw_k = (params.get("k") or "auto").strip().lower()
    if raw_k in ("auto", "original"):
        k = raw_k
    else:
        try:
            k = int(raw_k)
        except ValueError:
            problems.append(f"k must be a number from {K_MIN} to {K_MAX}, 'auto' or 'original', "
                            f"not '{raw_k}'; using auto.")
            k = "auto"
        else:
            if not K_MIN <= k <= K_MAX:
                clamped = min(max(k, K_MIN), K_MAX)
                problems.append(f"k must be from {K_MIN} to {K_MAX}, not {k}; using {clamped}.")
                k = clamped
    scaling = params.get("scaling") or DEFAULT_SCALING
    if scaling not in SCALINGS:
        problems.append(f"Unknown scaling '{scaling}' (choose one of {', '.join(SCALINGS)}); "
                        "using auto.")
        scaling = DEFAULT_SCALING
    algorithm = params.get("algorithm") or "auto"
    if algorithm not in ALGORITHMS:
        problems.append(f"Unknown algorithm '{algorithm}' (choose one of "
                        f"{', '.join(ALGORITHMS)}); using auto.")
        algorithm = "auto"
    seed = DEFAULT_SEED
    if params.get("seed"):
        try:
            seed = int(params["seed"])
            if not 0 <= seed < 2 ** 32:
                raise ValueError
        except ValueError:
            problems.append(f"The seed must be a whole number from 0 to {2 ** 32 - 1}, not "
                            f"'{params['seed']}'; using {DEFAULT_SEED}.")
            seed = DEFAULT_SEED
    return ClusterParams(scope, features, k, scaling, algorithm, seed), problems
