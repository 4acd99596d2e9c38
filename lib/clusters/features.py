"""The feature catalog: what a track can be clustered on, the presets, and the scaled matrix.

A *feature* is one thing the user picks by name in the URL (``features=energy,valence,tempo``):
an audio feature (danceability … loudness), or a metadata feature (release year, duration,
popularity, explicit) or a one-hot group ("genres": the scope's top genres, "labels": its top
labels). :func:`build_matrix` turns the tracks of a scope into a numeric matrix with one or more
columns per feature, leaves out (and counts) tracks that lack a chosen feature, and scales the
columns in a way it also describes in words (:attr:`FeatureMatrix.scaling_text`), so the page can
say what it did.

Scalings (``scaling=`` in the URL):

- ``auto``: ``none`` when every chosen feature is on a 0–1 scale (the original tool's seven
  features, shares of a genre), else ``standard``.
- ``standard``: every feature centred on the scope mean and divided by its standard deviation (a
  one-hot group counts as one feature: its columns share one divisor so the whole group has unit
  variance), so tempo in BPM weighs as much as energy in 0–1.
- ``range``: every feature mapped to 0–1 by its natural range (tempo 50–220 BPM, loudness −60–0
  dB, release year and duration by the scope's 1st–99th percentile), 0–1 features unchanged.
- ``none``: raw values, centred only (what the original tool did).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

AUDIO_KIND = "audio"
METADATA_KIND = "metadata"


@dataclass(frozen=True)
class Feature:
    """One feature of the catalog.

    ``column`` is the tracks-frame column it is read from; ``high``/``low`` are the adjectives
    for a high/low value (axis and cluster names); ``value_range`` is the natural range (``None``
    when it depends on the data); ``onehot`` features expand into one 0/1 column per category.
    """

    name: str
    title: str
    kind: str
    column: str
    high: str
    low: str
    value_range: tuple[float, float] | None = (0.0, 1.0)
    unit: str = ""
    onehot: bool = False
    help: str = ""

    @property
    def unit_scale(self) -> bool:
        """True when the values already lie on a 0–1 scale."""
        return self.onehot or self.value_range == (0.0, 1.0)


CATALOG: dict[str, Feature] = {f.name: f for f in (
    Feature("danceability", "Danceability", AUDIO_KIND, "danceability", "Danceable",
            "Not danceable", help="Suitability for dancing, 0–1"),
    Feature("energy", "Energy", AUDIO_KIND, "energy", "Energetic", "Mellow",
            help="Perceived intensity, 0–1"),
    Feature("speechiness", "Speechiness", AUDIO_KIND, "speechiness", "Speechy", "Melodic",
            help="Presence of spoken words, 0–1"),
    Feature("acousticness", "Acousticness", AUDIO_KIND, "acousticness", "Acoustic",
            "Electronic", help="Confidence the track is acoustic, 0–1"),
    Feature("instrumentalness", "Instrumentalness", AUDIO_KIND, "instrumentalness",
            "Instrumental", "Vocal", help="Confidence there are no vocals, 0–1"),
    Feature("liveness", "Liveness", AUDIO_KIND, "liveness", "Live", "Produced",
            help="Presence of an audience, 0–1"),
    Feature("valence", "Valence", AUDIO_KIND, "valence", "Happy", "Sad",
            help="Musical positiveness, 0–1"),
    Feature("tempo", "Tempo", AUDIO_KIND, "tempo", "Fast", "Slow", (50.0, 220.0), "BPM",
            help="Beats per minute"),
    Feature("loudness", "Loudness", AUDIO_KIND, "loudness", "Loud", "Quiet", (-60.0, 0.0), "dB",
            help="Average loudness in dB"),
    Feature("release_year", "Release year", METADATA_KIND, "release_year", "Recent", "Older",
            None, help="Year the album was released"),
    Feature("duration", "Duration", METADATA_KIND, "duration_ms", "Long", "Short", None, "min",
            help="Track length in minutes"),
    Feature("popularity", "Popularity", METADATA_KIND, "popularity", "Popular", "Niche",
            (0.0, 100.0), help="Spotify popularity, 0–100 (not every source has it)"),
    Feature("explicit", "Explicit", METADATA_KIND, "explicit", "Explicit", "Clean",
            help="1 for explicit lyrics, 0 otherwise"),
    Feature("genres", "Top genres", METADATA_KIND, "genres", "", "", onehot=True,
            help="One 0/1 column per top genre of the scope (the primary artist's genres)"),
    Feature("labels", "Top labels", METADATA_KIND, "labels", "", "", onehot=True,
            help="One 0/1 column per top record label of the scope"),
)}

AUDIO_FEATURE_NAMES: tuple[str, ...] = tuple(n for n, f in CATALOG.items() if f.kind == AUDIO_KIND)
ORIGINAL_FEATURES: tuple[str, ...] = ("danceability", "energy", "speechiness", "acousticness",
                                      "instrumentalness", "liveness", "valence")


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    features: tuple[str, ...]
    help: str


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("sound", "Sound", ("danceability", "energy", "speechiness", "acousticness",
                              "instrumentalness", "valence", "tempo", "loudness"),
           "How tracks sound: the audio features except liveness"),
    Preset("mood", "Mood", ("valence", "energy", "danceability", "acousticness", "tempo"),
           "Happy or sad, calm or intense"),
    Preset("original", "Original (seven 0–1 features)", ORIGINAL_FEATURES,
           "The seven 0–1 audio features the original tool clustered on"),
    Preset("metadata", "Metadata only (works without audio features)",
           ("release_year", "duration", "popularity", "explicit", "genres"),
           "Release year, length, popularity, explicit and top genres"),
)}
DEFAULT_PRESET = "sound"

SCALINGS: dict[str, str] = {
    "auto": "Automatic",
    "standard": "Standardise (z-scores)",
    "range": "Natural range (0–1)",
    "none": "None (raw values, centred)",
}
DEFAULT_SCALING = "auto"
TOP_CATEGORIES = 8


class FeatureError(ValueError):
    """An unknown feature, preset or scaling name (the message names it)."""


def parse_features(text: str | None) -> tuple[str, ...]:
    """Feature names from a comma-separated query-string value, checked against the catalog."""
    names = [n.strip().lower() for n in (text or "").split(",") if n.strip()]
    unknown = [n for n in names if n not in CATALOG]
    if unknown:
        raise FeatureError(f"Unknown feature(s): {', '.join(unknown)}. Known features: "
                           f"{', '.join(CATALOG)}.")
    return tuple(dict.fromkeys(names))


def preset_features(name: str) -> tuple[str, ...]:
    if name not in PRESETS:
        raise FeatureError(f"Unknown preset '{name}': choose one of {', '.join(PRESETS)}.")
    return PRESETS[name].features


def preset_of(features: tuple[str, ...] | list[str]) -> str | None:
    """The preset whose feature set is exactly ``features`` (order ignored), if any."""
    chosen = set(features)
    for name, preset in PRESETS.items():
        if set(preset.features) == chosen:
            return name
    return None


def available_features(tracks: pd.DataFrame) -> dict[str, int]:
    """How many of ``tracks`` have a value for each catalog feature (0 = unavailable)."""
    out: dict[str, int] = {}
    for name, feat in CATALOG.items():
        if feat.column not in tracks:
            out[name] = 0
        elif feat.onehot:
            out[name] = int((tracks[feat.column].map(len) > 0).sum())
        else:
            out[name] = int(tracks[feat.column].notna().sum())
    return out


def resolve_scaling(scaling: str, features: tuple[str, ...] | list[str]) -> str:
    """The concrete scaling (``auto`` resolved) for a feature list."""
    if scaling not in SCALINGS:
        raise FeatureError(f"Unknown scaling '{scaling}': choose one of {', '.join(SCALINGS)}.")
    if scaling != "auto":
        return scaling
    return "none" if all(CATALOG[f].unit_scale for f in features) else "standard"


SCALING_TEXT = {
    "standard": "Standardised: each feature centred on the scope's mean and divided by its "
                "standard deviation (a one-hot group counts as one feature), so every feature "
                "weighs the same.",
    "range": "Natural range: each feature mapped to 0–1 by its usual range (tempo 50–220 BPM, "
             "loudness −60–0 dB, year and duration by the scope's 1st–99th percentile).",
    "none": "None: raw values, centred only, as the original tool did (all features are on a "
            "0–1 scale).",
}


@dataclass(frozen=True)
class FeatureMatrix:
    """The numeric matrix of a scope's tracks for a feature list.

    - ``values``: float64 array, one row per kept track, one column per entry of ``columns``,
      already scaled (what k-means sees).
    - ``raw``: the same columns unscaled, as a DataFrame indexed like ``values`` rows (duration in
      minutes, explicit and one-hot columns as 0/1) — for profiles and tooltips.
    - ``kept``: boolean mask over the input tracks: rows that had every chosen feature.
    - ``columns``/``column_feature``/``column_title``: column names, the feature each belongs to,
      and how to write it ("Energy", "Genre: k-pop").
    - ``high``/``low``: adjective per column for a high/low value.
    - ``missing``: tracks lacking each feature (before dropping), ``unavailable``: chosen
      features no track of the scope has (they are left out of ``features``).
    """

    features: tuple[str, ...]
    scaling: str
    columns: list[str]
    column_feature: list[str]
    column_title: list[str]
    high: list[str]
    low: list[str]
    values: np.ndarray
    raw: pd.DataFrame
    kept: np.ndarray
    center: np.ndarray
    scale: np.ndarray
    missing: dict[str, int] = field(default_factory=dict)
    unavailable: tuple[str, ...] = ()

    @property
    def n_tracks(self) -> int:
        return int(self.values.shape[0])

    @property
    def n_dropped(self) -> int:
        return int(len(self.kept) - self.kept.sum())

    @property
    def scaling_text(self) -> str:
        return SCALING_TEXT[self.scaling]

    def summary(self) -> MatrixSummary:
        """What a page says of this matrix, without its values (see MatrixSummary)."""
        return MatrixSummary(self.features, self.scaling, self.n_tracks, self.n_dropped,
                             dict(self.missing), tuple(self.unavailable))

    # Computed once per matrix, not once per k: every clustering of a scope and feature set
    # shares them (~60 ms of a new k at 300k tracks).
    @cached_property
    def axes(self) -> MatrixAxes:
        """The 2-D map of ``values`` every clustering of this matrix is drawn on (MatrixAxes)."""
        return matrix_axes(self)

    @cached_property
    def raw_mean(self) -> np.ndarray:
        """Mean of each column of ``raw`` (raw units)."""
        return self.raw.to_numpy().mean(axis=0)

    @cached_property
    def raw_std(self) -> np.ndarray:
        """Standard deviation of each column of ``raw`` (raw units)."""
        return self.raw.to_numpy().std(axis=0)


@dataclass(frozen=True)
class MatrixAxes:
    """The 2-D PCA of a FeatureMatrix's scaled values, each axis named in words.

    - ``components``: 2 × columns, each oriented so its largest loading is positive ("Energetic,
      …" reads left to right); ``mean``: the column means PCA centred on;
    - ``projection``: n_tracks × 2 (float32), every track's place on the map;
    - ``names`` / ``names_low``: per axis, its three largest loadings' adjectives for the
      positive / negative direction ("" for an axis the data has no variance along);
    - ``explained``: share of the variance along each axis.
    """

    components: np.ndarray
    mean: np.ndarray
    projection: np.ndarray
    names: tuple[str, str]
    names_low: tuple[str, str]
    explained: tuple[float, float]

    def place(self, points: np.ndarray) -> np.ndarray:
        """Points of the scaled space (m × columns, e.g. cluster centres) on the map: m × 2."""
        return (points - self.mean) @ self.components.T


def matrix_axes(matrix: FeatureMatrix) -> MatrixAxes:
    """The matrix's 2-D PCA (see MatrixAxes); fewer than two usable axes are padded with 0."""
    from sklearn.decomposition import PCA  # imported on first use, like k-means

    from lib.clusters.kmeans import one_thread  # (kmeans imports this module)

    values = matrix.values
    n_comp = min(2, values.shape[1], len(values))
    pca = PCA(n_components=n_comp, random_state=0)
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore")  # constant data: zero variance ratio
        pca.fit(values)
    comps = pca.components_.copy()
    for i in range(n_comp):
        j = int(np.argmax(np.abs(comps[i])))
        if comps[i, j] < 0:
            comps[i] = -comps[i]
    ratio = np.nan_to_num(pca.explained_variance_ratio_)
    if n_comp < 2:
        comps = np.vstack([comps, np.zeros((2 - n_comp, values.shape[1]))])
        ratio = np.concatenate([ratio, np.zeros(2 - n_comp)])
    names, names_low = [], []
    for i in range(2):
        if i >= n_comp or not np.any(comps[i]):
            names.append("")
            names_low.append("")
            continue
        top = np.argsort(-np.abs(comps[i]), kind="stable")[:3]
        top = [j for j in top if abs(comps[i, j]) > 1e-9]
        names.append(", ".join(matrix.high[j] if comps[i, j] > 0 else matrix.low[j]
                               for j in top))
        names_low.append(", ".join(matrix.low[j] if comps[i, j] > 0 else matrix.high[j]
                                   for j in top))
    mean = pca.mean_
    projection = ((values - mean) @ comps.T).astype(np.float32)
    projection.flags.writeable = False  # shared by every clustering of the matrix
    return MatrixAxes(comps, mean, projection, (names[0], names[1]),
                      (names_low[0], names_low[1]), (float(ratio[0]), float(ratio[1])))


@dataclass(frozen=True)
class MatrixSummary:
    """A FeatureMatrix's counts without its arrays: small enough to keep per library version,
    so a page showing a kept clustering says what it was built from without building the
    matrix (which needs the scope's tracks: ~0.3 s at 300k, plus converting them).

    Same names as on FeatureMatrix: ``features``, ``scaling``, ``n_tracks`` (tracks with every
    feature), ``n_dropped``, ``missing`` (feature → tracks lacking it), ``unavailable``.
    """

    features: tuple[str, ...]
    scaling: str
    n_tracks: int
    n_dropped: int
    missing: dict[str, int] = field(default_factory=dict)
    unavailable: tuple[str, ...] = ()

    @property
    def scaling_text(self) -> str:
        return SCALING_TEXT[self.scaling]


def _numeric(tracks: pd.DataFrame, feat: Feature) -> np.ndarray:
    col = tracks[feat.column]
    if feat.name == "explicit":
        return pd.to_numeric(col.astype("boolean"), errors="coerce").astype("float64").to_numpy(
            na_value=np.nan)
    values = pd.to_numeric(col, errors="coerce").astype("float64").to_numpy(na_value=np.nan)
    if feat.name == "duration":
        values = values / 60_000.0
    return values


@dataclass(frozen=True)
class _ListGroups:
    """A list column's rows grouped by list object: ``lists`` (one per group), ``group`` (each
    row's) and ``rows`` (each group's row count)."""
    lists: list
    group: np.ndarray
    rows: np.ndarray


def _list_groups(tracks: pd.DataFrame, column: str) -> _ListGroups:
    # A library read from its snapshot shares one list object among the rows with the same
    # list (lib.store.snapshot.frame_of): 300k tracks hold ~800 genre lists, each looked at once
    # here instead of once per row (~500 ms of a feature change to genres at 300k). Lists that
    # are not shared make one group per row: the cost of a loop over the rows, as before.
    values = tracks[column].to_numpy(dtype=object)
    ids = np.fromiter(map(id, values), dtype=np.int64, count=len(values))
    _, first, group, rows = np.unique(ids, return_index=True, return_inverse=True,
                                      return_counts=True)
    return _ListGroups([values[i] for i in first], group.reshape(-1), rows)


def _top_of(groups: _ListGroups, top: int) -> list[str]:
    """The ``top`` most common values of the lists, most common first (ties by name)."""
    counts: dict[str, int] = {}
    for values, rows in zip(groups.lists, groups.rows.tolist()):
        for v in set(values):
            counts[v] = counts.get(v, 0) + rows
    return [c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


def _onehot(groups: _ListGroups, cats: list[str]) -> np.ndarray:
    index = {c: i for i, c in enumerate(cats)}
    per_group = np.zeros((len(groups.lists), len(cats)), dtype=np.float64)
    for g, values in enumerate(groups.lists):
        for v in values:
            i = index.get(v)
            if i is not None:
                per_group[g, i] = 1.0
    return per_group[groups.group]


def build_matrix(tracks: pd.DataFrame, features: tuple[str, ...] | list[str],
                 scaling: str = DEFAULT_SCALING, *, top: int = TOP_CATEGORIES) -> FeatureMatrix:
    """Scaled feature matrix of ``tracks`` for the chosen features (see the module docstring).

    Tracks lacking a chosen feature are left out (``kept`` marks the rest; ``missing`` counts
    per feature). A chosen feature that no track has is dropped and listed in ``unavailable``.
    One-hot features ("genres", "labels") use the scope's ``top`` most common categories; a track
    with none of them gets zeros (it is not dropped).
    """
    features = tuple(dict.fromkeys(features))
    if not features:
        raise FeatureError("Choose at least one feature.")
    unknown = [f for f in features if f not in CATALOG]
    if unknown:
        raise FeatureError(f"Unknown feature(s): {', '.join(unknown)}.")
    blocks: list[np.ndarray] = []
    columns: list[str] = []
    column_feature: list[str] = []
    titles: list[str] = []
    highs: list[str] = []
    lows: list[str] = []
    missing: dict[str, int] = {}
    unavailable: list[str] = []
    used: list[str] = []
    n = len(tracks)
    kept = np.ones(n, dtype=bool)
    for name in features:
        feat = CATALOG[name]
        if feat.column not in tracks:
            unavailable.append(name)
            continue
        if feat.onehot:
            groups = _list_groups(tracks, feat.column)
            cats = _top_of(groups, top)
            if not cats:
                unavailable.append(name)
                continue
            block = _onehot(groups, cats)
            singular = "Genre" if name == "genres" else "Label"
            for c in cats:
                columns.append(f"{name}:{c}")
                titles.append(f"{singular}: {c}")
                highs.append(c if name == "labels" else c[:1].upper() + c[1:])
                lows.append(f"not {c}")
                column_feature.append(name)
            missing[name] = 0
        else:
            values = _numeric(tracks, feat)
            ok = ~np.isnan(values)
            if not ok.any():
                unavailable.append(name)
                continue
            missing[name] = int(n - ok.sum())
            kept &= ok
            block = values[:, None]
            columns.append(name)
            titles.append(feat.title + (f" ({feat.unit})" if feat.unit else ""))
            highs.append(feat.high)
            lows.append(feat.low)
            column_feature.append(name)
        used.append(name)
        blocks.append(block)
    if not blocks:
        raise FeatureError("None of the chosen features has any value in this scope: "
                           f"{', '.join(features)}.")
    raw_all = np.hstack(blocks)
    raw = raw_all[kept]
    resolved = resolve_scaling(scaling, used)
    center, scale = _scaling(raw, column_feature, resolved)
    values = (raw - center) / scale
    # copy=False: raw is this matrix's own array (pandas 3 would copy it again: ~50 ms at 300k
    # tracks, on every feature change).
    raw_frame = pd.DataFrame(raw, columns=columns, copy=False)
    return FeatureMatrix(
        features=tuple(used), scaling=resolved, columns=columns, column_feature=column_feature,
        column_title=titles, high=highs, low=lows, values=values, raw=raw_frame, kept=kept,
        center=center, scale=scale, missing=missing, unavailable=tuple(unavailable))


def _scaling(raw: np.ndarray, column_feature: list[str],
             scaling: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-column centre and divisor for a scaling (divisors never 0)."""
    d = raw.shape[1]
    if raw.shape[0] == 0:
        return np.zeros(d), np.ones(d)
    mean = raw.mean(axis=0)
    scale = np.ones(d)
    if scaling == "standard":
        std = raw.std(axis=0)
        for name in dict.fromkeys(column_feature):
            idx = [i for i, f in enumerate(column_feature) if f == name]
            if CATALOG[name].onehot:
                group = float(np.sqrt((std[idx] ** 2).sum()))
                scale[idx] = group if group > 0 else 1.0
            else:
                scale[idx] = std[idx] if std[idx][0] > 0 else 1.0
        return mean, scale
    if scaling == "range":
        for i, name in enumerate(column_feature):
            feat = CATALOG[name]
            if feat.unit_scale:
                continue
            if feat.value_range is not None:
                lo, hi = feat.value_range
            else:
                lo, hi = np.percentile(raw[:, i], [1, 99])
            scale[i] = (hi - lo) if hi > lo else 1.0
        return mean, scale
    return mean, scale


def describe_difference(z: float) -> str:
    """A difference measured in standard deviations, in words a reader without statistics
    follows: ``+1.3`` → "↑ much higher (1.3× the usual spread)"; "about the same" below 0.25.
    Empty for NaN."""
    if z != z:  # NaN
        return ""
    size = abs(z)
    if size < 0.25:
        return "about the same"
    words = "a bit" if size < 0.75 else "clearly" if size < 1.5 else "much"
    direction = "↑ " + words + " higher" if z > 0 else "↓ " + words + " lower"
    return f"{direction} ({size:.1f}× the usual spread)"
