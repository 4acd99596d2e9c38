"""What the Clusters page shows, decided from its query string: a plain function the page calls.

``resolve_view(params, library) -> (ResolvedView, messages)`` reads the URL's parameters
(``scope``, ``name``, ``k``, ``features`` | ``preset``, ``scaling``, ``algorithm``, ``seed``),
falls back where they cannot be honoured (an unknown scope → the whole library; no audio features
and none chosen → metadata; a k larger than the tracks allow → the largest possible) and says so in
``messages`` (plain strings, unescaped: the page escapes them when it renders).

It decides from counts, not frames: a scope's size and its feature matrix's summary
(:class:`~lib.clusters.features.MatrixSummary`). The page passes its cached loaders
(``scope_size_of``, ``matrix_summary``), kept per library version, so a fresh process shows a kept
clustering without converting the library's tracks; the defaults are the plain functions, so tests
call ``resolve_view(params, library)`` directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Mapping

from lib.clusters.features import PRESETS, FeatureError, MatrixSummary, build_matrix
from lib.clusters.kmeans import K_MAX, K_MIN, ClusterParams, parse_params
from lib.store.library import Library
from lib.store.scopes import Scope, ScopeError, scope_tracks

ScopeSizer = Callable[[Scope], int]
SummaryLoader = Callable[[Scope, tuple[str, ...], str], MatrixSummary]


@dataclass(frozen=True)
class ResolvedView:
    """The view to draw.

    params : ClusterParams
        What will be clustered, after fallbacks; ``params.query_params()`` is the canonical URL.
    scope_size : int
        Tracks in the scope.
    matrix : MatrixSummary or None
        The summary of the scaled feature matrix; ``None`` when the chosen features cannot be
        built.
    n_usable : int
        Tracks with the chosen features (0 without a matrix).
    k_max : int
        The largest k the slider offers: ``min(20, n_usable - 1)`` (below 2: nothing to cluster).
    """

    params: ClusterParams
    scope_size: int
    matrix: MatrixSummary | None
    n_usable: int
    k_max: int

    @property
    def scope(self) -> Scope:
        return self.params.scope


def resolve_view(params: Mapping[str, str], library: Library, *,
                 scope_size_of: ScopeSizer | None = None,
                 matrix_summary: SummaryLoader | None = None) -> tuple[ResolvedView, list[str]]:
    """Decide the view from the query string ``params``; see the module docstring.

    ``scope_size_of(scope)``: tracks in a scope (raises ScopeError for an unknown one);
    ``matrix_summary(scope, features, scaling)``: its feature matrix's summary (raises
    FeatureError). Returns (view, messages); messages are plain text, in the order they arose.
    """
    size_of = scope_size_of or (lambda scope: len(scope_tracks(library, scope)))
    summary_of = matrix_summary or (lambda scope, features, scaling: build_matrix(
        scope_tracks(library, scope), features, scaling).summary())

    chosen, messages = parse_params(dict(params))
    try:
        size = size_of(chosen.scope)
    except ScopeError as exc:
        messages.append(f"{exc} Showing the whole library instead.")
        chosen = replace(chosen, scope=Scope())
        size = size_of(chosen.scope)

    matrix: MatrixSummary | None = None
    chose_features = "features" in params or "preset" in params
    try:
        matrix = summary_of(chosen.scope, chosen.features, chosen.scaling)
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
            matrix = summary_of(chosen.scope, chosen.features, chosen.scaling)
        except FeatureError as exc:
            messages.append(str(exc))

    n_usable = matrix.n_tracks if matrix is not None else 0
    k_max = min(K_MAX, n_usable - 1)
    if isinstance(chosen.k, int) and k_max >= K_MIN and chosen.k > k_max:
        messages.append(f"{chosen.scope.title} has {n_usable:,} tracks with the chosen features: "
                        f"{chosen.k} clusters need at least {chosen.k + 1}. Showing k = {k_max}.")
        chosen = replace(chosen, k=k_max)
    return ResolvedView(chosen, size, matrix, n_usable, k_max), messages
