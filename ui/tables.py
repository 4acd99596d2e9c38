"""How tables look: one column configuration per kind of column, used by every page."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st

from lib.analysis.display import page_link, track_table

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


# Track tables whose Artists and Label cells open our own pages. The link goes to the primary
# artist's / first standardised label's page; the cell shows the full text (carried in the URL
# fragment and pulled out by the display regex, which Streamlit URL-decodes).
LINKED_TRACK_COLUMN_CONFIG = {
    **TRACK_COLUMN_CONFIG,
    "Artists": st.column_config.LinkColumn("Artists", display_text=r"#(.*)$",
                                           help="Opens the (first) artist's page"),
    "Label": st.column_config.LinkColumn("Label", display_text=r"#(.*)$",
                                         help="Opens the label's page"),
}


def _linked(page: str, param: str, targets: pd.Series, shown: pd.Series) -> list[str | None]:
    """One link per row: the target's page (or the index page when there is no target), with the
    text to show in the URL fragment."""
    out: list[str | None] = []
    for target, text in zip(targets, shown):
        has_target = isinstance(target, str) and bool(target)
        label = text if isinstance(text, str) and text else (target if has_target else "")
        if not label:
            out.append(None)
            continue
        url = page_link(page, param, target) if has_target else f"/{page}"
        out.append(f"{url}#{quote(label, safe='')}")
    return out


def linked_track_table(tracks: pd.DataFrame) -> pd.DataFrame:
    """:func:`lib.analysis.display.track_table` with Artists and Label as links to our pages."""
    out = track_table(tracks)
    out["Artists"] = _linked("artists", "artist", tracks["primary_artist"], tracks["artists"])
    out["Label"] = _linked("labels", "label", tracks["label"], tracks["label_raw"])
    return out


def show_linked_tracks(tracks: pd.DataFrame, *, key: str | None = None,
                       height: int | str = "auto") -> None:
    """The album-art track table (in the given order) with Artists and Label linking to their
    pages."""
    st.dataframe(linked_track_table(tracks), hide_index=True,
                 column_config=LINKED_TRACK_COLUMN_CONFIG, height=height, key=key)
