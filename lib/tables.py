"""Display frames for the pages' tables: the columns people see, in the original tool's order."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd

TRACK_COLUMNS = ["Art", "Track", "Album", "Artists", "Label", "Score", "💚", "🔗"]


def page_link(page: str, param: str, value: str) -> str:
    """A relative link to one of our pages, e.g. ``/labels?label=Kestrel%20Sound``."""
    return f"/{page}?{param}={quote(str(value), safe='')}"


def track_table(tracks: pd.DataFrame, *, sort_by_score: bool = False) -> pd.DataFrame:
    """The album-art track table: Art, Track, Album, Artists, Label, Score, 💚, 🔗.

    ``Label`` is the raw label string (as the original showed it); ``🔗`` opens Spotify.
    """
    frame = tracks.sort_values(["score", "track_name"], ascending=[False, True]) if sort_by_score \
        else tracks
    out = pd.DataFrame({
        "Art": frame["image_url"],
        "Track": frame["track_name"],
        "Album": frame["album_name"],
        "Artists": frame["artists"],
        "Label": frame["label_raw"],
        "Score": frame["score"].round(1),
        "💚": frame["liked"].map({True: "💚", False: ""}),
        "🔗": frame["spotify_url"],
    })
    out.index = frame["track_id"].to_numpy()
    return out
