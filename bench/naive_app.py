"""The naive Clusters app bench/bench_browser.py compares labelscope with: what a first version
written in an afternoon does. Cached load (one query, all columns), ``KMeans(n_init=10)`` on every
rerun, and the whole frame handed to Altair. Not part of the product; kept only for the benchmark.

    LABELSCOPE_DB=bench/out/browser_30000.duckdb streamlit run bench/naive_app.py
"""

import os

import altair as alt
import duckdb
import streamlit as st
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

FEATURES = ["danceability", "energy", "speechiness", "acousticness", "instrumentalness",
            "valence"]


@st.cache_data
def load(path: str):
    con = duckdb.connect(path, read_only=True)
    frame = con.execute(
        "SELECT t.track_id, t.name, a.name AS album, a.label_raw, a.release_year, f.* "
        "FROM tracks t JOIN albums a USING (library_id, album_id) "
        "JOIN audio_features f USING (library_id, track_id)").df()
    con.close()
    return frame.dropna(subset=FEATURES)


st.title("Clusters (naive)")
tracks = load(os.environ["LABELSCOPE_DB"])
k = st.slider("k", 2, 20, int(st.query_params.get("k", 4)))
values = StandardScaler().fit_transform(tracks[FEATURES])
tracks["cluster"] = KMeans(n_clusters=k, n_init=10, random_state=42).fit_predict(values)
xy = PCA(n_components=2).fit_transform(values)
tracks["x"], tracks["y"] = xy[:, 0], xy[:, 1]
st.altair_chart(alt.Chart(tracks).mark_circle(size=8).encode(
    x="x", y="y", color="cluster:N", tooltip=["name", "album", "label_raw"]), width="stretch")
st.altair_chart(alt.Chart(tracks).mark_bar().encode(x="cluster:N", y="count()"))
for c in range(k):
    st.subheader(f"Cluster {c}")
    st.dataframe(tracks[tracks["cluster"] == c].head(10)[["name", "album", "label_raw"]])
