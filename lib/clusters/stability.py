"""How far to trust a clustering: re-fit it on resamples with other seeds and see what holds.

:func:`cluster_stability` takes the scaled matrix k-means saw and the labels it gave, draws
``n_refits`` subsamples (80 % of a sample of at most :data:`STABILITY_SAMPLE` tracks, so the cost
is bounded at any scope size), fits k-means with a different seed on each and assigns the sample
to the new centres. Then:

- per cluster, the Jaccard similarity of its tracks and the best-matching re-fitted cluster
  (Hennig's "clusterboot" measure): a cluster *holds together* in a re-fit when that is at least
  :data:`HOLDS_JACCARD` (0.75); "cluster 3 holds together in 9 of 10 re-fits";
- overall, the adjusted Rand index between the clustering and each re-fit (1 = the same
  partition, 0 = no better than chance), averaged, in words;
- the silhouette of the clustering on the sample. The clustering is flagged as *mostly noise*
  (slices of a continuum rather than groups) when re-fits agree poorly (mean ARI below
  :data:`NOISE_ARI`) or the silhouette is below :data:`NOISE_SILHOUETTE`; a silhouette below
  :data:`WEAK_SILHOUETTE` (no substantial structure, after Kaufman & Rousseeuw) with stable
  re-fits is called weak: reproducible borders through a continuum.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.clusters.kmeans import one_thread

N_REFITS = 10
STABILITY_SAMPLE = 2_000
SUBSAMPLE_SHARE = 0.8
HOLDS_JACCARD = 0.75
NOISE_SILHOUETTE = 0.15
WEAK_SILHOUETTE = 0.25
NOISE_ARI = 0.6
# (lowest mean ARI, words), best first.
ARI_WORDS: tuple[tuple[float, str], ...] = (
    (0.9, "very stable: re-fits find almost exactly the same clusters"),
    (0.75, "stable: re-fits find mostly the same clusters"),
    (0.6, "fairly stable: the main groups come back, their borders move"),
    (0.4, "unstable: re-fits often split the tracks differently"),
    (-1.0, "very unstable: re-fits split the tracks differently every time"))

CLUSTER_COLUMNS = ["number", "name", "holds", "refits", "jaccard", "words"]


@dataclass(frozen=True)
class Stability:
    """The stability of one clustering.

    ``clusters``: per cluster (1-based ``number``), ``holds`` (re-fits where its best Jaccard ≥
    0.75) of ``refits``, mean best ``jaccard`` and ``words``; ``ari``: mean adjusted Rand
    index; ``silhouette`` on the sample; ``sample``: tracks the measure used; ``noise``: the
    warning applies; ``summary``/``warning``: sentences for pages and reports.
    """

    clusters: pd.DataFrame
    ari: float
    silhouette: float
    sample: int
    n_refits: int
    noise: bool
    summary: str
    warning: str

    def sentence(self, number: int) -> str:
        """"Cluster 3 holds together in 9 of 10 re-fits (Jaccard 0.91)."."""
        row = self.clusters[self.clusters["number"] == number].iloc[0]
        return (f"Cluster {number} holds together in {int(row['holds'])} of "
                f"{int(row['refits'])} re-fits (Jaccard {row['jaccard']:.2f}).")


def ari_words(ari: float) -> str:
    return next(words for low, words in ARI_WORDS if ari >= low)


def _cluster_words(holds: int, refits: int) -> str:
    share = holds / refits if refits else 0.0
    if share >= 0.9:
        return "solid"
    if share >= 0.6:
        return "mostly holds"
    if share >= 0.3:
        return "shaky"
    return "dissolves"


def cluster_stability(values: np.ndarray, labels: np.ndarray, k: int, *, seed: int = 42,
                      n_refits: int = N_REFITS, sample: int = STABILITY_SAMPLE,
                      names: list[str] | None = None) -> Stability:
    """Measure the stability of a k-means clustering (see the module docstring).

    ``values``: the scaled matrix (n × d) that was clustered; ``labels``: its 0-based cluster of
    each row; ``names``: cluster names for the table (default "Cluster i"). Deterministic for a
    seed. Cost: ``n_refits`` k-means fits on at most ``0.8 × sample`` rows.
    """
    # Imported here, like lib.clusters.kmeans: pages that never cluster skip scikit-learn.
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, silhouette_score

    labels = np.asarray(labels)
    n = len(values)
    rng = np.random.default_rng(seed)
    idx = np.sort(rng.choice(n, size=sample, replace=False)) if n > sample else np.arange(n)
    x, ref = values[idx], labels[idx]
    m = len(x)
    take = max(k + 1, int(round(SUBSAMPLE_SHARE * m)))
    jaccard = np.zeros((n_refits, k))
    aris = np.zeros(n_refits)
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore")
        for r in range(n_refits):
            sub = np.sort(rng.choice(m, size=min(take, m), replace=False))
            model = KMeans(n_clusters=k, n_init=1, random_state=seed + 1 + r).fit(x[sub])
            new = model.predict(x)
            aris[r] = adjusted_rand_score(ref, new)
            a, b = ref[sub], new[sub]
            for i in range(k):
                in_i = a == i
                if not in_i.any():
                    continue
                best = 0.0
                for j in np.unique(b[in_i]):
                    in_j = b == j
                    inter = np.count_nonzero(in_i & in_j)
                    best = max(best, inter / np.count_nonzero(in_i | in_j))
                jaccard[r, i] = best
        sil = float(silhouette_score(x, ref)) if len(np.unique(ref)) > 1 and m > k else 0.0
    holds = (jaccard >= HOLDS_JACCARD).sum(axis=0)
    names = names or [f"Cluster {i + 1}" for i in range(k)]
    table = pd.DataFrame({
        "number": np.arange(1, k + 1), "name": names[:k], "holds": holds.astype(int),
        "refits": n_refits, "jaccard": jaccard.mean(axis=0),
        "words": [_cluster_words(int(h), n_refits) for h in holds]}, columns=CLUSTER_COLUMNS)
    ari = float(aris.mean())
    noise = sil < NOISE_SILHOUETTE or ari < NOISE_ARI
    solid = int((holds >= 0.9 * n_refits).sum())
    sampled = f" on a random sample of {m:,} tracks" if m < n else ""
    summary = (f"Re-fitted {n_refits} times on 80 % resamples with other seeds{sampled}: "
               f"{ari_words(ari)} (adjusted Rand index {ari:.2f}). {solid} of {k} clusters hold "
               f"together in at least {int(np.ceil(0.9 * n_refits))} of {n_refits} re-fits.")
    if not noise and sil < WEAK_SILHOUETTE:
        summary += (f" The groups are weak, though (silhouette {sil:.2f}): neighbouring clusters "
                    "blend into each other, so the borders are reproducible cuts through a "
                    "continuum rather than gaps.")
    warning = ""
    if noise:
        why = (f"the silhouette is only {sil:.2f}" if sil < NOISE_SILHOUETTE else
               f"re-fits agree only {ari:.0%} beyond chance")
        warning = (f"Mostly noise: these tracks do not fall into clear groups ({why}). Read the "
                   "clusters as slices of a continuum, not as distinct kinds of sound; fewer "
                   "clusters or other features may hold together better.")
    return Stability(clusters=table, ari=ari, silhouette=sil, sample=m, n_refits=n_refits,
                     noise=noise, summary=summary, warning=warning)


def result_stability(result, values: np.ndarray, **kwargs) -> Stability:
    """:func:`cluster_stability` of a :class:`lib.clusters.kmeans.ClusterResult` whose scaled
    matrix is ``values`` (its cluster names and seed)."""
    return cluster_stability(values, result.labels, result.k, seed=result.seed,
                             names=[c.name for c in result.clusters], **kwargs)
