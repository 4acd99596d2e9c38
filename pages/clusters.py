"""Clusters: k-means clustering of any scope. (Filled in by the clustering work, issue #3.)"""

import streamlit as st

from ui.session import current_library

lib = current_library()
st.title("Clusters")
st.write(f"{lib.tracks['has_features'].sum():,} tracks with audio features.")
