"""Which library this browser session looks at, and the shared sidebar."""

from __future__ import annotations

import streamlit as st

from ui.cache import get_library, get_store
from lib.demo.generator import DEMO_LIBRARY_ID
from lib.reports.markdown import streamlit_text
from lib.store.library import Library
from lib.store.db import LOCAL_LIBRARY_ID

SESSION_KEY = "library_id"
# Set by the Spotify connection (per browser session): the connected user's library id.
SPOTIFY_LIBRARY_KEY = "spotify_library_id"


def visible_libraries() -> dict[str, str]:
    """Library id → display name, for the libraries this session may open.

    Everyone sees the demo and the local (imported) library; a Spotify user's library only in the
    session signed in as that user.
    """
    mine = st.session_state.get(SPOTIFY_LIBRARY_KEY)
    out: dict[str, str] = {}
    for info in get_store().libraries():
        if info.library_id.startswith("spotify:") and info.library_id != mine:
            continue
        out[info.library_id] = info.name
    return out


def active_library_id() -> str:
    """The session's library: its choice, else the imported library if any, else the demo."""
    visible = visible_libraries()
    chosen = st.session_state.get(SESSION_KEY)
    if chosen in visible:
        return chosen
    mine = st.session_state.get(SPOTIFY_LIBRARY_KEY)
    for candidate in (mine, LOCAL_LIBRARY_ID):
        if candidate in visible and get_store().version(candidate) >= 0:
            st.session_state[SESSION_KEY] = candidate
            return candidate
    st.session_state[SESSION_KEY] = DEMO_LIBRARY_ID
    return DEMO_LIBRARY_ID


def set_active_library(library_id: str) -> None:
    st.session_state[SESSION_KEY] = library_id


def current_library() -> Library:
    """The loaded library of this session (cached per library version)."""
    return get_library(active_library_id())


def render_sidebar() -> None:
    """Library picker and size; a note when the demo library is shown."""
    visible = visible_libraries()
    active = active_library_id()
    with st.sidebar:
        ids = list(visible)
        if len(ids) > 1:
            choice = st.selectbox("Library", ids, index=ids.index(active),
                                  format_func=lambda i: visible[i], key="_library_picker")
            if choice != active:
                set_active_library(choice)
                st.rerun()
        else:
            st.caption(f"Library: **{streamlit_text(visible.get(active, active))}**")
        library = get_library(active)
        st.caption(f"{len(library.tracks):,} tracks · {len(library.artists):,} artists · "
                   f"{len(library.albums):,} albums · {len(library.labels):,} labels · "
                   f"{len(library.playlists):,} playlists")
        if active == DEMO_LIBRARY_ID:
            st.info("Demo library — replace it with your own on the Data page.", icon="🎧")
