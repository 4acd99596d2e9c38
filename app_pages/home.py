"""Home: the library at a glance."""

import streamlit as st

from lib import charts, overview
from lib.store import AUDIO_FEATURES
from ui.session import current_library

lib = current_library()
st.title("labelscope")
st.caption("Your music library, the way a label analyst sees it.")

if lib.is_empty:
    st.warning("This library has no tracks yet. Import files or connect Spotify on the Data page.")
    st.page_link("app_pages/data.py", label="Go to Data", icon="💾")
    st.stop()

k = overview.kpis(lib)
cols = st.columns(6)
cols[0].metric("Tracks", f"{k.tracks:,}")
cols[1].metric("Artists", f"{k.artists:,}")
cols[2].metric("Albums", f"{k.albums:,}")
cols[3].metric("Labels", f"{k.labels:,}")
cols[4].metric("Liked", f"{k.liked_share:.0%}")
cols[5].metric("With audio features", f"{k.features_share:.0%}")

with st.expander("Data coverage", expanded=k.features_share < 0.5):
    st.dataframe(overview.coverage_table(lib), hide_index=True, column_config={
        "share": st.column_config.ProgressColumn("Share of tracks", format="percent",
                                                 min_value=0, max_value=1)})



def chart_and_table(title: str, frame, chart, empty: str, **table_args) -> None:
    """A section with a chart tab and the same numbers as a table."""
    st.subheader(title)
    if frame.empty:
        st.info(empty)
        return
    tab_chart, tab_table = st.tabs(["Chart", "Table"])
    tab_chart.altair_chart(chart)
    tab_table.dataframe(frame, hide_index=True, **table_args)


left, right = st.columns(2)
with left:
    labels = overview.top_labels(lib)
    chart_and_table("Top labels", labels, charts.bar_chart(
        labels, "label", "tracks", tooltip=["label", "tracks", "liked", "top_artist"]),
        "No record labels in this library: import files with a label column.")
    st.page_link("app_pages/labels.py", label="All labels", icon="🏷️")
with right:
    artists = overview.top_artists(lib)
    chart_and_table("Top artists", artists, charts.bar_chart(
        artists, "name", "tracks", tooltip=["name", "tracks", "liked", "top_label"]),
        "No artists in this library.", column_config={
            "image_url": st.column_config.ImageColumn("Art", width="small"),
            "name": "Artist", "top_label": "Top label"})
    st.page_link("app_pages/artists.py", label="All artists", icon="🎤")

left, right = st.columns(2)
with left:
    genres = overview.top_genres(lib)
    chart_and_table("Genres", genres, charts.bar_chart(
        genres, "genre", "tracks", tooltip=["genre", "tracks", "liked", "artists"]),
        "No genres in this library: import files with artist genres.")
with right:
    years = charts.year_counts(lib.tracks["release_year"])
    chart_and_table("Release years", years, charts.year_chart(years, title=None),
                    "No release dates in this library.")

st.subheader("Sound of the library")
features = [f for f in AUDIO_FEATURES[:9]]
binned = charts.binned_features({"Library": lib.tracks}, features)
if binned.empty:
    st.info("No audio features in this library yet: see *Data coverage* above for how to add them.")
else:
    st.altair_chart(charts.feature_distribution_chart(binned))
