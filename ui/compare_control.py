""""Compare with…": the entry point to the Compare page from every entity page (one call line per
page: ``compare_with(entity)``), and the scope picker the Compare page uses for its two sides."""

from __future__ import annotations

import streamlit as st

from lib.analysis.compare import side_param
from lib.store.library import Library
from lib.store.scopes import NAMED_KINDS, SCOPE_KINDS, Scope, scope_names
from lib.reports.markdown import streamlit_text as md

KIND_TITLES = {"library": "Whole library", "liked": "Liked Songs", "label": "Label",
               "artist": "Artist", "playlist": "Playlist", "genre": "Genre"}
MAX_NAME_OPTIONS = 1000
COMPARE_PAGE = "app_pages/compare.py"


def scope_picker(library: Library, key: str, current: Scope | None, *,
                 exclude: Scope | None = None, default_kind: str = "label") -> Scope | None:
    """A kind selectbox and, for named kinds, a name selectbox (biggest first); the chosen scope
    (None while a named kind has no names). ``current`` preselects; ``exclude`` is left out of
    the names (the other side)."""
    kinds = list(SCOPE_KINDS)
    kind = st.selectbox("Compare with" if exclude is not None else "Scope", kinds,
                        index=kinds.index(current.kind if current else default_kind),
                        format_func=KIND_TITLES.get, key=f"{key}_kind")
    if kind not in NAMED_KINDS:
        return Scope(kind)
    names = [n for n in scope_names(library, kind)[:MAX_NAME_OPTIONS]
             if exclude is None or Scope(kind, n) != exclude]
    if current is not None and current.kind == kind and current.name and \
            current.name not in names:
        names = [current.name, *names]
    if not names:
        st.caption(f"This library has no other {kind}s.")
        return None
    index = names.index(current.name) if current is not None and current.kind == kind and \
        current.name in names else 0
    name = st.selectbox(KIND_TITLES[kind], names, index=index, key=f"{key}_name",
                        help=f"The {MAX_NAME_OPTIONS:,} biggest" if len(names) >= MAX_NAME_OPTIONS
                        else None)
    return Scope(kind, name)


def compare_with(entity) -> None:
    """A "Compare with…" popover on an entity page: pick the other side, open the Compare page
    (``entity`` is the page's lib.analysis.entities.EntityPage)."""
    from ui.session import active_library_id, current_library

    with st.popover("Compare with…", icon="⚖️"):
        other = scope_picker(current_library(), f"cmp_{entity.kind}", None, exclude=entity.scope,
                             default_kind=entity.kind)
        if other is not None:
            st.page_link(COMPARE_PAGE, label=f"Compare with {md(other.title)}", icon="⚖️",
                         query_params={"library": active_library_id(),
                                       "a": side_param(entity.scope), "b": side_param(other)})
