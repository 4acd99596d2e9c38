"""Playlists: every playlist in the library."""

import streamlit as st

from ui.session import current_library

lib = current_library()
st.title("Playlists")
st.dataframe(lib.playlists[["image_url", "name", "tracks", "owner", "description"]],
             hide_index=True, column_config={
                 "image_url": st.column_config.ImageColumn("Art", width="small"),
                 "name": "Playlist", "tracks": "Tracks", "owner": "Owner",
                 "description": "Description"})
