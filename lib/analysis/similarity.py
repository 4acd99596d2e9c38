"""Which labels (or artists) sound alike: distances between feature *distributions*.

A label's sound is the distribution of each audio feature over its tracks, not just the mean: a
label that releases both ballads and club tracks is not like one that only releases mid-tempo
pop, even if their average energy is the same. :func:`sound_index` describes every label or
artist with enough tracks by the quantiles of each feature, standardised by the whole library
(so tempo in BPM weighs as much as energy in 0–1). Two entities then differ on a feature by the
1-Wasserstein ("earth mover's") distance of their two distributions, approximated as the mean
absolute difference of :data:`QUANTILES` — in library standard deviations: 0 is the same
distribution, 1 is as far apart as shifting every track by one standard deviation. Their sound
distance is the mean over the features, and the similarity ``max(0, 1 − distance)``.

:func:`sounds_like` gives the closest entities of one name with a similarity in words and the
features that make them close or apart; :func:`loved_labels` and :func:`overlooked_labels` serve
the Home page. The index holds only quantiles (n × features × 19), never an n × n matrix: one
query is O(n), so it stays cheap for libraries with tens of thousands of artists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.analysis.entities import PROFILE_FEATURES, entity_url
from lib.clusters.features import CATALOG
from lib.store.library import Library

QUANTILES: np.ndarray = np.linspace(0.05, 0.95, 19)
# An entity needs this many tracks with audio features to have a sound to compare.
MIN_SOUND_TRACKS = 5
# A label needs this many tracks for its liked share and score to say something.
MIN_LOVED_TRACKS = 8
SIMILAR_KINDS: tuple[str, ...] = ("label", "artist")
# (lowest similarity, words), best first.
SIMILARITY_WORDS: tuple[tuple[float, str], ...] = (
    (0.9, "nearly identical sound"), (0.8, "very similar"), (0.7, "similar"),
    (0.55, "somewhat similar"), (0.0, "only loosely alike"))
# Per-feature distance (library standard deviations) under which a feature counts as shared,
# and over which it counts as setting the two apart.
ALIKE_BELOW = 0.15
APART_ABOVE = 0.3


@dataclass(frozen=True)
class SoundIndex:
    """The sound of every label or artist with enough tracks.

    ``names``: entities with at least ``min_tracks`` tracks with audio features (most tracks
    first); ``counts``: those tracks per entity; ``quantiles``: (entities × features × quantiles)
    of the standardised features; ``medians``: (entities × features) in raw units;
    ``sizes``: tracks with audio features of *every* entity of the kind (names the sentence for
    the ones below the threshold).
    """

    kind: str
    names: tuple[str, ...]
    counts: np.ndarray
    features: tuple[str, ...]
    quantiles: np.ndarray
    medians: np.ndarray
    sizes: dict[str, int]
    min_tracks: int

    def position(self, name: str) -> int | None:
        try:
            return self.names.index(name)
        except ValueError:
            return None

    def distances(self, name: str) -> np.ndarray:
        """Per-feature distances (entities × features) from ``name`` to every indexed entity."""
        i = self.position(name)
        if i is None:
            raise KeyError(name)
        return np.nanmean(np.abs(self.quantiles - self.quantiles[i]), axis=2)


def _pairs(library: Library, kind: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position into ``rows``, entity name) for every track and each of its labels/artists
    (an artist credited twice under one name counts once)."""
    if kind not in SIMILAR_KINDS:
        raise ValueError(f"Sound similarity works for {', '.join(SIMILAR_KINDS)}, not '{kind}'.")
    # Only the one column, by position: taking rows of the whole (Arrow-backed) frame costs
    # seconds at 300k tracks.
    lists = library.tracks["labels" if kind == "label" else "artist_ids"].to_numpy()[rows]
    lens = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
    items = [x for v in lists for x in v]
    if kind == "artist":
        names = dict(zip(library.artists["artist_id"], library.artists["name"]))
        items = [names.get(a, a) for a in items]
    pairs = pd.DataFrame({"pos": np.repeat(np.arange(len(lists)), lens), "name": items})
    if kind == "artist":
        pairs = pairs.drop_duplicates()
    return pairs["pos"].to_numpy(), pairs["name"].to_numpy(dtype=object)


def _group_quantiles(values: np.ndarray, group: np.ndarray, n_groups: int,
                     probs: np.ndarray) -> np.ndarray:
    """Per group, the ``probs`` quantiles of ``values`` ignoring NaN (linear interpolation, as
    ``np.nanquantile``): (n_groups × len(probs)); NaN for a group without values. One sort for
    all groups instead of one call per group."""
    # One float sort by (group, value): the group number plus the value squeezed monotonically
    # into [0, 0.999) (NaN just above, so last in its group). Much cheaper than a two-key
    # lexsort; the quantiles interpolate the exact values.
    squeezed = np.where(np.isnan(values), 0.9995, 0.4995 * (1 + np.tanh(values / 4)))
    order = np.argsort(group + squeezed)
    ordered = values[order]
    counts = np.bincount(group, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    valid = np.bincount(group, weights=~np.isnan(values), minlength=n_groups).astype(int)
    pos = starts[:, None] + probs[None, :] * np.maximum(valid - 1, 0)[:, None]
    if len(ordered) == 0:
        return np.full((n_groups, len(probs)), np.nan)
    last = len(ordered) - 1                      # groups without rows read anything: NaN below
    lo = np.minimum(np.floor(pos).astype(int), last)
    hi = np.minimum(np.minimum(np.ceil(pos).astype(int),
                               np.maximum(starts + valid - 1, 0)[:, None]), last)
    frac = pos - np.floor(pos)
    out = ordered[lo] * (1 - frac) + ordered[hi] * frac
    out[valid == 0] = np.nan
    return out


def sound_index(library: Library, kind: str, *, min_tracks: int = MIN_SOUND_TRACKS,
                features: tuple[str, ...] = PROFILE_FEATURES) -> SoundIndex:
    """Describe every ``kind`` entity ("label" or "artist") by its feature distributions.

    Features are standardised by the library's mean and standard deviation over tracks with
    audio features; entities with fewer than ``min_tracks`` such tracks are only counted.
    """
    tracks = library.tracks
    feats = tuple(f for f in features if f in tracks.columns)
    has = tracks["has_features"].to_numpy(dtype=bool) if "has_features" in tracks \
        else np.ones(len(tracks), dtype=bool)
    rows = np.flatnonzero(has)
    raw = tracks[list(feats)].to_numpy(dtype=float, na_value=np.nan)[rows] \
        if len(rows) else np.empty((0, len(feats)))
    if kind not in SIMILAR_KINDS:
        raise ValueError(f"Sound similarity works for {', '.join(SIMILAR_KINDS)}, not '{kind}'.")
    with np.errstate(all="ignore"):
        mean = np.nanmean(raw, axis=0) if len(raw) else np.zeros(len(feats))
        std = np.nanstd(raw, axis=0) if len(raw) else np.ones(len(feats))
    mean = np.where(np.isfinite(mean), mean, 0.0)
    std = np.where(np.isfinite(std) & (std > 0), std, 1.0)
    z = (raw - mean) / std
    pos, names = _pairs(library, kind, rows) if len(rows) else (np.zeros(0, int),
                                                                np.zeros(0, object))
    codes, uniques = pd.factorize(names)
    counts = np.bincount(codes, minlength=len(uniques))
    sizes = {str(n): int(c) for n, c in zip(uniques, counts)}
    kept = sorted((n for n, c in sizes.items() if c >= min_tracks), key=lambda n: (-sizes[n], n))
    slot = {n: i for i, n in enumerate(kept)}
    group = np.array([slot.get(n, -1) for n in uniques], dtype=int)[codes] if len(codes) \
        else np.zeros(0, int)
    take = group >= 0
    q = np.empty((len(kept), len(feats), len(QUANTILES)))
    med = np.empty((len(kept), len(feats)))
    probs = np.append(QUANTILES, 0.5)  # the quantiles and the median, from one sort
    for j in range(len(feats)):
        both = _group_quantiles(z[pos[take], j], group[take], len(kept), probs)
        q[:, j, :] = both[:, :-1]
        med[:, j] = both[:, -1] * std[j] + mean[j]
    return SoundIndex(kind=kind, names=tuple(kept),
                      counts=np.array([sizes[n] for n in kept], dtype=int), features=feats,
                      quantiles=q, medians=med, sizes=sizes, min_tracks=min_tracks)


def similarity_words(similarity: float) -> str:
    """"very similar" etc. for a similarity in 0–1 (see :data:`SIMILARITY_WORDS`)."""
    for low, words in SIMILARITY_WORDS:
        if similarity >= low:
            return words
    return SIMILARITY_WORDS[-1][1]


def _feature_title(f: str) -> str:
    spec = CATALOG.get(f)
    return spec.title.lower() if spec else f


def _adjective(f: str, higher: bool) -> str:
    """"more danceable" / "less danceable" / "more acoustic" for a higher/lower value."""
    spec = CATALOG.get(f)
    if not spec:
        return f"{'higher' if higher else 'lower'} {f}"
    if higher:
        return f"more {spec.high.lower()}"
    if spec.low.lower().startswith("not "):
        return f"less {spec.high.lower()}"
    return f"more {spec.low.lower()}"


def explain_pair(index: SoundIndex, per_feature: np.ndarray, a: int, b: int) -> tuple[str, str]:
    """(alike, apart) texts for entities ``a`` and ``b`` given their per-feature distances:
    "energy, tempo" and "more acoustic, more sad" (from b's point of view against a)."""
    order = np.argsort(per_feature, kind="stable")
    alike = [_feature_title(index.features[j]) for j in order[:3]
             if per_feature[j] < ALIKE_BELOW]
    apart = []
    for j in order[::-1][:2]:
        if not per_feature[j] > APART_ABOVE:
            break
        higher = index.medians[b, j] > index.medians[a, j]
        apart.append(_adjective(index.features[j], higher))
    return ", ".join(alike), ", ".join(apart)


@dataclass(frozen=True)
class SoundsLike:
    """The answer for one entity: ``closest`` (name, tracks, distance, similarity, words, alike,
    apart, page_url; closest first) or, when the entity cannot be compared, ``message``."""

    kind: str
    name: str
    closest: pd.DataFrame
    message: str = ""


CLOSEST_COLUMNS = ["name", "tracks", "distance", "similarity", "words", "alike", "apart",
                   "page_url"]


def sounds_like(index: SoundIndex, name: str, n: int = 5) -> SoundsLike:
    """The ``n`` entities of the index closest in sound to ``name`` (never ``name`` itself)."""
    empty = pd.DataFrame(columns=CLOSEST_COLUMNS)
    i = index.position(name)
    if i is None:
        have = index.sizes.get(name, 0)
        what = "no tracks" if have == 0 else f"only {have} track{'s' if have != 1 else ''}"
        return SoundsLike(index.kind, name, empty,
                          f"{name} has {what} with audio features; comparing sounds needs at "
                          f"least {index.min_tracks}.")
    if len(index.names) < 2:
        return SoundsLike(index.kind, name, empty,
                          f"No other {index.kind} of this library has {index.min_tracks} or "
                          f"more tracks with audio features to compare with.")
    per = index.distances(name)
    total = np.nanmean(per, axis=1)
    total[i] = np.inf
    order = np.argsort(total, kind="stable")[:min(n, len(index.names) - 1)]
    rows = []
    for j in order:
        sim = float(max(0.0, 1.0 - total[j]))
        alike, apart = explain_pair(index, per[j], i, j)
        rows.append({"name": index.names[j], "tracks": int(index.counts[j]),
                     "distance": float(total[j]), "similarity": sim,
                     "words": similarity_words(sim), "alike": alike, "apart": apart,
                     "page_url": entity_url(index.kind, index.names[j])})
    return SoundsLike(index.kind, name, pd.DataFrame(rows, columns=CLOSEST_COLUMNS))


# -- Home: loved and overlooked labels ------------------------------------------------------------
LABEL_STATS_COLUMNS = ["label", "tracks", "liked", "liked_share", "score", "score_per_track",
                       "love", "page_url"]


def label_stats(library: Library) -> pd.DataFrame:
    """Per label: tracks, liked, liked_share, score (minutes listened), score_per_track, and
    ``love`` — the mean of the label's percentile ranks by liked share and by score per track
    among labels with at least :data:`MIN_LOVED_TRACKS` tracks (NaN below that)."""
    tracks = library.tracks
    lens = np.fromiter((len(v) for v in tracks["labels"]), dtype=np.int64, count=len(tracks))
    per = pd.DataFrame({
        "label": [x for v in tracks["labels"] for x in v],
        "liked": np.repeat(tracks["liked"].to_numpy(dtype=bool), lens),
        "score": np.repeat(tracks["score"].to_numpy(dtype=float), lens)})
    if per.empty:
        return pd.DataFrame(columns=LABEL_STATS_COLUMNS)
    out = per.groupby("label").agg(tracks=("label", "size"), liked=("liked", "sum"),
                                   score=("score", "sum")).reset_index()
    out["liked"] = out["liked"].astype(int)
    out["liked_share"] = out["liked"] / out["tracks"]
    out["score_per_track"] = out["score"] / out["tracks"]
    enough = out["tracks"] >= MIN_LOVED_TRACKS
    ranks = (out.loc[enough, "liked_share"].rank(pct=True)
             + out.loc[enough, "score_per_track"].rank(pct=True)) / 2
    out["love"] = ranks.reindex(out.index)
    out["page_url"] = [entity_url("label", n) for n in out["label"]]
    return out[LABEL_STATS_COLUMNS]


def loved_labels(stats: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The labels you love most: highest ``love`` (liked share and score per track) among labels
    with enough tracks; at least one liked track or some listening. Columns as label_stats."""
    loved = stats.dropna(subset=["love"])
    loved = loved[(loved["liked"] > 0) | (loved["score"] > 0)]
    return loved.sort_values(["love", "tracks", "label"], ascending=[False, False, True]) \
        .head(n).reset_index(drop=True)


OVERLOOKED_COLUMNS = ["label", "tracks", "liked_share", "score_per_track", "like", "similarity",
                      "words", "alike", "page_url", "like_url"]


def overlooked_labels(index: SoundIndex, stats: pd.DataFrame, loved: pd.DataFrame,
                      n: int = 5) -> pd.DataFrame:
    """Labels close in sound to a loved one but little liked or played so far: liked share and
    score per track both at or below the library's median label, closest to a loved label
    first. ``like`` names the loved label it sounds like (``like_url`` its page)."""
    if loved.empty or index.kind != "label":
        return pd.DataFrame(columns=OVERLOOKED_COLUMNS)
    known = stats.set_index("label")
    med_share = float(stats["liked_share"].median())
    med_score = float(stats["score_per_track"].median())
    candidates = [name for name in index.names
                  if name in known.index and name not in set(loved["label"])
                  and known.at[name, "liked_share"] <= med_share
                  and known.at[name, "score_per_track"] <= med_score]
    if not candidates:
        return pd.DataFrame(columns=OVERLOOKED_COLUMNS)
    cand_pos = np.array([index.position(c) for c in candidates])
    best: dict[str, tuple[float, str, np.ndarray]] = {}
    for lname in loved["label"]:
        if index.position(lname) is None:
            continue
        per = index.distances(lname)[cand_pos]
        total = np.nanmean(per, axis=1)
        for c, d, p in zip(candidates, total, per):
            if c not in best or d < best[c][0]:
                best[c] = (float(d), lname, p)
    rows = []
    for c, (d, lname, p) in sorted(best.items(), key=lambda kv: (kv[1][0], kv[0]))[:n]:
        sim = max(0.0, 1.0 - d)
        alike, _ = explain_pair(index, p, index.position(lname), index.position(c))
        rows.append({"label": c, "tracks": int(known.at[c, "tracks"]),
                     "liked_share": float(known.at[c, "liked_share"]),
                     "score_per_track": float(known.at[c, "score_per_track"]), "like": lname,
                     "similarity": sim, "words": similarity_words(sim), "alike": alike,
                     "page_url": entity_url("label", c), "like_url": entity_url("label", lname)})
    return pd.DataFrame(rows, columns=OVERLOOKED_COLUMNS)
