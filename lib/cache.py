"""Streamlit caching wrappers: the one place in ``lib`` that imports Streamlit.

Pages call these instead of the plain functions so that the store is opened once per process and
each library version is loaded once. Big frames are cached with ``cache_resource`` (shared, never
copied) because copying a 300k-row frame on every rerun would cost more than the page itself;
callers treat what they get as read-only.
"""

from __future__ import annotations

import streamlit as st

from lib.demo import ensure_demo
from lib.library import Library, load_library
from lib.store import Store, db_path


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    store = Store(path)
    ensure_demo(store)
    return store


def get_store() -> Store:
    """The store at ``$LABELSCOPE_DB`` (or ``data/library.duckdb``), with the demo library in it."""
    return _store(str(db_path()))


@st.cache_resource(max_entries=6, show_spinner="Loading library…")
def _library(path: str, library_id: str, version: int) -> Library:
    return load_library(_store(path), library_id)


def get_library(library_id: str) -> Library:
    """The library, loaded once per version (any write bumps the version and reloads it)."""
    store = get_store()
    return _library(str(store.path), library_id, store.version(library_id))
