"""Home: the library at a glance."""

import streamlit as st

from lib.store.kinds import KINDS
from ui.cache import get_library_basis, get_overview
from ui import sections
from ui.downloads import download_overview
from ui.session import active_library_id, current_library, link_params
from ui.sound_alike import loved_labels_section

library = current_library()
st.title("labelscope")
st.caption("Your music library, the way a label analyst sees it.")

if library.is_empty:
    st.warning("This library has no tracks yet. Import files or connect Spotify on the Data page.")
    st.page_link("app_pages/data.py", label="Go to Data", icon="💾", query_params=link_params())
    st.stop()

library_id = active_library_id()
summary = get_overview(library_id)
k = summary.kpis
cols = st.columns(6)
cols[0].metric("Tracks", f"{k.tracks:,}")
cols[1].metric("Artists", f"{k.artists:,}")
cols[2].metric("Albums", f"{k.albums:,}")
cols[3].metric("Labels", f"{k.labels:,}")
cols[4].metric("Liked", f"{k.liked_share:.0%}")
cols[5].metric("With audio features", f"{k.features_share:.0%}")

with st.expander("Data coverage", expanded=k.features_share < 0.5):
    sections.coverage_section(summary.coverage)



left, right = st.columns(2)
with left:
    sections.ranking_section(library.labels, "label", title="Top labels", key="home_labels",
                             empty="No record labels in this library: import files with a label "
                                   "column, or enable MusicBrainz on the Data page.")
    st.page_link(KINDS["label"].page_file, label="All labels", icon=KINDS["label"].icon,
                 query_params=link_params())
with right:
    sections.top_artists_section(summary.top_artists, key="home_artists",
                                 empty="No artists in this library.")
    st.page_link(KINDS["artist"].page_file, label="All artists", icon=KINDS["artist"].icon,
                 query_params=link_params())

left, right = st.columns(2)
with left:
    sections.ranking_section(library.genres, "genre", title="Genres", key="home_genres",
                             empty="No genres in this library: import files with artist genres, "
                                   "or enable MusicBrainz on the Data page.")
with right:
    sections.years_section(summary.years)

loved_labels_section(library_id)

st.subheader("Sound of the library")
binned = get_library_basis(library_id).binned
if binned.empty:
    st.info("No audio features in this library yet: see *Data coverage* above for how to add them.")
else:
    sections.feature_grid(binned)

download_overview(library)
