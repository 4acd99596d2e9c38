"""Two scopes side by side: the Compare page (``/compare?a=label:X&b=artist:Y``) and its report.

A side is any scope the Clusters page accepts, written ``kind:NAME`` (``label:Kestrel Sound``,
``artist:…``, ``playlist:…``, ``genre:…``) or ``library`` / ``liked``: :func:`parse_side`,
:func:`side_param`. :func:`compare_scopes` returns a :class:`Comparison`:

- ``summaries``: :class:`lib.analysis.entities.Summary` of each side (size, liked, years…);
- ``binned``: each side's share of tracks per bin and feature, on the library's bin edges
  (for :func:`lib.analysis.charts.feature_distribution_chart`: the distributions overlaid);
- ``effects``: per audio feature, both means and Cohen's d (difference of means over the pooled
  standard deviation) with words from a's side ("much more energetic"), largest |d| first;
- ``shared_artists`` / ``shared_albums``: what both sides contain, with tracks on each side;
- ``clusters``: one k-means over the union of both sides' tracks (lib.clusters), with the share
  of a's and b's tracks in each cluster — where the two overlap in sound and where they do not.

Everything is bounded: the clustering runs on at most :data:`CLUSTER_SAMPLE` tracks.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from lib.analysis.entities import (PROFILE_FEATURES, LibraryBasis, Summary, _binned,
                                   _feature_values, entity_url, summarize)
from lib.clusters.features import CATALOG, PRESETS, FeatureError, build_matrix
from lib.clusters.kmeans import ClusteringError, cluster_matrix
from lib.store.library import Library
from lib.store.scopes import NAMED_KINDS, Scope, ScopeError, scope_mask

# Cohen's conventional thresholds: (smallest |d|, modifier).
EFFECT_WORDS: tuple[tuple[float, str], ...] = ((0.8, "much"), (0.5, ""), (0.2, "slightly"))
COMPARE_FEATURES: tuple[str, ...] = PRESETS["sound"].features
DEFAULT_K = 4
MAX_K = 8
CLUSTER_SAMPLE = 20_000
MIN_CLUSTER_TRACKS = 10
SEED = 42


class CompareError(ValueError):
    """A side that cannot be read (the message names it and says how to write one)."""


def parse_side(text: str | None, which: str = "a") -> Scope:
    """``label:Kestrel Sound`` → Scope("label", "Kestrel Sound"); ``library``, ``liked``.

    Raises :class:`CompareError` naming the side for anything else."""
    raw = (text or "").strip()
    if not raw:
        raise CompareError(f"Side {which} is empty: write it as label:NAME, artist:NAME, "
                           "playlist:NAME, genre:NAME, library or liked.")
    kind, sep, name = raw.partition(":")
    kind = kind.strip().lower()
    try:
        if kind in NAMED_KINDS:
            return Scope(kind, name.strip() if sep else None)
        if kind in ("library", "liked"):
            if name.strip():
                raise ScopeError(f"'{kind}' takes no name.")
            return Scope(kind)
        return Scope(kind, name or None)
    except ScopeError as exc:
        raise CompareError(f"Side {which} ('{raw}'): {exc} Write it as label:NAME, "
                           "artist:NAME, playlist:NAME, genre:NAME, library or liked.") from None


def side_param(scope: Scope) -> str:
    """The URL value of a side: ``label:Kestrel Sound``, ``library``."""
    return f"{scope.kind}:{scope.name}" if scope.name else scope.kind


def compare_url(a: Scope, b: Scope | None = None, library_id: str | None = None) -> str:
    """``/compare?library=…&a=label%3AX&b=…`` (b left out to let the user pick it)."""
    params = {"library": library_id} if library_id else {}
    params["a"] = side_param(a)
    if b is not None:
        params["b"] = side_param(b)
    return "/compare?" + urlencode(params)


def side_title(scope: Scope) -> str:
    """"Kestrel Sound (label)", "Liked Songs", "the whole library"."""
    return f"{scope.name} ({scope.kind})" if scope.name else scope.title


@dataclass(frozen=True)
class Comparison:
    """Everything the Compare page shows (see the module docstring for each field).

    ``effects`` columns: feature, title, mean_a, mean_b, d, words. ``shared_artists``: name,
    tracks_a, tracks_b, page_url. ``shared_albums``: album_id, name, artist, tracks_a, tracks_b.
    ``clusters``: number, name, size, tracks_a, tracks_b, share_a, share_b (shares of each
    side's clustered tracks). ``cluster_note`` says why there is no joint clustering, or how it
    was made.
    """

    a: Scope
    b: Scope
    summary_a: Summary
    summary_b: Summary
    overlap: int
    binned: pd.DataFrame
    effects: pd.DataFrame
    shared_artists: pd.DataFrame
    shared_albums: pd.DataFrame
    clusters: pd.DataFrame
    cluster_note: str
    k: int

    @property
    def title_a(self) -> str:
        return side_title(self.a)

    @property
    def title_b(self) -> str:
        return side_title(self.b)

    def group_names(self) -> tuple[str, str]:
        """Names of the two sides in charts (distinct even when both titles are equal)."""
        a, b = f"A: {self.title_a}", f"B: {self.title_b}"
        return a, b


def effect_words(feature: str, d: float) -> str:
    """Cohen's d of a against b in words from a's side: "much more energetic", "slightly less
    danceable", "about as fast"."""
    spec = CATALOG.get(feature)
    high = spec.high.lower() if spec else feature
    low = spec.low.lower() if spec else feature
    if not np.isfinite(d):
        return ""
    size = abs(d)
    modifier = next((m for lo, m in EFFECT_WORDS if size >= lo), None)
    if modifier is None:
        return f"about as {high}"
    if d > 0:
        phrase = f"more {high}"
    elif low.startswith("not "):
        phrase = f"less {high}"
    else:
        phrase = f"more {low}"
    return f"{modifier} {phrase}".strip()


def cohens_d(a: np.ndarray, b: np.ndarray) -> float:
    """(mean a − mean b) / pooled standard deviation; NaN with fewer than 2 values a side or no
    spread."""
    a = a[~np.isnan(a)]
    b = b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    pooled = np.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1))
                     / (len(a) + len(b) - 2))
    if not pooled > 0:
        return float("nan")
    return float((a.mean() - b.mean()) / pooled)


def feature_effects(a: pd.DataFrame, b: pd.DataFrame,
                    features: tuple[str, ...] = PROFILE_FEATURES) -> pd.DataFrame:
    """Per feature: title, mean_a, mean_b, d (Cohen's), words; largest |d| first."""
    rows = []
    fa, fb = _feature_values(a, features), _feature_values(b, features)
    for f in features:
        if f not in fa:
            continue
        va = fa[f].to_numpy(dtype=float, na_value=np.nan)
        vb = fb[f].to_numpy(dtype=float, na_value=np.nan)
        d = cohens_d(va, vb)
        spec = CATALOG.get(f)
        rows.append({"feature": f, "title": spec.title if spec else f,
                     "mean_a": float(np.nanmean(va)) if np.isfinite(va).any() else np.nan,
                     "mean_b": float(np.nanmean(vb)) if np.isfinite(vb).any() else np.nan,
                     "d": d, "words": effect_words(f, d)})
    out = pd.DataFrame(rows, columns=["feature", "title", "mean_a", "mean_b", "d", "words"])
    return out.assign(_abs=out["d"].abs()).sort_values("_abs", ascending=False,
                                                       na_position="last", kind="stable") \
        .drop(columns="_abs").reset_index(drop=True)


def _artist_counts(library: Library, tracks: pd.DataFrame) -> pd.Series:
    names = dict(zip(library.artists["artist_id"], library.artists["name"]))
    counts: dict[str, int] = {}
    for ids in tracks["artist_ids"]:
        for name in dict.fromkeys(names.get(a, a) for a in ids):
            counts[name] = counts.get(name, 0) + 1
    return pd.Series(counts, dtype=int)


def shared_artists(library: Library, a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Artists credited on both sides: name, tracks_a, tracks_b, page_url (most shared first)."""
    ca, cb = _artist_counts(library, a), _artist_counts(library, b)
    both = ca.index.intersection(cb.index)
    out = pd.DataFrame({"name": both, "tracks_a": ca[both].to_numpy(),
                        "tracks_b": cb[both].to_numpy()})
    out = out.assign(_m=np.minimum(out["tracks_a"], out["tracks_b"])).sort_values(
        ["_m", "name"], ascending=[False, True]).drop(columns="_m").reset_index(drop=True)
    out["page_url"] = [entity_url("artist", n) for n in out["name"]]
    return out


def shared_albums(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Albums with tracks on both sides: album_id, name, artist, tracks_a, tracks_b."""
    ga = a.groupby("album_id").agg(name=("album_name", "first"),
                                   artist=("primary_artist", "first"),
                                   tracks_a=("track_id", "size"))
    gb = b.groupby("album_id").agg(tracks_b=("track_id", "size"))
    out = ga.join(gb, how="inner").reset_index()
    return out.sort_values(["tracks_a", "tracks_b", "name"], ascending=[False, False, True],
                           ignore_index=True)[["album_id", "name", "artist", "tracks_a",
                                               "tracks_b"]]


CLUSTER_COLUMNS = ["number", "name", "size", "tracks_a", "tracks_b", "share_a", "share_b"]


def joint_clusters(a: pd.DataFrame, b: pd.DataFrame, k: int = DEFAULT_K, *,
                   features: tuple[str, ...] = COMPARE_FEATURES, seed: int = SEED
                   ) -> tuple[pd.DataFrame, str, int]:
    """One k-means over the union of both sides (a track on both sides counts for both).

    Returns (frame with :data:`CLUSTER_COLUMNS`, a sentence saying how it was made or why there
    is none, the k used). At most :data:`CLUSTER_SAMPLE` tracks are clustered (a random
    sample beyond that).
    """
    empty = pd.DataFrame(columns=CLUSTER_COLUMNS)
    union = pd.concat([a, b]).drop_duplicates("track_id")
    if len(union) > CLUSTER_SAMPLE:
        union = union.sample(CLUSTER_SAMPLE, random_state=seed)
    try:
        matrix = build_matrix(union, features, "standard")
    except FeatureError:
        return empty, "Neither side has audio features to cluster on.", 0
    if matrix.n_tracks < MIN_CLUSTER_TRACKS:
        return empty, (f"Only {matrix.n_tracks} of the tracks have audio features: clustering "
                       f"them together needs at least {MIN_CLUSTER_TRACKS}."), 0
    k = int(min(max(2, k), MAX_K, matrix.n_tracks - 1))
    ids = union["track_id"].to_numpy()[matrix.kept]
    try:
        result = cluster_matrix(matrix, k, track_ids=ids, seed=seed)
    except ClusteringError as exc:
        return empty, str(exc), 0
    in_a = pd.Index(ids).isin(a["track_id"])  # hash lookups (np.isin sorts the strings)
    in_b = pd.Index(ids).isin(b["track_id"])
    na, nb = max(int(in_a.sum()), 1), max(int(in_b.sum()), 1)
    rows = []
    for i, info in enumerate(result.clusters):
        members = result.labels == i
        ta, tb = int((members & in_a).sum()), int((members & in_b).sum())
        rows.append({"number": info.number, "name": info.name, "size": info.size,
                     "tracks_a": ta, "tracks_b": tb, "share_a": ta / na, "share_b": tb / nb})
    sampled = f" (a random sample of {len(union):,})" if len(union) == CLUSTER_SAMPLE else ""
    note = (f"One k-means of the {result.n_used:,} tracks of both sides with audio features"
            f"{sampled} into {k} clusters, on {', '.join(CATALOG[f].title for f in result.features)}"
            " (standardised).")
    return pd.DataFrame(rows, columns=CLUSTER_COLUMNS), note, k


def compare_scopes(library: Library, a: Scope, b: Scope, basis: LibraryBasis, *,
                   k: int = DEFAULT_K) -> Comparison:
    """Compare two scopes of the library (raises ScopeError for an unknown name)."""
    mask_a, mask_b = scope_mask(library, a), scope_mask(library, b)
    ta, tb = library.tracks[mask_a], library.tracks[mask_b]
    comparison = Comparison(a=a, b=b, summary_a=summarize(ta), summary_b=summarize(tb),
                            overlap=int((mask_a & mask_b).sum()), binned=pd.DataFrame(),
                            effects=feature_effects(ta, tb, tuple(basis.stats.index)),
                            shared_artists=shared_artists(library, ta, tb),
                            shared_albums=shared_albums(ta, tb), clusters=pd.DataFrame(),
                            cluster_note="", k=0)
    name_a, name_b = comparison.group_names()
    feats = tuple(basis.edges)
    binned = pd.concat([_binned(_feature_values(ta, feats), basis.edges, name_a),
                        _binned(_feature_values(tb, feats), basis.edges, name_b)],
                       ignore_index=True)
    clusters, note, used_k = joint_clusters(ta, tb, k)
    return Comparison(**{**comparison.__dict__, "binned": binned, "clusters": clusters,
                         "cluster_note": note, "k": used_k})


def joint_cluster_chart(comparison: Comparison):
    """Grouped bars: the share of a's and of b's tracks in each joint cluster."""
    import altair as alt

    name_a, name_b = comparison.group_names()
    frame = comparison.clusters
    long = pd.DataFrame({
        "cluster": [f"#{n} {name}" for n, name in zip(frame["number"], frame["name"])] * 2,
        "side": [name_a] * len(frame) + [name_b] * len(frame),
        "share": list(frame["share_a"]) + list(frame["share_b"]),
        "tracks": list(frame["tracks_a"]) + list(frame["tracks_b"])})
    order = long["cluster"].drop_duplicates().tolist()
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("cluster:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("side:N", sort=[name_a, name_b]),
        x=alt.X("share:Q", title="Share of the side's tracks", axis=alt.Axis(format="%")),
        color=alt.Color("side:N", scale=alt.Scale(domain=[name_a, name_b],
                                                  range=["#1DB954", "#3F51B5"]),
                        legend=alt.Legend(title=None, orient="top")),
        tooltip=["side:N", "cluster:N", alt.Tooltip("share:Q", format=".0%"), "tracks:Q"],
    ).properties(height=44 * max(len(frame), 1) + 60)
