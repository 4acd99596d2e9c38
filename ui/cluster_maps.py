"""Saved cluster maps on the Clusters page (lib.clusters.maps), in three call lines:

- ``open_saved_map(library_id)`` at the top: with ``?map=NAME`` it shows that map (reopened
  against the library now) and stops the page;
- ``keep_clustering(library_id, params, result)``: the "Keep this clustering" control;
- ``saved_maps_list(library_id)``: the library's maps, each a link to ``/clusters?map=NAME``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.clusters.features import CATALOG, SCALINGS
from lib.clusters.kmeans import ClusterParams, ClusterResult
from lib.clusters.maps import (MAX_NAME, MapError, delete_map, list_maps, map_definition,
                               rename_map, save_map)
from lib.reports.cluster_maps import map_report
from ui.cache import get_feature_matrix, get_library, get_map_view, get_store
from ui.downloads import download_report
from lib.reports.markdown import streamlit_text as md
from ui.spotify_connect import save_cluster_button
from ui.tables import show_linked_tracks

CLUSTERS_PAGE = "app_pages/clusters.py"
_FLASH = "_cluster_map_flash"


def _flash() -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(md(message), icon="📌")


def keep_clustering(library_id: str, params: ClusterParams, result: ClusterResult) -> None:
    """"Keep this clustering": store the view on screen under a name (its feature matrix's
    scaling with it, read when Keep is clicked)."""
    _flash()
    with st.popover("Keep this clustering", icon="📌",
                    help="Store this clustering under a name: it reopens exactly as it is now, "
                         "even after the library changes."):
        name = st.text_input("Name", value=f"{params.scope.title}, {result.k} clusters",
                             max_chars=MAX_NAME, key="map_new_name")
        if st.button("Keep", key="map_keep", type="primary"):
            store = get_store()
            matrix = get_feature_matrix(library_id, params.scope, params.features,
                                        params.scaling)
            definition = map_definition(result, matrix, params.scope,
                                        scaling_param=params.scaling,
                                        algorithm_param=params.algorithm,
                                        library_version=store.version(library_id))
            try:
                save_map(store, library_id, name, definition, result.track_ids, result.labels)
            except MapError as exc:
                st.error(md(str(exc)))
            else:
                st.session_state[_FLASH] = (f"Kept as '{' '.join(name.split())}': open it any "
                                            "time from Saved cluster maps.")
                st.rerun()


def saved_maps_list(library_id: str) -> None:
    """The library's saved maps, newest first, each linking to ``/clusters?map=NAME``."""
    maps = list_maps(get_store(), library_id)
    if maps.empty:
        return
    with st.expander(f"Saved cluster maps ({len(maps)})"):
        for row in maps.itertuples(index=False):
            scope = row.scope_name or {"library": "the whole library",
                                       "liked": "Liked Songs"}.get(row.scope_kind, row.scope_kind)
            left, right = st.columns([2, 3])
            left.page_link(CLUSTERS_PAGE, label=md(row.name), icon="📌",
                           query_params={"map": row.name})
            right.caption(f"{md(scope)} · k = {row.k} · {row.tracks:,} tracks · kept "
                          f"{row.created_at:%Y-%m-%d %H:%M}")


def open_saved_map(library_id: str) -> None:
    """With ``?map=NAME`` in the URL: show that map and stop the page (nothing otherwise)."""
    name = st.query_params.get("map")
    if name is None:
        return
    store = get_store()
    maps = list_maps(store, library_id)
    found = maps[maps["name"] == name]
    if found.empty:
        st.title("Clusters")
        st.warning(md(f"No saved map called '{name}' in this library."))
        _back_to_live()
        st.stop()
    row = found.iloc[0]
    view = get_map_view(library_id, name, int(row["map_id"]), row["created_at"])
    _show_map(library_id, view)
    st.stop()


def _back_to_live(params: dict[str, str] | None = None, label: str = "Live clustering") -> None:
    st.page_link(CLUSTERS_PAGE, label=label, icon="🧭", query_params=params or {})


def _show_map(library_id: str, view) -> None:
    library = get_library(library_id)
    saved = view.saved
    d = saved.definition
    st.title(f"Cluster map: {md(saved.name)}")
    feats = ", ".join(CATALOG[f].title for f in d["features"] if f in CATALOG)
    st.caption(md(f"Kept {saved.created_at:%Y-%m-%d %H:%M} UTC from {saved.scope.title}: "
                  f"k = {d['k']} on {feats}; scaling {SCALINGS.get(d['scaling_param'], 'auto')},"
                  f" seed {d['seed']}. Tracks kept keep their cluster; tracks added since go to "
                  "the nearest saved cluster and are marked 🆕."))
    _flash()
    if view.scope_missing:
        st.warning(md(f"{saved.scope.title} is no longer in this library: every track of the "
                      "map has left."))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Tracks now", f"{int(view.clusters['size'].sum()):,}")
    m2.metric("New since kept", f"{int(view.clusters['new'].sum()):,}")
    m3.metric("Left since kept", f"{view.left:,}",
              help="Tracks of the map no longer in its scope (or the library)")
    m4.metric("Not placed", f"{view.unplaced:,}",
              help="Tracks of the scope without the map's features")
    c1, c2, _ = st.columns([1.2, 1.2, 3])
    with c1:
        _back_to_live(saved.query_params(), "Re-cluster live")
    with c2, st.popover("Rename or delete", icon="✏️"):
        new = st.text_input("New name", value=saved.name, max_chars=MAX_NAME, key="map_rename")
        if st.button("Rename", key="map_rename_go"):
            try:
                new = rename_map(get_store(), library_id, saved.name, new)
            except MapError as exc:
                st.error(md(str(exc)))
            else:
                st.session_state[_FLASH] = f"Renamed to '{new}'."
                st.query_params["map"] = new
                st.rerun()
        sure = st.checkbox("Yes, delete this map", key="map_delete_sure")
        if st.button("Delete", key="map_delete_go", disabled=not sure):
            delete_map(get_store(), library_id, saved.name)
            del st.query_params["map"]
            st.session_state[_FLASH] = f"Deleted the map '{saved.name}'."
            st.rerun()
    clusters = view.clusters
    st.dataframe(pd.DataFrame({
        "Cluster": [f"#{n} {name}" for n, name in zip(clusters["number"], clusters["name"])],
        "Tracks now": clusters["size"], "New": clusters["new"],
        "When kept": clusters["saved_size"]}), hide_index=True, key="map_overview")
    for i, info in clusters.iterrows():
        st.divider()
        number = int(info["number"])
        st.subheader(f"Cluster #{number}: {md(info['name'])}", anchor=False)
        st.caption(f"{int(info['size']):,} tracks"
                   + (f" · {int(info['new']):,} new since the map was kept (🆕, listed last)"
                      if info["new"] else ""))
        rows = view.cluster_rows(i)
        tracks = library.tracks.iloc[rows[:2000]]
        is_new = view.members.loc[view.members["cluster"] == i, "new"].to_numpy()[:2000]
        shown = tracks.assign(track_name=[f"🆕 {t}" if n else t for t, n in
                                          zip(tracks["track_name"], is_new)])
        show_linked_tracks(shown, key=f"map_tracks_{i}", height=min(420, 38 + 35 * len(shown)))
        left, right = st.columns([1, 1])
        with left:
            save_cluster_button(lambda i=i: view.cluster_track_ids(i),
                                f"{saved.name} · Cluster #{number}: {info['name']}",
                                key=f"map_save_{i}", explain=i == 0)
        with right:
            st.download_button(
                "Cluster report (.md)", key=f"map_report_{i}", on_click="ignore",
                data=lambda i=i: map_report(view, library, cluster=i).to_markdown().encode(),
                file_name=f"cluster-map-cluster-{number}.md", mime="text/markdown",
                icon=":material/description:")
    download_report(lambda: map_report(view, library), f"cluster-map-{saved.name}",
                    key="map_report")
