"""Genres: every genre in the library."""

import streamlit as st

from ui.session import current_library

lib = current_library()
st.title("Genres")
st.dataframe(lib.genres, hide_index=True, column_config={
    "genre": "Genre", "tracks": "Tracks", "liked": "💚", "artists": "Artists"})
