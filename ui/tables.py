"""How tables look: one column configuration per kind of column, used by every page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.tables import track_table

TRACK_COLUMN_CONFIG = {
    "Art": st.column_config.ImageColumn("Art", width="small"),
    "Track": st.column_config.TextColumn("Track", width="medium"),
    "Album": st.column_config.TextColumn("Album"),
    "Artists": st.column_config.TextColumn("Artists"),
    "Label": st.column_config.TextColumn("Label"),
    "Score": st.column_config.NumberColumn("Score", format="%.0f",
                                           help="Minutes listened (0 when unknown)"),
    "💚": st.column_config.TextColumn("💚", width="small", help="Liked"),
    "🔗": st.column_config.LinkColumn("🔗", display_text="Open", width="small",
                                     help="Open in Spotify"),
}


def show_tracks(tracks: pd.DataFrame, *, key: str | None = None, height: int | str = "auto",
                sort_by_score: bool = False) -> None:
    """The album-art track table of the given tracks."""
    st.dataframe(track_table(tracks, sort_by_score=sort_by_score), hide_index=True,
                 column_config=TRACK_COLUMN_CONFIG, height=height, key=key)
