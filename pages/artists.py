"""Artists: every artist in the library."""

import streamlit as st

from ui.session import current_library

lib = current_library()
st.title("Artists")
query = st.text_input("Search artists", placeholder="Type part of an artist name")
table = lib.artists
if query:
    table = table[table["name"].str.contains(query, case=False, regex=False)]
st.dataframe(table[["image_url", "name", "tracks", "liked", "top_label", "genres"]],
             hide_index=True, column_config={
                 "image_url": st.column_config.ImageColumn("Art", width="small"),
                 "name": "Artist", "tracks": "Tracks", "liked": "💚", "top_label": "Top label",
                 "genres": st.column_config.ListColumn("Genres")})
