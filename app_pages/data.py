"""Data: the libraries in the store, resetting the demo, imports and the Spotify connection."""

import streamlit as st

from ui.cache import get_library, get_overview, get_store
from lib.demo.generator import DEMO_LIBRARY_ID, ensure_demo
from lib.reports.markdown import streamlit_text
from ui import data_import, enrichment_offer, provenance, spotify_connect
from ui.sections import coverage_section
from ui.session import (active_library_id, hosted, library_writable, set_active_library,
                        visible_libraries)

st.title("Data")
store = get_store()
libraries = visible_libraries()
active = active_library_id()

st.subheader("Libraries")
rows = []
for library_id, name in libraries.items():
    info = store.library(library_id)
    counts = store.counts(library_id)
    rows.append({"Library": name, "Id": library_id, "Tracks": counts["tracks"],
                 "Playlists": counts["playlists"], "Updated": info.updated_at if info else None,
                 "Active": "✅" if library_id == active else ""})
st.dataframe(rows, hide_index=True, column_config={
    "Tracks": st.column_config.NumberColumn(format="localized"),
    "Playlists": st.column_config.NumberColumn(format="localized"),
    "Updated": st.column_config.DatetimeColumn(format="distance")})
st.caption("Switch library in the sidebar. Each browser session sees the demo, "
           + ("only the files imported in this session (or by you, when signed in)"
              if hosted() else "the imported library")
           + " and only its own Spotify account's library.")

library = get_library(active)
if not library.is_empty:
    with st.expander(f"Coverage of {streamlit_text(libraries.get(active, active))}", expanded=True):
        coverage_section(get_overview(active).coverage)
        provenance.provenance_section(active)
        enrichment_offer.consent_settings(active)
    enrichment_offer.offer_section(active)

if hosted():  # a shared instance: the demo is everyone's, so nobody rewrites it
    if active != DEMO_LIBRARY_ID and st.button("Show the demo library"):
        set_active_library(DEMO_LIBRARY_ID)
        st.rerun()
elif st.button("Reset to demo library", help="Regenerate the demo library and show it."):
    ensure_demo(store, force=True)
    set_active_library(DEMO_LIBRARY_ID)
    st.toast("Demo library restored.")
    st.rerun()

# Spotify libraries are removed from the Spotify section (only by their signed-in owner).
if (active != DEMO_LIBRARY_ID and not active.startswith("spotify:")
        and library_writable(active)):
    with st.expander(f"Remove {libraries.get(active, active)}"):
        st.caption("Deletes this library and its label corrections from this dashboard's file; "
                   "your original files are not touched.")
        sure = st.checkbox("Yes, remove it", key="_remove_library_ok")
        if st.button("Remove this library", disabled=not sure, type="primary"):
            store.delete_library(active)
            set_active_library(DEMO_LIBRARY_ID)
            st.session_state.pop("_remove_library_ok", None)
            st.toast(f"Removed {libraries.get(active, active)}.")
            st.rerun()

st.divider()
data_import.render()
st.divider()
spotify_connect.render()
