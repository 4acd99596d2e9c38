"""Which library a tab shows, and the shared sidebar.

The URL names the library (``?library=<id>`` on every page), so a bookmark, a copied link or a
fresh tab opens the same view; the session remembers the last one for URLs without it. Every link
the app writes goes through :func:`link_params`, which adds the parameter.
"""

from __future__ import annotations

import hashlib
import os
import secrets

import streamlit as st

from lib.analysis.display import count_noun
from ui.cache import get_library, get_store
from lib.demo.generator import DEMO_LIBRARY_ID
from lib.reports.markdown import streamlit_text
from lib.store.library import Library
from lib.store.db import LOCAL_LIBRARY_ID

SESSION_KEY = "library_id"
LIBRARY_PARAM = "library"  # the URL query parameter naming the library
# Set by the Spotify connection (per browser session): the connected user's library id.
SPOTIFY_LIBRARY_KEY = "spotify_library_id"
_PICKER_KEY = "_library_picker"
HOSTED_ENV = "LABELSCOPE_HOSTED"
_OWN_KEY = "_own_library_id"  # hosted mode: this browser session's own library id
_PRIVATE_PREFIXES = ("spotify:", "session:", "user:")  # libraries that belong to one person


def hosted() -> bool:
    """True on a shared instance (``LABELSCOPE_HOSTED=1``): imports belong to their session."""
    return os.environ.get(HOSTED_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _signed_in_user() -> str | None:
    """The st.login user's stable id when authentication is configured and they signed in."""
    try:
        if st.user.get("is_logged_in"):
            return str(st.user.get("sub") or st.user.get("email") or "") or None
    except Exception:  # noqa: BLE001 - no [auth] in secrets: nobody is signed in
        return None
    return None


def own_library_id() -> str:
    """The library this session's file imports go to.

    Single-user (default): the shared ``local`` library. Hosted: the signed-in user's own library
    (``user:<hash of their id>``) when st.login is configured, else one per browser session
    (``session:<random token>``), which no other session can name or guess."""
    if not hosted():
        return LOCAL_LIBRARY_ID
    user = _signed_in_user()
    if user:
        return "user:" + hashlib.sha256(user.encode()).hexdigest()[:24]
    own = st.session_state.get(_OWN_KEY)
    if not own:
        own = st.session_state[_OWN_KEY] = "session:" + secrets.token_urlsafe(18)
    return own


def library_writable(library_id: str) -> bool:
    """Whether this session may change the library (import into, replace, edit labels, remove).
    Hosted: only its own library and its own Spotify library; the demo is read-only."""
    if not hosted():
        return True
    return library_id in (own_library_id(), st.session_state.get(SPOTIFY_LIBRARY_KEY))


def visible_libraries() -> dict[str, str]:
    """Library id → display name, for the libraries this session may open.

    Everyone sees the demo; a Spotify user's library only the session signed in as that user.
    Single-user: everyone sees the local (imported) library. Hosted (:func:`hosted`): instead of
    it, only the session's (or signed-in user's) own library.
    """
    mine = {st.session_state.get(SPOTIFY_LIBRARY_KEY), own_library_id()}
    out: dict[str, str] = {}
    for info in get_store().libraries():
        library_id = info.library_id
        if library_id.startswith(_PRIVATE_PREFIXES) and library_id not in mine:
            continue
        if hosted() and library_id == LOCAL_LIBRARY_ID:
            continue  # the operator's CLI imports are not every visitor's
        out[library_id] = info.name
    return out


def first_visit_library() -> str:
    """The library a new browser session opens when its URL names none: the imported one
    (single-user) if there is one, else the demo (what :func:`_default_library` gives a session
    that has chosen and connected nothing yet). serve.py loads it before the first visitor."""
    if not hosted() and any(info.library_id == LOCAL_LIBRARY_ID
                            for info in get_store().libraries()):
        return LOCAL_LIBRARY_ID
    return DEMO_LIBRARY_ID


def _default_library(visible: dict[str, str]) -> str:
    """The session's last choice, else its Spotify library, else the imported one, else the demo."""
    chosen = st.session_state.get(SESSION_KEY)
    if chosen in visible:
        return chosen
    mine = st.session_state.get(SPOTIFY_LIBRARY_KEY)
    for candidate in (mine, own_library_id()):
        if candidate in visible:
            return candidate
    return DEMO_LIBRARY_ID


def active_library_id() -> str:
    """The tab's library: the URL's ``library`` when this session may see it, else the default
    (which is then written into the URL). A URL naming a library the session may not see is
    stopped by :func:`render_sidebar` before any page runs."""
    visible = visible_libraries()
    requested = st.query_params.get(LIBRARY_PARAM)
    if requested in visible:
        st.session_state[SESSION_KEY] = requested
        return requested
    library_id = _default_library(visible)
    st.session_state[SESSION_KEY] = library_id
    if requested is None:
        st.query_params[LIBRARY_PARAM] = library_id
    return library_id


def set_active_library(library_id: str) -> None:
    """Show ``library_id`` in this tab from now on (sidebar, URL and every page)."""
    st.session_state[SESSION_KEY] = library_id
    st.query_params[LIBRARY_PARAM] = library_id


def link_params(**params: str) -> dict[str, str]:
    """Query parameters for a link to one of our pages: ``params`` plus the tab's library."""
    return {**params, LIBRARY_PARAM: active_library_id()}


def current_library() -> Library:
    """The loaded library of this session (cached per library version)."""
    return get_library(active_library_id())


def _refused(requested: str) -> None:
    """The page for a URL naming a library this session may not open: a message, never data."""
    st.title("Library not available")
    if requested.startswith("spotify:"):
        st.error("This link opens a Spotify library that belongs to another account. Connect that "
                 "Spotify account on the Data page to see it.", icon="🔒")
    elif requested.startswith(_PRIVATE_PREFIXES) or (hosted() and requested == LOCAL_LIBRARY_ID):
        st.error("This link opens a library that belongs to another visitor of this dashboard; "
                 "only they can see it.", icon="🔒")
    else:
        st.error("This link opens a library that does not exist in this dashboard (it may have "
                 "been removed).", icon="🔎")
    fallback = _default_library(visible_libraries())
    st.page_link("app_pages/home.py", label="Open the library you can see", icon="🏠",
                 query_params={LIBRARY_PARAM: fallback})


def _pick(ids: list[str]) -> None:
    choice = st.session_state.get(_PICKER_KEY)
    if choice in ids:
        set_active_library(choice)


def render_sidebar(pages: dict[str, list] | None = None) -> None:
    """Page links (each keeps the tab's library and nothing else), library picker and size; a note
    when the demo library is shown. Stops the run when the URL names a library this session may
    not see."""
    visible = visible_libraries()
    requested = st.query_params.get(LIBRARY_PARAM)
    if requested is not None and requested not in visible:
        _refused(requested)
        st.stop()
    active = active_library_id()
    # Written on every run (not only when missing): it also brings the address bar in line when
    # a page link reran the current page with other parameters (Streamlit leaves the URL then).
    st.query_params[LIBRARY_PARAM] = active
    with st.sidebar:
        for section, section_pages in (pages or {}).items():
            st.caption(section)
            for p in section_pages:
                st.page_link(p, query_params={LIBRARY_PARAM: active})
        ids = list(visible)
        if len(ids) > 1:
            # The widget follows the active library (changed by Reset, Replace, Remove, a link):
            # set its state before it is drawn instead of letting it undo the change.
            st.session_state[_PICKER_KEY] = active
            st.selectbox("Library", ids, format_func=lambda i: visible[i], key=_PICKER_KEY,
                         on_change=_pick, args=(ids,))
        else:
            st.caption(f"Library: **{streamlit_text(visible.get(active, active))}**")
        library = get_library(active)
        counts = ((library.track_count, "track"), (len(library.artists), "artist"),
                  (len(library.albums), "album"), (len(library.labels), "label"),
                  (len(library.playlists), "playlist"))
        st.caption(" · ".join(count_noun(n, noun) for n, noun in counts))
        if active == DEMO_LIBRARY_ID:
            st.info("Demo library — replace it with your own on the Data page.", icon="🎧")
