"""Sections built on lib.analysis.similarity: "Labels that sound like …" on label pages, "Artists
that sound like …" on artist pages, and Home's "Labels you love most" / "Labels you may be
overlooking". One call line per page; everything is cached per library version in ui.cache."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.analysis.similarity import MIN_LOVED_TRACKS
from lib.store.kinds import KINDS
from ui.cache import get_loved_labels, get_sounds_like
from ui.tables import show_linked_table
from lib.reports.markdown import streamlit_text as md

SIMILARITY = st.column_config.ProgressColumn(
    "Similarity", format="percent", min_value=0, max_value=1, width="small",
    help="1 − the mean distance between the two feature distributions (earth mover's distance "
         "in library standard deviations, per feature): 100 % is the same sound.")

LIKED_SHARE = st.column_config.ProgressColumn("Liked", format="percent", min_value=0, max_value=1,
                                              help="Share of the label's tracks you liked")
MINUTES_PER_TRACK = st.column_config.NumberColumn(
    format="%.1f", help="Listening score per track (minutes played)")


def sounds_like_display(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The table people see: name (link), similarity, in words, alike in, apart by, tracks."""
    title = KINDS[kind].title
    return pd.DataFrame({
        title: frame["name"].to_numpy(),
        "Similarity": frame["similarity"].to_numpy(),
        "In words": frame["words"].to_numpy(),
        "Alike in": frame["alike"].to_numpy(),
        "What sets it apart": frame["apart"].to_numpy(),
        "Tracks": frame["tracks"].to_numpy(),
    })


def sounds_like_section(library_id: str, kind: str, name: str) -> None:
    """"Labels that sound like X" / "Artists that sound like X": the 5 closest, linked."""
    title, plural = KINDS[kind].title, KINDS[kind].plural.capitalize()
    st.subheader(f"{plural} that sound like {md(name)}", anchor=False)
    answer = get_sounds_like(library_id, kind, name)
    if answer.message:
        st.info(md(answer.message), icon="🎚️")
        return
    show_linked_table(sounds_like_display(answer.closest, kind), key=f"sounds_like_{kind}",
                      links={title: kind}, column_config={
                     title: st.column_config.TextColumn(title, help="Select to open its page"),
                     "Similarity": SIMILARITY,
                     "Tracks": st.column_config.NumberColumn(
                         "Tracks", format="%d", width="small",
                         help="Tracks with audio features")})
    st.caption("Compared on the whole distribution of each audio feature, not only its average. "
               "*Alike in*: the features whose distributions nearly match; *What sets it apart*: "
               "how the other one differs most.")


def loved_labels_section(library_id: str) -> None:
    """Home: "Labels you love most" and "Labels you may be overlooking", side by side."""
    loved, overlooked = get_loved_labels(library_id)
    left, right = st.columns(2)
    with left:
        st.subheader("Labels you love most", anchor=False)
        if loved.empty:
            st.caption(f"No label has {MIN_LOVED_TRACKS} or more tracks with likes or listening "
                       "yet.")
        else:
            show_linked_table(pd.DataFrame({
                "Label": loved["label"].to_numpy(), "Liked": loved["liked_share"].to_numpy(),
                "Minutes per track": loved["score_per_track"].to_numpy(),
                "Tracks": loved["tracks"].to_numpy()}), key="home_loved", links={"Label": "label"},
                column_config={"Liked": LIKED_SHARE, "Minutes per track": MINUTES_PER_TRACK})
            st.caption(f"Ranked by liked share and listening per track together, among labels "
                       f"with at least {MIN_LOVED_TRACKS} tracks.")
    with right:
        st.subheader("Labels you may be overlooking", anchor=False)
        if overlooked.empty:
            st.caption("No label with a sound close to your favourites is waiting to be "
                       "discovered: the close ones are already liked or played.")
        else:
            show_linked_table(pd.DataFrame({
                "Label": overlooked["label"].to_numpy(),
                "Sounds like": overlooked["like"].to_numpy(),
                "Similarity": overlooked["similarity"].to_numpy(),
                "Liked": overlooked["liked_share"].to_numpy(),
                "Tracks": overlooked["tracks"].to_numpy()}),
                key="home_overlooked", links={"Label": "label", "Sounds like": "label"},
                column_config={"Similarity": SIMILARITY, "Liked": LIKED_SHARE})
            st.caption("Close in sound to a label you love, but liked and played less than most "
                       "labels of your library.")
