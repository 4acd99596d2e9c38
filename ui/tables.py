"""How tables look: one column configuration per kind of column, used by every page, and the
in-tab navigation of name cells (select a cell: its page opens in the same tab and session)."""

from __future__ import annotations

from typing import Mapping

import pandas as pd
import streamlit as st

from lib.analysis.display import track_table
from lib.store.kinds import KINDS

TRACK_COLUMN_CONFIG = {
    "Art": st.column_config.ImageColumn("Art", width="small"),
    "Track": st.column_config.TextColumn("Track", width="medium"),
    "Album": st.column_config.TextColumn("Album"),
    "Artists": st.column_config.TextColumn("Artists"),
    "Label": st.column_config.TextColumn("Label", help="The label as grouped on its page (the "
                                         "raw label strings are under its \"Appears as\")"),
    "Score": st.column_config.NumberColumn("Score", format="%.0f",
                                           help="Minutes listened (0 when unknown)"),
    "💚": st.column_config.TextColumn("💚", width="small", help="Liked"),
    "🔗": st.column_config.LinkColumn("🔗", display_text="Open", width="small",
                                     help="Open in Spotify"),
}

# Track tables whose Artists and Label cells open our own pages when selected.
LINKED_TRACK_COLUMN_CONFIG = {
    **TRACK_COLUMN_CONFIG,
    "Artists": st.column_config.TextColumn("Artists", help="Select to open the (first) artist"),
    "Label": st.column_config.TextColumn("Label", help="Select to open the label's page (the raw "
                                         "label strings are under its \"Appears as\")"),
}


def show_tracks(tracks: pd.DataFrame, *, key: str | None = None, height: int | str = "auto",
                sort_by_score: bool = False) -> None:
    """The album-art track table of the given tracks."""
    st.dataframe(track_table(tracks, sort_by_score=sort_by_score), hide_index=True,
                 column_config=TRACK_COLUMN_CONFIG, height=height, key=key)


def linked_track_table(tracks: pd.DataFrame) -> pd.DataFrame:
    """:func:`lib.analysis.display.track_table` (its Artists and Label cells open our pages when
    shown with :func:`show_linked_tracks`)."""
    return track_table(tracks)


def track_links(tracks: pd.DataFrame) -> dict[str, tuple[str, pd.Series]]:
    """Column → (entity kind, target name per row) of a track table's linked cells."""
    return {"Artists": ("artist", tracks["primary_artist"].reset_index(drop=True)),
            "Label": ("label", tracks["label"].reset_index(drop=True))}


def open_selected_cell(event: object, links: Mapping[str, tuple[str, pd.Series]],
                       default: str | None = None) -> None:
    """Open the page of a selected name cell in this tab (``st.switch_page``, keeping the library).

    ``links``: column → (entity kind, target name per row position); a selected cell in another
    column opens the row's ``default`` column target."""
    selection = getattr(event, "selection", None)
    cells = list(getattr(selection, "cells", None) or [])
    rows = list(getattr(selection, "rows", None) or [])
    if cells:
        row, column = cells[0]
    elif rows:
        row, column = rows[0], default
    else:
        return
    if column not in links:
        column = default
    if column not in links:
        return
    kind, names = links[column]
    if 0 <= row < len(names):
        name = names.iloc[row]
        if isinstance(name, str) and name:
            from ui.session import link_params
            spec = KINDS[kind]
            st.switch_page(spec.page_file, query_params=link_params(**{spec.param: name}))


def show_linked_tracks(tracks: pd.DataFrame, *, key: str, height: int | str = "auto",
                       column_config: dict | None = None, row_height: int | None = None,
                       leading: Mapping[str, list] | None = None) -> None:
    """The album-art track table (in the given order); selecting an Artists or Label cell opens
    that page in the same tab. ``leading``: columns (name → one value per track) shown first."""
    table = linked_track_table(tracks)
    for position, (name, values) in enumerate((leading or {}).items()):
        table.insert(position, name, values)
    event = st.dataframe(table, hide_index=True,
                         column_config=column_config or LINKED_TRACK_COLUMN_CONFIG,
                         height=height, key=key, row_height=row_height, on_select="rerun",
                         selection_mode="single-cell")
    open_selected_cell(event, track_links(tracks))


def show_linked_table(frame: pd.DataFrame, *, key: str, links: Mapping[str, str],
                      column_config: dict | None = None, **kwargs) -> None:
    """A table whose ``links`` columns (column → entity kind) hold names: selecting such a cell
    opens that entity's page in this tab (a missing name opens nothing)."""
    event = st.dataframe(frame, hide_index=True, column_config=column_config, key=key,
                         on_select="rerun", selection_mode="single-cell", **kwargs)
    open_selected_cell(event, {column: (kind, frame[column].reset_index(drop=True))
                               for column, kind in links.items()})
