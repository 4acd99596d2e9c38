"""Clusters: k-means clustering of any scope, with user-chosen k and feature sets.

Everything the page shows comes from one cached :class:`lib.clusters.kmeans.ClusterView`; the view's
state lives in the URL (``/clusters?scope=label&name=X&k=3&preset=sound``). The page body is a
fragment, :func:`clusters_view` (scope, features and settings: a change reruns it, not the router
and sidebar), with a fragment inside, :func:`cluster_results` (the k controls and everything
computed from the clustering: a slider move reruns only that). In the inner one the computed
objects are local variables — ``library``, ``params`` (scope, features, k, scaling, algorithm,
seed), ``scope``, ``features``, ``k``, ``view`` and ``result`` — so report and playlist buttons can
be added at the end of that function with one call each.

Below the controls and the headline numbers the results are tabs (Map, Profiles, Labels, Tracks,
Choosing k, Trust), the open one named in the URL (``?show=Profiles``); only the open tab runs and
is drawn, so a slider move redraws one tab.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace

import streamlit as st

from ui.cache import (cluster_stability_later, get_cluster_chart_spec, get_cluster_view,
                      get_k_curve, get_k_curve_spec, get_matrix_summary, get_scope_size,
                      get_scope_sources, get_scope_tracks)
from lib.clusters.charts import BRUSH_SELECTION, LEGEND_SELECTION
from lib.clusters.kmeans import (ALGORITHM_NAMES, AUTO_K_MAX, K_MIN, N_REPRESENTATIVES,
                                 PARAM_KEYS, SAMPLE_ABOVE, ClusteringError, ClusterParams,
                                 choose_k, parse_params, selected_positions)
from lib.clusters.features import (AUDIO_FEATURE_NAMES, CATALOG, PRESETS, SCALINGS, FeatureError,
                          preset_of)
from lib.reports.markdown import streamlit_text as md
from lib.clusters.view import ResolvedView, resolve_view
from lib.store.kinds import KINDS
from lib.store.scopes import NAMED_KINDS, SCOPE_KINDS, Scope, scope_names, scope_tracks
from ui.cluster_maps import keep_clustering, open_saved_map, saved_maps_list
from ui.cluster_trust import stability_section
from ui.downloads import download_clusters
from ui.session import active_library_id, current_library
from ui.spotify_connect import save_cluster_button
from ui.tables import show_linked_tracks
from ui import provenance

SCOPE_TITLES = {"library": "Whole library", "liked": "Liked Songs",
                **{key: kind.title for key, kind in KINDS.items()}}
K_MODES = {"auto": "Auto", "original": "Like the original tool", "choose": "Choose k"}
ALGORITHM_TITLES = {"auto": f"Automatic (k-means of a sample above {SAMPLE_ABOVE:,} tracks)",
                    **ALGORITHM_NAMES}
MAX_NAME_OPTIONS = 1000
MAX_LIST_ROWS = 10_000
MAX_SELECTED_ROWS = 1_000
# The result tabs; the open one is in the URL (?show=Profiles), so a view with it can be shared.
TAB_PARAM = "show"
TABS = ("Map", "Profiles", "Labels", "Tracks", "Choosing k", "Trust")
DEFAULT_TAB = "Map"


# --- URL <-> widgets -------------------------------------------------------------------------

def _write_url(p: ClusterParams) -> None:
    wanted = p.query_params()
    for key in PARAM_KEYS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def _current() -> ClusterParams:
    return parse_params(st.query_params.to_dict())[0]


def _set(**changes) -> None:
    _write_url(replace(_current(), **changes))


def _on_scope_kind() -> None:
    kind = st.session_state["cl_scope_kind"]
    name = None
    if kind in NAMED_KINDS:
        names = scope_names(current_library(), kind)
        name = names[0] if names else None
    if kind in NAMED_KINDS and not name:
        st.session_state["cl_notice"] = f"This library has no {kind}s to cluster."
        return
    _set(scope=Scope(kind, name))


def _on_scope_name() -> None:
    _set(scope=Scope(st.session_state["cl_scope_kind"], st.session_state["cl_scope_name"]))


def _on_preset() -> None:
    choice = st.session_state["cl_preset"]
    if choice in PRESETS:
        _set(features=PRESETS[choice].features)


def _on_features() -> None:
    chosen = tuple(st.session_state["cl_features"])
    if not chosen:
        st.session_state["cl_notice"] = "Choose at least one feature."
        return
    _set(features=chosen)


def _on_k_mode() -> None:
    mode = st.session_state["cl_k_mode"]
    if mode is None:  # the selected option was clicked again: keep it
        return
    _set(k=st.session_state.get("cl_shown_k", 4) if mode == "choose" else mode)


def _on_k() -> None:
    _set(k=int(st.session_state["cl_k"]))


def _on_advanced() -> None:
    _set(scaling=st.session_state["cl_scaling"], algorithm=st.session_state["cl_algorithm"],
         seed=int(st.session_state["cl_seed"]))


@st.fragment
def clusters_view() -> None:
    """The page body: a change of scope, features or settings reruns this fragment, not the
    app's router and sidebar. Everything is rebuilt from the URL, which the widgets' callbacks
    have updated. The k controls and the results are a fragment inside it,
    :func:`cluster_results`, so a slider move redraws those and not the controls above."""
    # --- Read the view -----------------------------------------------------------------------------

    library = current_library()
    library_id = active_library_id()
    open_saved_map(library_id)  # ?map=NAME: a saved cluster map instead of the live view
    resolved, problems = _resolve(library, library_id)
    params = resolved.params
    scope: Scope = params.scope
    features: tuple[str, ...] = params.features
    matrix = resolved.matrix
    _write_url(params)

    # --- Header and controls -----------------------------------------------------------------------

    st.title(f"Clusters in {md(scope.title)}")
    headline = st.container()  # the inner fragment's caption: k changes it
    notice = st.session_state.pop("cl_notice", None)
    if notice:
        st.warning(md(notice))
    for problem in problems:
        st.warning(md(problem))

    st.session_state["cl_scope_kind"] = scope.kind
    st.session_state["cl_preset"] = preset_of(features) or "custom"
    st.session_state["cl_features"] = list(features)
    st.session_state["cl_scaling"] = params.scaling
    st.session_state["cl_algorithm"] = params.algorithm
    st.session_state["cl_seed"] = params.seed

    with st.container(border=True):
        c_scope, c_features, c_k = st.columns([1.2, 1, 1.3], gap="large")
        with c_scope:
            st.selectbox("Scope", SCOPE_KINDS, format_func=SCOPE_TITLES.get, key="cl_scope_kind",
                         on_change=_on_scope_kind)
            if scope.kind in NAMED_KINDS:
                names = scope_names(library, scope.kind)
                more = len(names) > MAX_NAME_OPTIONS
                names = names[:MAX_NAME_OPTIONS]
                if scope.name not in names:
                    names = [scope.name, *names]
                st.session_state["cl_scope_name"] = scope.name
                st.selectbox(SCOPE_TITLES[scope.kind], names, key="cl_scope_name",
                             on_change=_on_scope_name,
                             help=(f"The {MAX_NAME_OPTIONS:,} biggest; open any other from its page."
                                   if more else None))
            st.caption(f"{resolved.scope_size:,} tracks in scope")
        with c_features:
            st.selectbox("Feature set", [*PRESETS, "custom"], key="cl_preset", on_change=_on_preset,
                         format_func=lambda p: PRESETS[p].title if p in PRESETS else "Custom",
                         help="\n".join(f"- **{p.title}**: {p.help}" for p in PRESETS.values()))
        st.multiselect("Features", list(CATALOG), key="cl_features", on_change=_on_features,
                       format_func=lambda f: CATALOG[f].title,
                       help="Audio features need audio-feature data; metadata features work for "
                            "every track. Genres and labels become one 0/1 column per top genre or "
                            "label of the scope.")
        with st.expander("Scaling, algorithm and seed"):
            a1, a2, a3 = st.columns(3)
            a1.radio("Scaling", list(SCALINGS), format_func=SCALINGS.get, key="cl_scaling",
                     on_change=_on_advanced)
            a2.selectbox("Algorithm", list(ALGORITHM_TITLES), format_func=ALGORITHM_TITLES.get,
                         key="cl_algorithm", on_change=_on_advanced)
            a3.number_input("Seed", min_value=0, max_value=2 ** 32 - 1, step=1, key="cl_seed",
                            on_change=_on_advanced,
                            help="The same seed gives the same clusters every time.")
        if matrix is not None:
            st.caption(f"**Scaling:** {matrix.scaling_text}")

    if matrix is None:
        with c_k:
            st.caption("No features to cluster on.")
        st.info("Pick 'Metadata only' to cluster on what every track has.")
        return

    # --- Coverage ----------------------------------------------------------------------------------

    if matrix.unavailable:
        st.info(f"No track in {md(scope.title)} has "
                f"{', '.join(CATALOG[f].title.lower() for f in matrix.unavailable)}: left out.")
    if matrix.n_dropped:
        lacking = [f for f, n in matrix.missing.items() if n]
        audio = [f for f in lacking if f in AUDIO_FEATURE_NAMES]
        what = "audio features" if audio and len(audio) == len(lacking) else \
            ", ".join(CATALOG[f].title.lower() for f in lacking)
        hint = "; pick 'Metadata only' to include them" if audio else ""
        st.info(f"{matrix.n_dropped:,} of {resolved.scope_size:,} tracks have no {what}{hint}.",
                icon="ℹ️")

    provenance.scope_sources(get_scope_sources(library_id, scope))
    saved_maps_list(library_id)
    cluster_results(c_k, headline)


def _resolve(library, library_id: str) -> tuple[ResolvedView, list[str]]:
    # Kept counts, not frames: a fresh process shows a kept clustering without converting the
    # library's tracks (~1 s at 300k; bench_browser's first opens).
    return resolve_view(
        st.query_params.to_dict(), library,
        scope_size_of=lambda s: get_scope_size(library_id, s),
        matrix_summary=lambda s, f, scaling: get_matrix_summary(library_id, s, f, scaling))


@st.fragment
def cluster_results(k_column, headline) -> None:
    """The k controls (drawn into ``k_column`` of the controls above), the headline caption
    (into ``headline``) and everything computed from the clustering. A slider move reruns only
    this, not the controls above (~100 ms less to redraw per move in Chromium). The view is
    resolved from the URL again (cached: a few ms), so it is the library's current version even
    if another tab changed it since the controls were drawn."""
    library = current_library()
    library_id = active_library_id()
    resolved, _ = _resolve(library, library_id)  # the controls above said what was wrong
    params = resolved.params
    _write_url(params)
    scope, features = params.scope, params.features
    k: int | str = params.k

    view = None
    result = None
    cluster_error: str | None = None
    try:
        view = get_cluster_view(library_id, scope, features, params.scaling, k, params.algorithm,
                                params.seed)
        result = view.result
    except (ClusteringError, FeatureError) as exc:
        cluster_error = str(exc)

    if result is not None:
        headline.caption(f"k-means of {result.n_used:,} tracks into {result.k} clusters, on "
                         f"{', '.join(CATALOG[f].title for f in result.features)}.")
    with k_column:
        _k_controls(result, k, resolved.k_max, resolved.n_usable)

    if result is None:
        st.warning(md(cluster_error or "Nothing to cluster."))
        return

    keep_clustering(library_id, params, result)

    # --- Overview: metrics, scatter, selection -----------------------------------------------------

    sizes = result.sizes
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Tracks clustered", f"{result.n_used:,}",
              help=f"{result.n_dropped:,} left out for missing features" if result.n_dropped else None)
    m2.metric("Clusters", result.k, help={"auto": f"Chosen automatically: {md(result.k_reason)}",
                                          "original": "Chosen like the original tool",
                                          "fixed": "Chosen by you"}[result.k_mode])
    m3.metric("Largest / smallest", f"{sizes[0]:,} / {sizes[-1]:,}")
    m4.metric("Algorithm", result.algorithm_name,
              help=" · ".join(filter(None, [f"Seed {result.seed}", result.fit_text])))

    # --- One tab at a time ------------------------------------------------------------------------
    # The tabs are bound to the URL (?show=Profiles) and only the open one runs: a slider move
    # redraws one tab, not five charts and three tables (measured in Chromium, bench_browser).

    tabs = dict(zip(TABS, st.tabs(TABS, key=TAB_PARAM, bind="query-params",
                                  default=DEFAULT_TAB)))
    # Not keyed by k: its axes (the principal components) do not change with k, and the same
    # chart takes the new clusters as new data instead of being drawn anew.
    chart_key = "cl_scatter_" + str(abs(hash((library_id, library.version, scope, features,
                                              params.scaling, params.algorithm, params.seed))))

    def spec(chart: str) -> dict | None:  # built when its tab is open (lib.clusters.charts)
        return get_cluster_chart_spec(library_id, scope, features, params.scaling, k,
                                      params.algorithm, params.seed, chart)

    stability = None
    for name, tab in tabs.items():
        if not tab.open:
            continue
        with tab:
            if name == "Map":
                _map_tab(result, view, spec("scatter"), library_id, scope, chart_key)
            elif name == "Profiles":
                _profiles_tab(result, view, spec("profiles"))
            elif name == "Labels":
                _labels_tab(view, spec)
            elif name == "Tracks":
                _tracks_tab(result, library_id, scope)
            elif name == "Choosing k":
                _k_tab(library_id, params, result, spec)
            else:
                stability = stability_section(library_id, params)

    # Trust not opened: the report measures stability on download (cached and kept like the tab's).
    download_clusters(scope, lambda: scope_tracks(library, scope), view,
                      stability=stability or cluster_stability_later(
                          library_id, scope, features, params.scaling, k, params.algorithm,
                          params.seed))


def _k_controls(result, k: int | str, k_max: int, n_usable: int) -> None:
    """How k is chosen (auto, like the original tool, or by hand) and the k slider."""
    st.session_state["cl_k_mode"] = k if k in ("auto", "original") else "choose"
    shown_k = result.k if result is not None else (k if isinstance(k, int) else 2)
    st.session_state["cl_shown_k"] = shown_k
    st.segmented_control("Number of clusters", list(K_MODES), format_func=K_MODES.get,
                         key="cl_k_mode", on_change=_on_k_mode,
                         help=f"**Auto** tries k = 2…{AUTO_K_MAX} and keeps the k "
                              "whose clusters are best separated (3 or more unless 2 "
                              "are clearly better). **Like the original tool** starts "
                              "at tracks ÷ 50 (3…10) and lowers k while the largest "
                              "cluster is over 10× the smallest.")
    if k_max > K_MIN:
        st.session_state["cl_k"] = min(max(shown_k, K_MIN), k_max)
        st.slider("k", K_MIN, k_max, key="cl_k", on_change=_on_k,
                  help="Moving the slider switches to 'Choose k'. At most one less than "
                       "the number of tracks, and 20.")
    elif k_max == K_MIN:
        st.caption(f"k = {K_MIN}: the most {n_usable} tracks allow.")
    else:
        st.caption("Too few tracks to cluster.")


def _map_tab(result, view, scatter: dict, library_id: str, scope: Scope, chart_key: str) -> None:
    """The scatter of the clusters, and the tracks a legend click or a dragged rectangle picks."""
    # The chart keeps its key across k (Streamlit swaps the new clusters into the chart on
    # screen), except after a legend pick: that names a cluster of the k it was made at, so at
    # another k the chart starts afresh. A dragged rectangle is kept: the axes do not change.
    fresh = st.session_state.get("cl_scatter_fresh", 0)
    if st.session_state.get("cl_legend_pick_k") not in (None, result.k):
        fresh = st.session_state["cl_scatter_fresh"] = fresh + 1
    chart_key = f"{chart_key}_{fresh}"
    event = st.vega_lite_chart(spec=deepcopy(scatter), on_select="rerun",
                              selection_mode=[LEGEND_SELECTION, BRUSH_SELECTION], key=chart_key,
                              width="stretch")
    sample_note = (f"Showing a stratified sample of {len(view.points):,} of {result.n_used:,} "
                   "tracks (each cluster in proportion, small ones at least 50). "
                   if view.sampled else "")
    st.caption(f"{sample_note}Each dot is a track; diamonds mark the cluster centres. The axes are "
               "the two directions along which the tracks differ most (principal components), named "
               "by the features that weigh most in them; direction 1 covers "
               f"{result.explained[0]:.0%} of the differences between tracks, direction 2 "
               f"{result.explained[1]:.0%}. Click a legend entry (shift-click for "
               "several) or drag a rectangle to list those tracks below.")

    selection = getattr(event, "selection", None) or {}
    legend_pick = selection.get(LEGEND_SELECTION) or []
    box = selection.get(BRUSH_SELECTION) or {}
    by_label = {result.cluster_label(i): i for i in range(result.k)}
    picked = [by_label[p["cluster"]] for p in legend_pick
              if isinstance(p, dict) and p.get("cluster") in by_label]
    st.session_state["cl_legend_pick_k"] = result.k if legend_pick else None
    rect = None
    if isinstance(box, dict) and len(box.get("x") or []) == 2 and len(box.get("y") or []) == 2:
        rect = (tuple(box["x"]), tuple(box["y"]))
    if picked or rect:
        positions = selected_positions(result, picked or None, rect)
        what = ("Cluster" + ("s " if len(picked) > 1 else " ")
                + ", ".join(f"#{i + 1}" for i in sorted(picked))) if picked else "All clusters"
        st.subheader(f"Selected: {len(positions):,} tracks")
        st.caption(f"{what}{' inside the dragged rectangle' if rect else ''}, nearest to their "
                   "centre first" + (f"; the first {MAX_SELECTED_ROWS:,} shown"
                                     if len(positions) > MAX_SELECTED_ROWS else "") + ".")
        scope_frame = get_scope_tracks(library_id, scope)
        show_linked_tracks(scope_frame.iloc[result.rows[positions[:MAX_SELECTED_ROWS]]],
                           key="cl_selected", height=min(420, 38 + 35 * min(len(positions), 11)))


def _profiles_tab(result, view, profiles: dict) -> None:
    """What sets each cluster apart: the list, one heatmap of all profiles, one table of the
    tracks nearest each centre (not a chart and a table per cluster: at k = 9 that was 18 more
    elements to redraw)."""
    st.subheader("What sets each cluster apart")
    st.markdown("\n".join(f"- **{md(result.cluster_label(i))}** · {info.size:,} tracks · "
                          f"{info.share:.0%} of the clustered tracks"
                          for i, info in enumerate(result.clusters)))
    st.vega_lite_chart(spec=deepcopy(profiles), width="stretch", key="cl_profiles")
    st.caption("Each column is a cluster, each row a feature. The number (and colour: green "
               "higher, purple lower) is how far the cluster's mean is from the scope's, in "
               "standard deviations: ±1 is a clear difference. Hover a cell for both means.")
    st.subheader("The tracks closest to each centre")
    st.caption(f"Up to {N_REPRESENTATIVES} per cluster: the tracks that sound most like it.")
    reps = view.representatives
    show_linked_tracks(reps, key="cl_reps",
                       leading={"Cluster": [result.cluster_label(c) for c in reps["cluster"]]})


def _labels_tab(view, spec) -> None:
    if view.heatmap.empty or view.heatmap["label"].nunique() < 2:
        st.info("Fewer than two labels in this scope: nothing to compare across clusters.")
        return
    st.subheader("Labels across clusters")
    st.caption("The biggest labels of the scope: how each label's tracks spread over the "
               "clusters (colour: share of the label, number: tracks).")
    st.vega_lite_chart(spec=deepcopy(spec("heatmap")), width="stretch")


def _tracks_tab(result, library_id: str, scope: Scope) -> None:
    """One cluster's tracks, listed and saved as a playlist, picked from all clusters."""
    scope_frame = get_scope_tracks(library_id, scope)
    st.subheader("Every track of a cluster")
    pick = st.selectbox("Cluster", list(range(result.k)), format_func=result.cluster_label,
                        key=f"cl_pick_{result.k}")
    info = result.clusters[pick]
    members = result.member_positions(pick)
    save_cluster_button(
        lambda: scope_frame["track_id"].to_numpy()[result.rows[members]].tolist(),
        f"{scope.title} · Cluster #{info.number}: {info.name}", key="cl_save", explain=True)
    if info.size > MAX_LIST_ROWS:
        st.caption(f"The {MAX_LIST_ROWS:,} of its {info.size:,} tracks closest to the centre.")
    else:
        st.caption(f"Its {info.size:,} tracks, closest to the centre first.")
    show_linked_tracks(scope_frame.iloc[result.rows[members[:MAX_LIST_ROWS]]], key="cl_list",
                       height=420)


def _k_tab(library_id: str, params: ClusterParams, result, spec) -> None:
    """The separation score and the spread for every k: computed only when this tab is open
    (the auto mode has it already, from choosing k)."""
    curve = result.k_curve
    if curve is None:
        scope, features = params.scope, params.features
        curve, curve_n = get_k_curve(library_id, scope, features, params.scaling, params.seed)
        curve_spec = get_k_curve_spec(library_id, scope, features, params.scaling, params.seed,
                                      result.k)
    else:
        curve_n = result.curve_sample
        curve_spec = spec("curve")
    st.subheader("How many clusters?")
    if curve.empty:
        st.caption("These tracks cannot be split further.")
        return
    if result.k_mode == "auto":
        why = f"Auto chose **k = {result.k}**: {md(result.k_reason)}."
    else:
        auto_k, reason = choose_k(curve)
        why = f"Auto would choose **k = {auto_k}**: {md(reason)}."
    st.vega_lite_chart(spec=deepcopy(curve_spec), width="stretch", key="cl_k_curve")
    st.caption(f"{why} The separation score (silhouette, −1…1) says how much closer "
               "tracks are to their own cluster than to the next one. The spread within "
               "clusters (inertia) always falls as k grows: look for the bend after "
               "which it stops falling fast."
               + (f" Computed on a random sample of {curve_n:,} tracks."
                  if curve_n < result.n_used else ""))


clusters_view()
