"""What the Clusters page shows, decided from its query string: a plain function the page calls.

``resolve_view(params, library) -> (ResolvedView, messages)`` reads the URL's parameters
(``scope``, ``name``, ``k``, ``features`` | ``preset``, ``scaling``, ``algorithm``, ``seed``),
falls back where they cannot be honoured (an unknown scope → the whole library; no audio features
and none chosen → metadata; a k larger than the tracks allow → the largest possible) and says so in
``messages`` (plain strings, unescaped: the page escapes them when it renders).

The page passes its cached loaders (``scope_tracks``, ``feature_matrix``); the defaults are the
plain functions, so tests call ``resolve_view(params, library)`` directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Mapping

import pandas as pd

from lib.clusters.features import PRESETS, FeatureError, FeatureMatrix, build_matrix
from lib.clusters.kmeans import K_MAX, K_MIN, ClusterParams, parse_params
from lib.store.library import Library
from lib.store.scopes import Scope, ScopeError, scope_tracks

ScopeLoader = Callable[[Scope], pd.DataFrame]
MatrixLoader = Callable[[Scope, tuple[str, ...], str], FeatureMatrix]


@dataclass(frozen=True)
class ResolvedView:
    """The view to draw.

    params : ClusterParams
        What will be clustered, after fallbacks; ``params.query_params()`` is the canonical URL.
    scope_frame : DataFrame
        The scope's tracks (read-only).
    matrix : FeatureMatrix or None
        The scaled feature matrix; ``None`` when the chosen features cannot be built.
    n_usable : int
        Tracks with the chosen features (0 without a matrix).
    k_max : int
        The largest k the slider offers: ``min(20, n_usable - 1)`` (below 2: nothing to cluster).
    """

    params: ClusterParams
    scope_frame: pd.DataFrame
    matrix: FeatureMatrix | None
    n_usable: int
    k_max: int

    @property
    def scope(self) -> Scope:
        return self.params.scope


def resolve_view(params: Mapping[str, str], library: Library, *,
                 scope_tracks_of: ScopeLoader | None = None,
                 feature_matrix: MatrixLoader | None = None) -> tuple[ResolvedView, list[str]]:
    """Decide the view from the query string ``params``; see the module docstring.

    Returns (view, messages); messages are plain text, in the order they arose.
    """
    load_scope = scope_tracks_of or (lambda scope: scope_tracks(library, scope))
    if feature_matrix is None:
        def feature_matrix(scope: Scope, features: tuple[str, ...], scaling: str):
            return build_matrix(load_scope(scope), features, scaling)

    chosen, messages = parse_params(dict(params))
    try:
        frame = load_scope(chosen.scope)
    except ScopeError as exc:
        messages.append(f"{exc} Showing the whole library instead.")
        chosen = replace(chosen, scope=Scope())
        frame = load_scope(chosen.scope)

    matrix: FeatureMatrix | None = None
    chose_features = "features" in params or "preset" in params
    try:
        matrix = feature_matrix(chosen.scope, chosen.features, chosen.scaling)
    except FeatureError as exc:
        if chose_features:
            messages.append(str(exc))
    if not chose_features and (matrix is None or matrix.n_tracks == 0):
        # Nothing chosen yet and no audio features here (e.g. a library synced from Spotify
        # today): start from what every track has.
        chosen = replace(chosen, features=PRESETS["metadata"].features)
        messages.append(f"No track in {chosen.scope.title} has audio features: clustering on "
                        "metadata (release year, length, popularity, explicit, genres) instead.")
        try:
            matrix = feature_matrix(chosen.scope, chosen.features, chosen.scaling)
        except FeatureError as exc:
            messages.append(str(exc))

    n_usable = matrix.n_tracks if matrix is not None else 0
    k_max = min(K_MAX, n_usable - 1)
    if isinstance(chosen.k, int) and k_max >= K_MIN and chosen.k > k_max:
        messages.append(f"{chosen.scope.title} has {n_usable:,} tracks with the chosen features: "
                        f"{chosen.k} clusters need at least {chosen.k + 1}. Showing k = {k_max}.")
        chosen = replace(chosen, k=k_max)
    return ResolvedView(chosen, frame, matrix, n_usable, k_max), messages
