""""Can you trust these clusters?": the stability panel of the Clusters page (one call line:
``stability = stability_section(library_id, params)``; the result also goes into the report)."""

from __future__ import annotations

import streamlit as st

from lib.clusters.kmeans import ClusterParams
from lib.clusters.stability import HOLDS_JACCARD, Stability
from ui.cache import get_cluster_stability
from lib.reports.markdown import streamlit_text as md


def stability_section(library_id: str, params: ClusterParams) -> Stability | None:
    """Draw the stability of the clustering ``params`` describes (the view on screen) and return
    it; None (after a caption) when it cannot be measured."""
    st.subheader("Can you trust these clusters?", anchor=False)
    try:
        stability = get_cluster_stability(library_id, params.scope, params.features,
                                          params.scaling, params.k, params.algorithm,
                                          params.seed)
    except ValueError as exc:  # too few tracks for re-fits
        st.caption(md(f"Stability cannot be measured here: {exc}"))
        return None
    if stability.warning:
        st.warning(md(stability.warning), icon="🌫️")
    st.markdown(md(stability.summary))
    table = stability.clusters
    st.dataframe(table.assign(
        cluster=[f"#{n} {name}" for n, name in zip(table["number"], table["name"])],
        held=[f"{h} of {r}" for h, r in zip(table["holds"], table["refits"])])[
        ["cluster", "held", "jaccard", "words"]], hide_index=True, key="cl_stability",
        column_config={
            "cluster": st.column_config.TextColumn("Cluster"),
            "held": st.column_config.TextColumn(
                "Holds together", help=f"Re-fits in which the best-matching cluster shares at "
                                       f"least {HOLDS_JACCARD:.0%} of its tracks (Jaccard)"),
            "jaccard": st.column_config.ProgressColumn(
                "Mean Jaccard", min_value=0, max_value=1, format="%.2f",
                help="Tracks shared with the best-matching re-fitted cluster, over both"),
            "words": st.column_config.TextColumn("Verdict")})
    return stability
