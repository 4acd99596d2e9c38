"""Display frames for the pages' tables: the columns people see, in the original tool's order."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd

from lib.store.kinds import KINDS

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


# --- Entity pages (issue 4): display frames of the label/artist/playlist/genre sections -------
# Name cells link to our own pages and show the name: the URL carries it in its fragment
# ("/labels?label=X#X"), which the LinkColumn's display regex ``#(.*)$`` shows.

def name_link(page: str, param: str, name: object) -> str | None:
    """A link cell to one of our pages that shows ``name`` (see the note above)."""
    if not isinstance(name, str) or not name:
        return None
    return f"{page_link(page, param, name)}#{quote(name, safe='')}"


def _links(kind: str, names: pd.Series) -> list[str | None]:
    """Link cells to the pages of one kind (see :data:`lib.store.kinds.KINDS`)."""
    spec = KINDS[kind]
    return [name_link(spec.url_path, spec.param, n) for n in names]


def artists_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Top artists: Art | Artist | Tracks | 💚 | 🔗 (Artist opens its page, 🔗 Spotify)."""
    return pd.DataFrame({
        "Art": frame["image_url"].to_numpy(),
        "Artist": _links("artist", frame["name"]),
        "Tracks": frame["tracks"].to_numpy(), "💚": frame["liked"].to_numpy(),
        "🔗": frame["spotify_url"].to_numpy(),
    })


def albums_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Top albums: Art | Album | Artist | Tracks | 💚 | Release date | 🔗."""
    return pd.DataFrame({
        "Art": frame["image_url"].to_numpy(), "Album": frame["name"].to_numpy(),
        "Artist": _links("artist", frame["artist"]),
        "Tracks": frame["tracks"].to_numpy(), "💚": frame["liked"].to_numpy(),
        "Release date": frame["release_date"].to_numpy(), "🔗": frame["spotify_url"].to_numpy(),
    })


def counts_display(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Genres or labels with counts: Genre/Label | Tracks | 💚 (names open their pages)."""
    out = pd.DataFrame({KINDS[kind].title: _links(kind, frame[kind]),
                        "Tracks": frame["tracks"].to_numpy()})
    if "liked" in frame:
        out["💚"] = frame["liked"].to_numpy()
    return out


def aliases_display(frame: pd.DataFrame) -> pd.DataFrame:
    """"Appears as": Raw label string | Tracks | Share."""
    return pd.DataFrame({"Appears as": frame["raw"].to_numpy(),
                         "Tracks": frame["tracks"].to_numpy(),
                         "Share": frame["share"].to_numpy()})


def playlists_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Playlists holding the tracks: Art | Playlist | Tracks | Share of playlist."""
    return pd.DataFrame({"Art": frame["image_url"].to_numpy(),
                         "Playlist": _links("playlist", frame["name"]),
                         "Tracks": frame["tracks"].to_numpy(),
                         "Share of playlist": frame["share"].to_numpy()})


def related_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Related artists: Art | Artist | Shared labels | Shared genres | Tracks."""
    return pd.DataFrame({"Art": frame["image_url"].to_numpy(),
                         "Artist": _links("artist", frame["name"]),
                         "Shared labels": frame["shared_labels"].to_numpy(),
                         "Shared genres": frame["shared_genres"].to_numpy(),
                         "Tracks": frame["tracks"].to_numpy()})


def extremes_display(frame: pd.DataFrame, value_title: str) -> pd.DataFrame:
    """One side of "10 most / 10 least X tracks": Art | Track | value | Artists | 🔗."""
    return pd.DataFrame({"Art": frame["image_url"].to_numpy(),
                         "Track": frame["track_name"].to_numpy(),
                         value_title: frame["value"].to_numpy(),
                         "Artists": frame["artists"].to_numpy(),
                         "🔗": frame["spotify_url"].to_numpy()})


def index_display(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The index page table of one kind, in the columns its registry entry lists (names open
    their pages)."""
    return pd.DataFrame({
        title: _links(link, table[column]) if link else table[column].to_numpy()
        for title, column, link in KINDS[kind].index_columns})
