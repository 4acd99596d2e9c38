"""Streamlit caching wrappers: the one place in ``lib`` that imports Streamlit.

Pages call these instead of the plain functions so that the store is opened once per process and
each library version is loaded once. Big frames are cached with ``cache_resource`` (shared, never
copied) because copying a 300k-row frame on every rerun would cost more than the page itself;
callers treat what they get as read-only.
"""

from __future__ import annotations

import dataclasses
import functools

import streamlit as st

from lib.demo.generator import ensure_demo
from lib.store.library import Library, load_library
from lib.store.db import Store, db_path
from lib.analysis.entities import LibraryBasis
from lib.analysis.overview import Kpis, Overview
from lib.analysis.similarity import SoundIndex
from lib.clusters.features import MatrixSummary
from lib.clusters.kmeans import ClusterInfo, ClusterResult, ClusterView
from lib.clusters.stability import Stability
from lib.store.snapshot import MISSING, read_result, write_result_soon
from ui.charts import arrow_datasets, chart_spec
from ui.heap import freeze_after_large


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    store = Store(path)
    ensure_demo(store)
    return store


def get_store() -> Store:
    """The store at ``$LABELSCOPE_DB`` (or ``data/library.duckdb``), with the demo library in it."""
    return _store(str(db_path()))


@st.cache_resource(max_entries=6, show_spinner="Loading library…")
def _library(path: str, library_id: str, version: int) -> Library:
    library = load_library(_store(path), library_id, keep_in_background=True)
    # Its tracks' lists out of the garbage collector's walks (ui.heap): 200–300 ms a rerun at 300k.
    return dataclasses.replace(library, read_tracks=freeze_after_large(library.read_tracks))


def get_library(library_id: str) -> Library:
    """The library, loaded once per version (any write bumps the version and reloads it)."""
    store = get_store()
    return _library(str(store.path), library_id, store.version(library_id))


def _kept(*types: type):
    """Keep a per-version result (``fn(path, library_id, version, *args)``) beside the library's
    snapshot (lib.store.snapshot), so a fresh process reads it instead of converting the tracks
    frame to recompute it; written in the background, after the page has it. ``types``: the
    dataclasses the result is made of."""
    def wrap(fn):
        @functools.wraps(fn)
        def kept(path: str, library_id: str, version: int, *args):
            store, key = _store(path), repr((fn.__qualname__, *args))
            value = read_result(store, library_id, version, key, types)
            if value is MISSING:
                value = fn(path, library_id, version, *args)
                write_result_soon(store, library_id, version, key, value)
            return value
        return kept
    return wrap


# --- Clusters page (issue 3): scope tracks, feature matrices, k curves and clusterings --------
# Keyed by (db path, library id, version, scope, features, scaling, k, algorithm, seed); bounded.
# cache_resource: results hold arrays of up to 300k rows; they are shared, never copied.

from typing import TYPE_CHECKING  # noqa: E402

from lib.store.scopes import Scope, scope_mask  # noqa: E402

if TYPE_CHECKING:
    from lib.clusters.features import FeatureMatrix


@st.cache_resource(max_entries=16, show_spinner=False)
def _scope_tracks(path: str, library_id: str, version: int, kind: str, name: str | None):
    library = _library(path, library_id, version)
    mask = scope_mask(library, Scope(kind, name))
    return library.tracks if mask.all() else library.tracks[mask]


def _version_key(library_id: str) -> tuple[str, str, int]:
    store = get_store()
    return str(store.path), library_id, store.version(library_id)


def get_scope_tracks(library_id: str, scope: Scope):
    """The scope's tracks (read-only), cached per library version. Raises ScopeError."""
    return _scope_tracks(*_version_key(library_id), scope.kind, scope.name)


@st.cache_resource(max_entries=16, show_spinner=False)
@_kept()
def _scope_size(path: str, library_id: str, version: int, kind: str, name: str | None) -> int:
    return len(_scope_tracks(path, library_id, version, kind, name))


def get_scope_size(library_id: str, scope: Scope) -> int:
    """Tracks in the scope, cached and kept per library version (raises ScopeError): with
    get_matrix_summary and get_scope_sources, what the Clusters page says of a kept clustering
    without converting the library's tracks in a fresh process."""
    return _scope_size(*_version_key(library_id), scope.kind, scope.name)


@st.cache_resource(max_entries=16, show_spinner=False)
@_kept()
def _scope_sources(path: str, library_id: str, version: int, kind: str, name: str | None):
    from lib.enrichment.provenance import feature_sources
    return feature_sources(_scope_tracks(path, library_id, version, kind, name))


def get_scope_sources(library_id: str, scope: Scope):
    """lib.enrichment.provenance.feature_sources of the scope's tracks, cached and kept per
    library version (counting 300k sources took ~30 ms of every Clusters rerun)."""
    return _scope_sources(*_version_key(library_id), scope.kind, scope.name)


@st.cache_resource(max_entries=4, show_spinner=False)
def _matrix(path: str, library_id: str, version: int, kind: str, name: str | None,
            features: tuple[str, ...], scaling: str) -> FeatureMatrix:
    from lib.clusters.features import build_matrix
    return build_matrix(_scope_tracks(path, library_id, version, kind, name), features, scaling)


def get_feature_matrix(library_id: str, scope: Scope, features: tuple[str, ...],
                       scaling: str) -> FeatureMatrix:
    """The scaled feature matrix of a scope (raises FeatureError / ScopeError)."""
    return _matrix(*_version_key(library_id), scope.kind, scope.name, tuple(features), scaling)


@st.cache_resource(max_entries=16, show_spinner=False)
@_kept(MatrixSummary)
def _matrix_summary(path: str, library_id: str, version: int, kind: str, name: str | None,
                    features: tuple[str, ...], scaling: str) -> MatrixSummary:
    return _matrix(path, library_id, version, kind, name, features, scaling).summary()


def get_matrix_summary(library_id: str, scope: Scope, features: tuple[str, ...],
                       scaling: str) -> MatrixSummary:
    """get_feature_matrix's summary (lib.clusters.features.MatrixSummary), cached and kept per
    library version: the matrix is built only when missing (raises FeatureError / ScopeError)."""
    return _matrix_summary(*_version_key(library_id), scope.kind, scope.name, tuple(features),
                           scaling)


@st.cache_resource(max_entries=16, show_spinner="Comparing numbers of clusters…")
@_kept()
def _k_curve(path: str, library_id: str, version: int, kind: str, name: str | None,
             features: tuple[str, ...], scaling: str, seed: int):
    from lib.clusters.kmeans import k_curve
    matrix = _matrix(path, library_id, version, kind, name, features, scaling)
    return k_curve(matrix.values, seed=seed)


def get_k_curve(library_id: str, scope: Scope, features: tuple[str, ...], scaling: str,
                seed: int):
    """(silhouette/inertia frame, sample size) for k = 2 … 12 (see lib.clusters.kmeans.k_curve)."""
    return _k_curve(*_version_key(library_id), scope.kind, scope.name, tuple(features), scaling,
                    seed)


@st.cache_resource(max_entries=16, show_spinner="Clustering…")
@_kept(ClusterView, ClusterResult, ClusterInfo)
def _cluster_view(path: str, library_id: str, version: int, kind: str, name: str | None,
                  features: tuple[str, ...], scaling: str, k: int | str, algorithm: str,
                  seed: int) -> ClusterView:
    from lib.clusters.kmeans import cluster_view
    key = (path, library_id, version, kind, name, features, scaling)
    curve = _k_curve(*key, seed) if k == "auto" else None
    return cluster_view(_scope_tracks(path, library_id, version, kind, name), _matrix(*key), k,
                        algorithm=algorithm, seed=seed, curve=curve,
                        heatmap=kind not in ("label",))


def get_cluster_view(library_id: str, scope: Scope, features: tuple[str, ...], scaling: str,
                     k: int | str, algorithm: str, seed: int) -> ClusterView:
    """The clustering of a scope and the frames the Clusters page draws, cached (moving the k
    slider back to a k seen before is a cache hit). Raises ClusteringError / FeatureError."""
    return _cluster_view(*_version_key(library_id), scope.kind, scope.name, tuple(features),
                         scaling, k, algorithm, seed)


@st.cache_resource(max_entries=32, show_spinner=False)
@_kept()
def _cluster_chart_spec(path: str, library_id: str, version: int, kind: str, name: str | None,
                        features: tuple[str, ...], scaling: str, k: int | str, algorithm: str,
                        seed: int, chart: str) -> dict | None:
    from lib.clusters.charts import view_chart
    view = _cluster_view(path, library_id, version, kind, name, features, scaling, k, algorithm,
                         seed)
    if chart == "scatter":
        return scatter_spec(view)
    built = view_chart(view, chart)
    return None if built is None else chart_spec(built)


def get_cluster_chart_spec(library_id: str, scope: Scope, features: tuple[str, ...],
                           scaling: str, k: int | str, algorithm: str, seed: int, chart: str
                           ) -> dict | None:
    """The Vega-Lite spec of one of the Clusters page's charts (``chart``: a name of
    lib.clusters.charts.VIEW_CHARTS; None when the view has no such chart), cached and kept with
    the clustering, and built only when asked: a slider move builds the open tab's chart, not
    all four (~150 ms of Altair at 30k tracks). Pass a copy (``copy.deepcopy``) to
    ``st.vega_lite_chart``."""
    return _cluster_chart_spec(*_version_key(library_id), scope.kind, scope.name,
                               tuple(features), scaling, k, algorithm, seed, chart)


@st.cache_resource(max_entries=1, show_spinner=False)
def _scatter_template(_view) -> tuple[dict, tuple[str, str]] | None:
    """The scatter's spec without its data, built once per process from the first ``_view``'s,
    with that view's axis titles (lib.clusters.charts.scatter_titles: nothing else in the spec
    changes with k or the features). None when the spec's datasets are not the frames of
    lib.clusters.charts.scatter_data in order, or its titles are not where scatter_spec puts
    them (a Streamlit or Altair that builds it otherwise): then every scatter is built in full."""
    from lib.clusters.charts import scatter_data, view_chart
    spec = chart_spec(view_chart(_view, "scatter"))
    datasets = spec.pop("datasets", {})
    expected = arrow_datasets(scatter_data(_view.points, _view.centroid_points))
    titles = _scatter_titles(_view)
    found = sorted(t for t in _titles(spec) if t in titles)  # each once, nowhere else
    if expected is None or datasets != expected or found != sorted(titles):
        return None
    return spec, titles


def _scatter_titles(view: ClusterView) -> tuple[str, str]:
    from lib.clusters.charts import scatter_titles
    r = view.result
    return scatter_titles(r.axis_names, r.axis_names_low, r.explained)


def _titles(node) -> list:
    """Every "title" value of a spec."""
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "title"] + \
            [t for v in node.values() for t in _titles(v)]
    return [t for v in node for t in _titles(v)] if isinstance(node, list) else []


def _retitled(node, titles: dict[str, str]):
    """A copy of a spec with the "title" values in ``titles`` replaced."""
    if isinstance(node, dict):
        return {k: titles.get(v, v) if k == "title" and isinstance(v, str) else
                _retitled(v, titles) for k, v in node.items()}
    return [_retitled(v, titles) for v in node] if isinstance(node, list) else node


def scatter_spec(view: ClusterView) -> dict:
    """The spec of ``view``'s scatter (lib.clusters.charts.cluster_scatter), as chart_spec makes
    it: Altair builds it once per process, not once per feature set (about 0.1 s of a feature
    change at 300k tracks, AppTest), and each view gets its axis titles written in and its dots
    and centroids converted to Arrow."""
    from lib.clusters.charts import scatter_data, view_chart
    template = _scatter_template(view)
    datasets = arrow_datasets(scatter_data(view.points, view.centroid_points))
    if template is None or datasets is None:
        return chart_spec(view_chart(view, "scatter"))
    spec, titles = template
    return {**_retitled(spec, dict(zip(titles, _scatter_titles(view)))), "datasets": datasets}


@st.cache_resource(max_entries=16, show_spinner=False)
@_kept()
def _k_curve_spec(path: str, library_id: str, version: int, kind: str, name: str | None,
                  features: tuple[str, ...], scaling: str, seed: int, chosen_k: int) -> dict:
    from lib.clusters.charts import k_curve_chart
    curve, _ = _k_curve(path, library_id, version, kind, name, features, scaling, seed)
    return chart_spec(k_curve_chart(curve, chosen_k))


def get_k_curve_spec(library_id: str, scope: Scope, features: tuple[str, ...], scaling: str,
                     seed: int, chosen_k: int) -> dict:
    """Vega-Lite spec of the k curve (see get_k_curve) with ``chosen_k`` marked."""
    return _k_curve_spec(*_version_key(library_id), scope.kind, scope.name, tuple(features),
                         scaling, seed, chosen_k)


# --- Entity pages (issue 4): the library basis and each page's data, per library version -------

@st.cache_resource(max_entries=6, show_spinner=False)
@_kept(LibraryBasis)
def _library_basis(path: str, library_id: str, version: int):
    from lib.analysis.entities import library_basis
    return library_basis(_library(path, library_id, version))


def get_library_basis(library_id: str):
    """lib.analysis.entities.library_basis of the library (feature stats, bins, artist–label pairs)."""
    return _library_basis(*_version_key(library_id))


@st.cache_resource(max_entries=12, show_spinner="Building the page…")
def _entity_page(path: str, library_id: str, version: int, kind: str, name: str):
    from lib.analysis.entities import build_entity_page
    return build_entity_page(_library(path, library_id, version), kind, name,
                             basis=_library_basis(path, library_id, version))


def get_entity_page(library_id: str, kind: str, name: str):
    """lib.analysis.entities.build_entity_page, cached per library version (read-only result).

    Raises lib.store.scopes.ScopeError for an unknown name (errors are not cached)."""
    return _entity_page(*_version_key(library_id), kind, name)


# --- Home page and coverage: the library overview, per library version -------------------------

@st.cache_resource(max_entries=6, show_spinner=False)
@_kept(Overview, Kpis)
def _overview(path: str, library_id: str, version: int):
    from lib.analysis.overview import library_overview
    return library_overview(_library(path, library_id, version))


def get_overview(library_id: str):
    """lib.analysis.overview.library_overview of the library, cached per library version (read-only)."""
    return _overview(*_version_key(library_id))


# --- Sound similarity (issue 15): one index per kind and library version -----------------------

@st.cache_resource(max_entries=12, show_spinner=False)
@_kept(SoundIndex)
def _sound_index(path: str, library_id: str, version: int, kind: str):
    from lib.analysis.similarity import sound_index
    return sound_index(_library(path, library_id, version), kind)


def get_sound_index(library_id: str, kind: str):
    """lib.analysis.similarity.sound_index of the library for "label" or "artist" (read-only)."""
    return _sound_index(*_version_key(library_id), kind)


@st.cache_resource(max_entries=64, show_spinner=False)
def _sounds_like(path: str, library_id: str, version: int, kind: str, name: str):
    from lib.analysis.similarity import sounds_like
    return sounds_like(_sound_index(path, library_id, version, kind), name)


def get_sounds_like(library_id: str, kind: str, name: str):
    """lib.analysis.similarity.sounds_like: the 5 closest in sound to one label or artist."""
    return _sounds_like(*_version_key(library_id), kind, name)


@st.cache_resource(max_entries=6, show_spinner=False)
@_kept()
def _loved_labels(path: str, library_id: str, version: int):
    from lib.analysis.similarity import label_stats, loved_labels, overlooked_labels
    stats = label_stats(_library(path, library_id, version))
    loved = loved_labels(stats)
    return loved, overlooked_labels(_sound_index(path, library_id, version, "label"), stats,
                                    loved)


def get_loved_labels(library_id: str):
    """(loved, overlooked) label frames of lib.analysis.similarity for the Home page."""
    return _loved_labels(*_version_key(library_id))


# --- Compare page (issue 15): two scopes side by side, per library version ---------------------

@st.cache_resource(max_entries=16, show_spinner="Comparing…")
def _comparison(path: str, library_id: str, version: int, a_kind: str, a_name: str | None,
                b_kind: str, b_name: str | None, k: int):
    from lib.analysis.compare import compare_scopes
    return compare_scopes(_library(path, library_id, version), Scope(a_kind, a_name),
                          Scope(b_kind, b_name), _library_basis(path, library_id, version), k=k)


def get_comparison(library_id: str, a: Scope, b: Scope, k: int):
    """lib.analysis.compare.compare_scopes, cached (raises ScopeError for an unknown name)."""
    return _comparison(*_version_key(library_id), a.kind, a.name, b.kind, b.name, int(k))


# --- Cluster stability (issue 15): re-fits of the view on screen, cached with it ---------------

@st.cache_resource(max_entries=16, show_spinner="Re-fitting to check stability…")
@_kept(Stability)
def _cluster_stability(path: str, library_id: str, version: int, kind: str, name: str | None,
                       features: tuple[str, ...], scaling: str, k: int | str, algorithm: str,
                       seed: int):
    from lib.clusters.stability import result_stability
    view = _cluster_view(path, library_id, version, kind, name, features, scaling, k, algorithm,
                         seed)
    matrix = _matrix(path, library_id, version, kind, name, features, scaling)
    return result_stability(view.result, matrix.values)


def get_cluster_stability(library_id: str, scope: Scope, features: tuple[str, ...],
                          scaling: str, k: int | str, algorithm: str, seed: int):
    """lib.clusters.stability.result_stability of the Clusters page's view (same keys as
    get_cluster_view; bounded: 10 re-fits on at most 2,000 tracks)."""
    return _cluster_stability(*_version_key(library_id), scope.kind, scope.name,
                              tuple(features), scaling, k, algorithm, seed)


def cluster_stability_later(library_id: str, scope: Scope, features: tuple[str, ...],
                            scaling: str, k: int | str, algorithm: str, seed: int):
    """A function returning get_cluster_stability's answer (None when it cannot be measured),
    for a report built after the rerun (a download, on a thread of its own): the keys are taken
    now, in the script run; the answer is the one kept on disk (lib.store.snapshot), measured and
    kept when missing."""
    key = (*_version_key(library_id), scope.kind, scope.name, tuple(features), scaling, k,
           algorithm, seed)

    def measure():
        try:  # the kept result, not the in-memory cache: its spinner needs a script run
            return _cluster_stability.__wrapped__(*key)
        except ValueError:  # too few tracks for re-fits: the report says nothing of stability
            return None
    return measure


# --- Saved cluster maps (issue 15): a map reopened against one library version -----------------

@st.cache_resource(max_entries=8, show_spinner="Opening the map…")
def _map_view(path: str, library_id: str, version: int, name: str, map_id: int, created: str):
    from lib.clusters.maps import load_map, open_map
    return open_map(load_map(_store(path), library_id, name),
                    _library(path, library_id, version))


def get_map_view(library_id: str, name: str, map_id: int, created: object):
    """lib.clusters.maps.open_map of the saved map ``name`` against the library's current
    version (``map_id`` and ``created`` — from list_maps — make a renamed or re-saved map a new
    key)."""
    return _map_view(*_version_key(library_id), name, int(map_id), str(created))


@st.cache_resource(max_entries=16, show_spinner=False)
def _comparison_chart_specs(path: str, library_id: str, version: int, a_kind: str,
                            a_name: str | None, b_kind: str, b_name: str | None,
                            k: int) -> dict[str, dict]:
    from lib.analysis import charts
    from lib.analysis.compare import joint_cluster_chart
    c = _comparison(path, library_id, version, a_kind, a_name, b_kind, b_name, k)
    specs = {}
    if not c.binned.empty:
        specs["features"] = chart_spec(charts.feature_distribution_chart(c.binned)
                                       .configure_legend(labelLimit=0))  # full side names
    if not c.clusters.empty:
        specs["clusters"] = chart_spec(joint_cluster_chart(c))
    return specs


def get_comparison_chart_specs(library_id: str, a: Scope, b: Scope, k: int) -> dict[str, dict]:
    """Vega-Lite specs of the Compare page's charts ("features", "clusters" when there is
    something to draw), built once per comparison. Pass a copy to ``st.vega_lite_chart``."""
    return _comparison_chart_specs(*_version_key(library_id), a.kind, a.name, b.kind, b.name,
                                   int(k))
