"""Provenance on the pages: which source supplied each kind of value (data: lib.enrichment.provenance).

:func:`provenance_section` is the Data page's small chart (one stacked bar per kind: features,
labels, genres, scores, split by source); :func:`scope_sources` is the Clusters page's line
saying which share of the scope's audio features each source supplied.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from lib.enrichment.provenance import KINDS, NONE, coverage_by_source, title
from ui.cache import get_store
from ui.charts import altair_chart
from lib.reports.markdown import streamlit_text as md


@st.cache_data(max_entries=16, show_spinner=False)
def _coverage(library_id: str, version: int) -> pd.DataFrame:
    return coverage_by_source(get_store(), library_id)


def provenance_section(library_id: str) -> None:
    """Coverage per kind and source, as one small stacked bar chart."""
    frame = _coverage(library_id, get_store().version(library_id))
    if frame.empty:
        return
    frame = frame.assign(Source=frame["source"].map(title), Kind=frame["kind"],
                         Share=frame["share"], Tracks=frame["tracks"])
    sources = list(dict.fromkeys(s for s in frame["Source"] if s != title(NONE))) + [title(NONE)]
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
               "#bcbd22"]
    colours = [palette[i % len(palette)] for i in range(len(sources) - 1)] + ["#d9d9d9"]
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("Share:Q", stack="normalize", axis=alt.Axis(format="%", title=None)),
        y=alt.Y("Kind:N", sort=list(KINDS), title=None, axis=alt.Axis(labelOverlap=False)),
        color=alt.Color("Source:N", legend=alt.Legend(orient="top", title=None),
                        scale=alt.Scale(domain=sources, range=colours)),
        order=alt.Order("order:Q"),
        tooltip=["Kind:N", "Source:N", alt.Tooltip("Tracks:Q", format=","),
                 alt.Tooltip("Share:Q", format=".0%")],
    ).transform_calculate(order=f"indexof({sources!r}, datum.Source)").properties(
        height=alt.Step(26))
    st.markdown("**Where the values come from**")
    altair_chart(chart, width="stretch")
    st.caption("Share of tracks per source; “Not known” are tracks still without that value.")


def scope_sources(shares: pd.DataFrame) -> None:
    """One caption: which share of a scope's audio features each source supplied (``shares``:
    lib.enrichment.provenance.feature_sources, e.g. ui.cache.get_scope_sources)."""
    if shares.empty:
        return
    parts = [f"{title(s)} {share:.0%}" for s, share in zip(shares["source"], shares["share"])]
    st.caption(md("Audio features of this scope from " + " · ".join(parts)))
