"""Display frames for the pages' tables: the columns people see, in the original tool's order."""

from __future__ import annotations

import base64
from urllib.parse import quote

import pandas as pd

from lib.store.kinds import KINDS

TRACK_COLUMNS = ["Art", "Track", "Album", "Artists", "Label", "Score", "💚", "🔗"]

# Shown in Art cells without an image (every Exportify import has none): a neutral record sleeve
# that reads on light and dark backgrounds, instead of an empty or "None" cell.
_SLEEVE_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 64 64'>"
               "<rect width='64' height='64' rx='6' fill='#8a8f98' fill-opacity='0.35'/>"
               "<circle cx='32' cy='32' r='18' fill='none' stroke='#8a8f98' stroke-width='3'/>"
               "<circle cx='32' cy='32' r='4' fill='#8a8f98'/></svg>")
PLACEHOLDER_ART = "data:image/svg+xml;base64," + base64.b64encode(_SLEEVE_SVG.encode()).decode()


def art(urls: pd.Series | list) -> list[str]:
    """Image URLs for an Art column: each URL, or :data:`PLACEHOLDER_ART` where there is none."""
    return [u if isinstance(u, str) and u.strip() and u != "None" else PLACEHOLDER_ART
            for u in urls]


def count_noun(n: int, singular: str, plural: str | None = None) -> str:
    """"1 playlist", "2,000 playlists" (``plural`` defaults to ``singular + "s"``)."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def page_link(page: str, param: str, value: str, library: str | None = None) -> str:
    """A relative link to one of our pages, e.g. ``/labels?label=Kestrel%20Sound&library=local``
    (``library``: the library the link opens, as every link the app writes names it)."""
    link = f"/{page}?{param}={quote(str(value), safe='')}"
    return link if library is None else f"{link}&library={quote(library, safe='')}"


def track_table(tracks: pd.DataFrame, *, sort_by_score: bool = False) -> pd.DataFrame:
    """The album-art track table: Art, Track, Album, Artists, Label, Score, 💚, 🔗.

    ``Label`` is the standardised label name (the one reports and label pages use; several
    joined by " / " for co-releases), falling back to the raw string when the label is unknown;
    ``🔗`` opens Spotify.
    """
    frame = tracks.sort_values(["score", "track_name"], ascending=[False, True]) if sort_by_score \
        else tracks
    out = pd.DataFrame({
        "Art": art(frame["image_url"]),
        "Track": frame["track_name"],
        "Album": frame["album_name"],
        "Artists": frame["artists"],
        "Label": [" / ".join(ls) if len(ls) else (raw if isinstance(raw, str) else None)
                  for ls, raw in zip(frame["labels"], frame["label_raw"])]
        if "labels" in frame else frame["label_raw"],
        "Score": frame["score"].round(1),
        "💚": frame["liked"].map({True: "💚", False: ""}),
        "🔗": frame["spotify_url"],
    })
    out.index = frame["track_id"].to_numpy()
    return out


# --- Entity pages (issue 4): display frames of the label/artist/playlist/genre sections -------
# Name cells hold the plain name; the pages open the entity when its cell is selected (same tab,
# same session, see ui.tables.open_selected_cell), so no cell is a link that opens a new tab.

def _links(names: pd.Series) -> list[str | None]:
    """The names of a name column (None where missing): the cells ui/ opens pages from."""
    return [n if isinstance(n, str) and n else None for n in names]


def artists_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Top artists: Art | Artist | Tracks | 💚 | 🔗 (Artist opens its page, 🔗 Spotify)."""
    return pd.DataFrame({
        "Art": art(frame["image_url"]),
        "Artist": _links(frame["name"]),
        "Tracks": frame["tracks"].to_numpy(), "💚": frame["liked"].to_numpy(),
        "🔗": frame["spotify_url"].to_numpy(),
    })


def albums_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Top albums: Art | Album | Artist | Tracks | 💚 | Release date | 🔗."""
    return pd.DataFrame({
        "Art": art(frame["image_url"]), "Album": frame["name"].to_numpy(),
        "Artist": _links(frame["artist"]),
        "Tracks": frame["tracks"].to_numpy(), "💚": frame["liked"].to_numpy(),
        "Release date": frame["release_date"].to_numpy(), "🔗": frame["spotify_url"].to_numpy(),
    })


def counts_display(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Genres or labels with counts: Genre/Label | Tracks | 💚 (names open their pages)."""
    out = pd.DataFrame({KINDS[kind].title: _links(frame[kind]),
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
    return pd.DataFrame({"Art": art(frame["image_url"]),
                         "Playlist": _links(frame["name"]),
                         "Tracks": frame["tracks"].to_numpy(),
                         "Share of playlist": frame["share"].to_numpy()})


def related_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Related artists: Art | Artist | Shared labels | Shared genres | Tracks."""
    return pd.DataFrame({"Art": art(frame["image_url"]),
                         "Artist": _links(frame["name"]),
                         "Shared labels": frame["shared_labels"].to_numpy(),
                         "Shared genres": frame["shared_genres"].to_numpy(),
                         "Tracks": frame["tracks"].to_numpy()})


def extremes_display(frame: pd.DataFrame, value_title: str) -> pd.DataFrame:
    """One side of "10 most / 10 least X tracks": Art | Track | value | Artists | 🔗."""
    return pd.DataFrame({"Art": art(frame["image_url"]),
                         "Track": frame["track_name"].to_numpy(),
                         value_title: frame["value"].to_numpy(),
                         "Artists": frame["artists"].to_numpy(),
                         "🔗": frame["spotify_url"].to_numpy()})


def index_display(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The index page table of one kind, in the columns its registry entry lists (names open
    their pages when selected, see ui.tables; Art shows a placeholder where there is no image)."""
    return pd.DataFrame({
        title: (_links(table[column]) if link
                else art(table[column]) if column == "image_url" else table[column].to_numpy())
        for title, column, link in KINDS[kind].index_columns})
