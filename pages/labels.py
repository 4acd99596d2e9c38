"""Labels: every record label in the library."""

import streamlit as st

from ui.session import current_library

lib = current_library()
st.title("Record labels")
st.caption(f"{len(lib.labels):,} labels, merged from "
           f"{lib.tracks['label_raw'].nunique():,} raw label strings.")
query = st.text_input("Search labels", placeholder="Type part of a label name")
table = lib.labels
if query:
    table = table[table["label"].str.contains(query, case=False, regex=False)]
st.dataframe(table, hide_index=True, column_config={
    "label": "Label", "tracks": "Tracks", "liked": "💚", "artists": "Artists", "albums": "Albums",
    "top_artist": "Top artist",
    "first_year": st.column_config.NumberColumn("First release", format="%d"),
    "last_year": st.column_config.NumberColumn("Last release", format="%d")})
