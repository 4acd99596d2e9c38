"""The floor under the Clusters page: the same kinds of elements as ``/clusters?k=4``, with no work
behind them, so bench/bench_browser.py can show what Streamlit and Chromium alone cost on this
machine for a first open and a slider move. Not part of the product; kept only for the benchmark.

Sidebar page links, a heading and captions, the scope and feature controls (select boxes, a
multiselect, a radio, a number input), four metrics, six tabs, and the k slider with a 2,500-dot
scatter in a fragment. The scatters are labelscope's own, of random dots, built beforehand by
bench_browser (``floor_scatters``) into ``bench/out/floor_scatters.json``: this app imports
nothing but Streamlit and does no work per rerun.

    python -c "from bench.bench_browser import floor_scatters; floor_scatters()"
    streamlit run bench/floor_app.py
"""

import base64
import json
from copy import deepcopy
from pathlib import Path

import streamlit as st

SCATTERS = Path(__file__).resolve().parent / "out" / "floor_scatters.json"


@st.cache_resource(show_spinner=False)
def scatters() -> dict[int, dict]:
    """Each k's scatter spec, its datasets' Arrow bytes decoded."""
    specs = json.loads(SCATTERS.read_text("utf-8"))
    for spec in specs.values():
        spec["datasets"] = {name: base64.b64decode(data) for name, data in spec["datasets"].items()}
    return {int(k): spec for k, spec in specs.items()}


st.set_page_config(page_title="floor", page_icon="🎛️", layout="wide")
with st.sidebar:
    st.caption("Library")
    for i, icon in enumerate(["🏠", "🏷️", "🎤", "📃", "🎸", "🧭", "⚖️", "💾"]):
        st.page_link(f"https://example.org/{i}", label=f"Page {i}", icon=icon)
st.title("Clusters (floor)")
headline = st.container()
with st.container(border=True):
    left, middle, right = st.columns([1.2, 1, 1.3], gap="large")
    left.selectbox("Scope", ["Whole library", "A label"])
    left.caption("2,500 tracks in scope")
    middle.selectbox("Feature set", ["Sound", "Mood"])
    st.multiselect("Features", ["Energy", "Danceability", "Valence"], ["Energy", "Valence"])
    with st.expander("Scaling, algorithm and seed"):
        a1, a2, a3 = st.columns(3)
        a1.radio("Scaling", ["Standard", "Robust"])
        a2.selectbox("Algorithm", ["Auto", "k-means"])
        a3.number_input("Seed", value=42)


@st.fragment
def results() -> None:
    with right:
        st.segmented_control("Number of clusters", ["Auto", "Choose k"], default="Choose k")
        k = st.slider("k", 2, 20, int(st.query_params.get("k", 4)), key="k")
    headline.caption(f"k-means of 2,500 tracks into {k} clusters.")
    for column, (title, value) in zip(st.columns(4), [("Tracks", "2,500"), ("Clusters", k),
                                                      ("Largest", 1), ("Algorithm", "k-means")]):
        column.metric(title, value)
    tabs = st.tabs(["Map", "Profiles", "Labels", "Tracks", "Choosing k", "Trust"])
    with tabs[0]:
        st.vega_lite_chart(spec=deepcopy(scatters()[k]), on_select="rerun",
                           selection_mode=["legend", "brush"], key="scatter", width="stretch")
        st.caption("Each dot is a track; diamonds mark the cluster centres.")


results()
