"""The Data page's import section: upload, preview, Replace / Merge / Fill features, coverage.

Files are read (lib.importers.import_files) as soon as they are chosen, with a progress bar, and
the result is kept in the session so reruns do not read them again. Nothing is written until a
button is pressed; each write is one transaction into the session's import target — the
connected Spotify user's library, else "local" — and the session then shows that library.
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from lib.reports.markdown import streamlit_text
from ui.cache import get_library, get_overview, get_store
from lib.importers import (
    ImportFileError, ImportResult, Preview, import_files, library_identity,
    preview, write_import,
)
from lib.importers.common import DEFAULT_MAX_FILE_BYTES, MB, human_size
from lib.store.db import StoreError
from ui.sections import coverage_section
from ui.session import SPOTIFY_LIBRARY_KEY, own_library_id, set_active_library

_log = logging.getLogger(__name__)
READ_KEY = "_import_read"  # {"key": files key, "result": ImportResult | None, "error": str}
DONE_KEY = "_import_done"  # {"library_id", "message"} after a write
GEN_KEY = "_import_uploader_gen"  # bumping it gives a fresh (empty) uploader after a write
FILE_TYPES = ["csv", "tsv", "txt", "json", "zip"]
BUTTONS = {"replace": "Replace library", "merge": "Merge into library",
           "features": "Fill missing audio features"}


def import_target() -> str:
    """The library imports go to: the connected Spotify user's, else the session's own one
    (``local``, or on a hosted instance the session's or signed-in user's, see ui.session)."""
    return st.session_state.get(SPOTIFY_LIBRARY_KEY) or own_library_id()


def render() -> None:
    st.subheader("Import files")
    store = get_store()
    target = import_target()
    name, _ = library_identity(store, target)
    st.caption(
        "Exportify CSVs (one per playlist; a file named “Liked Songs” marks liked tracks), "
        "Spotify's privacy export (the whole .zip or its Streaming_History / YourLibrary / "
        "Playlist JSON files) or a track data set with audio features. "
        f"Up to {human_size(DEFAULT_MAX_FILE_BYTES)} per file. Nothing is written until you "
        f"choose below; imports go to **{streamlit_text(name)}**.")
    files = st.file_uploader(
        "Files to import", type=FILE_TYPES, accept_multiple_files=True,
        key=f"import_files_{st.session_state.get(GEN_KEY, 0)}",
        max_upload_size=DEFAULT_MAX_FILE_BYTES // MB,
        help="Several files at once, and zips, are fine. Exportify: exportify.net → Export All. "
             "Privacy export: Spotify account → Privacy settings → Download your data.")
    done = st.session_state.get(DONE_KEY)
    if not files:
        st.session_state.pop(READ_KEY, None)
        if done:
            _render_done(done)
        return
    st.session_state.pop(DONE_KEY, None)
    result = _read(files)
    if result is not None:
        _render_preview(result, target, name)


def _files_key(files: list[Any]) -> tuple:
    return tuple((getattr(f, "file_id", None), f.name, f.size) for f in files)


def _read(files: list[Any]) -> ImportResult | None:
    """Read the uploads once per set of files; show the error of a file that cannot be read."""
    key = _files_key(files)
    cached = st.session_state.get(READ_KEY)
    if not cached or cached["key"] != key:
        bar = st.progress(0.0, text="Reading files…")

        def progress(fraction: float, text: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=streamlit_text(text))

        try:
            cached = {"key": key, "result": import_files(files, progress=progress), "error": None}
        except ImportFileError as exc:
            cached = {"key": key, "result": None, "error": str(exc)}
        except Exception as exc:  # an importer bug must still be a message, not a traceback
            _log.exception("import failed")
            cached = {"key": key, "result": None,
                      "error": f"these files could not be read ({type(exc).__name__})"}
        bar.empty()
        st.session_state[READ_KEY] = cached
    if cached["error"]:
        st.error(f"**Cannot import.** {streamlit_text(cached['error'])}\n\nNothing was written; the "
                 "library is unchanged. Fix or remove that file and try again.", icon="🚫")
        return None
    return cached["result"]


def _render_preview(result: ImportResult, target: str, name: str) -> None:
    counts = result.counts
    st.markdown(f"#### Preview\n**{streamlit_text(result.summary_line())}**")
    for line in result.detail_lines():
        st.markdown(f"- {streamlit_text(line)}")
    problems = result.skipped_frame()
    if len(problems):
        total = counts["rows_skipped"] + counts["values_ignored"]
        parts = [f"{n:,} {what}{'' if n == 1 else 's'} {verb}" for n, what, verb in (
            (counts["rows_skipped"], "row", "skipped"),
            (counts["values_ignored"], "value", "ignored")) if n]
        title = "Why " + " and ".join(parts)
        with st.expander(title, expanded=False):
            if result.problems.truncated:
                st.caption(f"The first {len(problems):,} of {total:,}.")
            st.dataframe(problems, hide_index=True, width="stretch")
    with st.expander(f"Files ({len(result.files):,})", expanded=len(result.files) <= 3):
        st.dataframe(result.files_frame(), hide_index=True, width="stretch")

    plan = _preview(result, target)
    for line in plan.lines(streamlit_text(name)):
        st.markdown(f"- {line}")
    empty = counts["tracks"] == 0
    if empty:
        st.warning("These files hold no tracks, so there is nothing to write.")
    cols = st.columns(3)
    clicked = None
    if cols[0].button(BUTTONS["replace"], type="primary", disabled=empty, key="import_replace",
                      help=f"The library becomes exactly these files ({plan.replace_tracks:,} "
                           "tracks)."):
        clicked = "replace"
    if cols[1].button(BUTTONS["merge"], disabled=empty, key="import_merge",
                      help="Add new tracks; tracks already there only get their gaps filled."):
        clicked = "merge"
    can_fill = result.has_features and plan.current_tracks > 0
    if cols[2].button(BUTTONS["features"], disabled=not can_fill, key="import_features",
                      help="Use these files only as a feature source for tracks already in the "
                           "library." if can_fill else
                      "Needs files with audio features and a library with tracks."):
        clicked = "features"
    if clicked:
        _write(result, target, name, clicked, plan)


def _preview(result: ImportResult, target: str) -> Preview:
    """The preview of these files for the target, kept while neither changes."""
    store = get_store()
    cached = st.session_state.get(READ_KEY, {})
    key = (target, store.version(target))
    if cached.get("preview_key") != key:
        with st.spinner("Comparing with the library…"):
            cached["preview"] = preview(result, store, target)
        cached["preview_key"] = key
    return cached["preview"]


def _write(result: ImportResult, target: str, name: str, mode: str, plan: Preview) -> None:
    with st.spinner(f"{BUTTONS[mode]}: writing {result.counts['tracks']:,} tracks…"):
        try:
            report = write_import(get_store(), target, result, mode,  # type: ignore[arg-type]
                                  plan=plan)
        except (ValueError, StoreError) as exc:
            st.error(f"**Nothing was written.** {streamlit_text(str(exc))}", icon="🚫")
            return
    set_active_library(target)
    st.session_state[DONE_KEY] = {"library_id": target, "message": report.message(name)}
    st.session_state[GEN_KEY] = st.session_state.get(GEN_KEY, 0) + 1
    st.session_state.pop(READ_KEY, None)
    st.rerun()


def _render_done(done: dict) -> None:
    st.success(streamlit_text(done["message"]) + " The dashboard now shows this library.", icon="✅")
    if get_library(done["library_id"]).is_empty:
        return
    st.markdown("#### Coverage")
    coverage_section(get_overview(done["library_id"]).coverage)
