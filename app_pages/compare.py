"""Compare: two scopes side by side (``/compare?library=…&a=label:X&b=artist:Y&k=4``).

Either side is any scope the Clusters page accepts (lib.analysis.compare.parse_side). Everything
shown comes from one cached lib.analysis.compare.Comparison; the view lives in the URL.
"""

from __future__ import annotations

from copy import deepcopy

import pandas as pd
import streamlit as st

from lib.analysis.compare import DEFAULT_K, MAX_K, CompareError, parse_side, side_param
from lib.reports.compare import compare_report, separating_sentences, summary_rows
from lib.store.kinds import KINDS
from lib.store.scopes import ScopeError
from ui.cache import get_comparison, get_comparison_chart_specs
from ui.compare_control import scope_picker
from ui.downloads import download_report
from lib.reports.markdown import streamlit_text as md
from ui.tables import show_linked_table
from ui.session import active_library_id, current_library, set_active_library, visible_libraries

wanted_library = st.query_params.get("library")
if wanted_library and wanted_library != active_library_id() and \
        wanted_library in visible_libraries():
    set_active_library(wanted_library)
    st.rerun()
library = current_library()
library_id = active_library_id()

problems: list[str] = []
sides = {}
for which in ("a", "b"):
    raw = st.query_params.get(which)
    if raw is None:
        sides[which] = None
        continue
    try:
        sides[which] = parse_side(raw, which)
    except CompareError as exc:
        problems.append(str(exc))
        sides[which] = None
try:
    k = int(st.query_params.get("k", DEFAULT_K))
    if not 2 <= k <= MAX_K:
        raise ValueError
except ValueError:
    problems.append(f"k must be a whole number from 2 to {MAX_K}, not "
                    f"'{st.query_params.get('k')}'; using {DEFAULT_K}.")
    k = DEFAULT_K

st.title("Compare")
st.caption("Any two parts of your library side by side: labels, artists, playlists, genres, your "
           "Liked Songs or the whole library.")
for problem in problems:
    st.warning(md(problem))

with st.container(border=True):
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**A**")
        pick_a = scope_picker(library, "cmp_a", sides["a"])
    with right:
        st.markdown("**B**")
        pick_b = scope_picker(library, "cmp_b", sides["b"], default_kind="liked")
    k_choice = st.slider("Clusters in the joint clustering", 2, MAX_K, k, key="cmp_k")
for which, picked in (("a", pick_a), ("b", pick_b)):
    if picked is not None and picked != sides[which]:
        sides[which] = picked
        st.query_params[which] = side_param(picked)
if k_choice != k:
    k = k_choice
    st.query_params["k"] = str(k)
st.query_params["library"] = library_id

a, b = sides["a"], sides["b"]
if a is None or b is None:
    st.info("Pick both sides to compare them.")
    st.stop()
try:
    comparison = get_comparison(library_id, a, b, k)
except ScopeError as exc:
    st.warning(md(f"{exc} Pick another one above."))
    st.stop()
c = comparison
specs = get_comparison_chart_specs(library_id, a, b, k)
name_a, name_b = c.group_names()


def _page_link(scope, column) -> None:
    if scope.name and scope.kind in KINDS:
        spec = KINDS[scope.kind]
        column.page_link(spec.page_file, label=f"Open {md(scope.name)}",
                         query_params={spec.param: scope.name})


st.header(f"{md(c.title_a)} vs {md(c.title_b)}", anchor=False)
head_a, head_b = st.columns(2, gap="large")
for column, scope, title in ((head_a, a, name_a), (head_b, b, name_b)):
    column.subheader(md(title), anchor=False)
    _page_link(scope, column)
rows = summary_rows(c.summary_a, c.summary_b)
st.dataframe(pd.DataFrame({"": [r[0] for r in rows], name_a: [r[1] for r in rows],
                           name_b: [r[2] for r in rows]}), hide_index=True, key="cmp_summary")
if c.overlap:
    st.caption(f"{c.overlap:,} tracks belong to both.")
if st.button("Swap A and B", icon=":material/swap_horiz:", key="cmp_swap"):
    st.query_params["a"], st.query_params["b"] = side_param(b), side_param(a)
    for key in ("cmp_a_kind", "cmp_a_name", "cmp_b_kind", "cmp_b_name"):
        st.session_state.pop(key, None)
    st.rerun()

st.subheader("How they sound", anchor=False)
if c.binned.empty or c.binned["share"].sum() == 0:
    st.info("Neither side has audio features yet: the Home page's *Data coverage* says how to "
            "add them.", icon="🎚️")
else:
    sentences = separating_sentences(c)
    if sentences:
        st.markdown("\n".join(f"- {md(s)}" for s in sentences))
    else:
        st.markdown("No audio feature separates them much: every effect size is below 0.2.")
    st.vega_lite_chart(spec=deepcopy(specs["features"]), width="content")
    with st.expander("Every feature, with its effect size"):
        st.dataframe(pd.DataFrame({
            "Feature": c.effects["title"], "Mean A": c.effects["mean_a"],
            "Mean B": c.effects["mean_b"], "Cohen's d": c.effects["d"],
            "A is …": c.effects["words"]}), hide_index=True, key="cmp_effects", column_config={
                "Mean A": st.column_config.NumberColumn(format="%.3f"),
                "Mean B": st.column_config.NumberColumn(format="%.3f"),
                "Cohen's d": st.column_config.NumberColumn(
                    format="%+.2f", help="Difference of the means in pooled standard "
                                         "deviations: 0.2 slight, 0.5 clear, 0.8 large")})

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Shared artists", anchor=False)
    if c.shared_artists.empty:
        st.caption("No artist appears on both sides.")
    else:
        show_linked_table(pd.DataFrame({
            "Artist": c.shared_artists["name"].to_numpy(),
            "Tracks in A": c.shared_artists["tracks_a"].to_numpy(),
            "Tracks in B": c.shared_artists["tracks_b"].to_numpy()}),
            key="cmp_artists", links={"Artist": "artist"}, column_config={
                "Artist": st.column_config.TextColumn("Artist", help="Select to open its page")})
with right:
    st.subheader("Shared albums", anchor=False)
    if c.shared_albums.empty:
        st.caption("No album has tracks on both sides.")
    else:
        st.dataframe(c.shared_albums.rename(columns={
            "name": "Album", "artist": "Artist", "tracks_a": "Tracks in A",
            "tracks_b": "Tracks in B"}).drop(columns="album_id"), hide_index=True,
            key="cmp_albums")

st.subheader("Clustered together", anchor=False)
st.caption(md(c.cluster_note))
if not c.clusters.empty:
    st.vega_lite_chart(spec=deepcopy(specs["clusters"]), width="stretch")
    st.caption("Each bar is the share of one side's tracks in that cluster: clusters where only "
               "one colour shows are the sound the other side lacks.")

download_report(lambda: compare_report(c), f"compare-{c.title_a}-vs-{c.title_b}",
                key="compare_report")
