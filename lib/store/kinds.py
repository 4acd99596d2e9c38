"""The kinds of entity a library has pages for (label, artist, playlist, genre): one spec each.

Modelled on datasette's ``Facet`` classes: everything that differs between kinds lives in one
:class:`EntityKind` — how it is named (title, plural, icon), where its page is (page file, URL
path and query parameter), which column names it, how to list its rows and find its tracks, the
extra data its page shows, its headline numbers and its page layout. Scopes, index tables, entity
pages, links and the page files read from :data:`KINDS`; a new kind (an album page) is one
:func:`register` call and a two-line page file.

    KINDS["label"].url("Kestrel Sound")        # "/labels?label=Kestrel%20Sound"
    KINDS["artist"].names(library)[:3]         # biggest first
    KINDS["genre"].track_mask(library, "jazz") # bool array over library.tracks, None if unknown
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import quote

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from lib.store.library import Library


@dataclass(frozen=True)
class Part:
    """One section of an entity page: ``what`` it shows (a key of ``ui.sections.PARTS``: header,
    top_artists, genres, tracks…), its heading and empty message when not the default, and the
    widget key suffix (the page's key is ``{kind}_{key}``). ``title`` may hold ``{name}``."""

    what: str
    title: str | None = None
    empty: str | None = None
    key: str | None = None


Row = tuple[Part, ...]  # one part spans the page; two or more share it in columns


@dataclass(frozen=True)
class EntityKind:
    """Everything that differs between kinds of entity page (see the module docstring).

    ``rows(library)`` lists the entities biggest first, one row each, with the columns of its
    index table (``name_column`` names the entity); ``track_mask(library, name)`` is a boolean
    array over ``library.tracks`` (None when no entity has that name). ``index_columns`` are the
    index page's columns as ``(title, column, kind whose page the cell opens or None)``.
    ``extras`` name the optional data of its page (``aliases``, ``co_labels``, ``playlists``,
    ``related_artists``, ``related_genres``); ``details(library, name, tracks)`` returns the
    tracks in page order and the entity's own fields (``info``: image_url, spotify_url,
    artist_ids…). ``metrics`` are the headline numbers, ``(title, function of the EntityPage)``;
    ``subtitle(page)`` gives the line under the title as ``(text, url or None)`` pieces.
    """

    key: str
    title: str
    plural: str
    icon: str
    page_file: str
    url_path: str
    param: str
    name_column: str
    rows: Callable[["Library"], pd.DataFrame]
    track_mask: Callable[["Library", str], np.ndarray | None]
    index_columns: tuple[tuple[str, str, str | None], ...]
    metrics: tuple[tuple[str, Callable[[Any], int]], ...]
    layout: tuple[Row, ...]
    index_title: str
    index_caption: Callable[["Library"], str]
    index_bars: int = 0
    index_parts: tuple[str, ...] = ()       # keys of ui.sections.INDEX_PARTS under the index
    extras: frozenset[str] = frozenset()
    details: Callable[["Library", str, pd.DataFrame], tuple[pd.DataFrame, dict]] | None = None
    subtitle: Callable[[Any], list[tuple[str, str | None]]] = lambda page: []
    aliases: Callable[["Library", str], list[str]] | None = None
    spotify: tuple[str, str] | None = None  # (Spotify type, id column) for index links
    track_order: str = "score"              # "score" or "given" (the entity's own order)
    art: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "art", any(c == "image_url" for _, c, _ in self.index_columns))

    @property
    def article(self) -> str:
        """"a" or "an" before the kind's name."""
        return "an" if self.key[:1] in "aeiou" else "a"

    def url(self, name: str) -> str:
        """The relative URL of an entity's page: ``/labels?label=Kestrel%20Sound``."""
        return f"/{self.url_path}?{self.param}={quote(str(name), safe='')}"

    def names(self, library: "Library") -> list[str]:
        """The entities' names, biggest first (what the index lists)."""
        return [str(n) for n in self.rows(library)[self.name_column].dropna()]


KINDS: dict[str, EntityKind] = {}


def register(kind: EntityKind) -> EntityKind:
    """Add (or replace) a kind; returns it."""
    KINDS[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    """Remove a kind (tests that register one clean up with this)."""
    KINDS.pop(key, None)


def kind_of(key: str) -> EntityKind:
    """The spec of a kind; ValueError naming the known kinds otherwise."""
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"Unknown kind '{key}': choose one of {', '.join(KINDS)}.") from None


# -- the four kinds ------------------------------------------------------------------------------
def _named_in(table: str, column: str, tracks_column: str
              ) -> Callable[["Library", str], np.ndarray | None]:
    """Tracks whose list column (``labels``, ``genres``) holds a name of ``library.{table}``."""
    def mask(library: "Library", name: str) -> np.ndarray | None:
        if name not in set(getattr(library, table)[column]):
            return None
        tracks = library.tracks
        return np.fromiter((name in v for v in tracks[tracks_column]), dtype=bool,
                           count=len(tracks))
    return mask


def _ids(library: "Library", table: str, id_column: str, name: str) -> set[str]:
    """The ids of the rows of ``library.{table}`` called ``name`` (names may repeat)."""
    frame = getattr(library, table)
    return set(frame.loc[frame["name"] == name, id_column])


def _artist_mask(library: "Library", name: str) -> np.ndarray | None:
    ids = _ids(library, "artists", "artist_id", name)
    return np.fromiter((not ids.isdisjoint(a) for a in library.tracks["artist_ids"]),
                       dtype=bool, count=len(library.tracks)) if ids else None


def _playlist_mask(library: "Library", name: str) -> np.ndarray | None:
    ids = _ids(library, "playlists", "playlist_id", name)
    pt = library.playlist_tracks
    members = set(pt.loc[pt["playlist_id"].isin(ids), "track_id"])
    return library.tracks["track_id"].isin(members).to_numpy() if ids else None


def spotify_url(kind: str, spotify_id: object) -> str | None:
    """``https://open.spotify.com/{kind}/{id}`` for a real Spotify id (22 base-62 characters)."""
    if isinstance(spotify_id, str) and len(spotify_id) == 22 and spotify_id.isascii() \
            and spotify_id.isalnum():
        return f"https://open.spotify.com/{kind}/{spotify_id}"
    return None


def _artist_details(library: "Library", name: str, tracks: pd.DataFrame
                    ) -> tuple[pd.DataFrame, dict]:
    rows = library.artists[library.artists["name"] == name]
    first = rows.iloc[0]
    return tracks, {"image_url": first["image_url"], "artist_ids": sorted(set(rows["artist_id"])),
                    "genres": list(dict.fromkeys(g for gs in rows["genres"] for g in gs)),
                    "spotify_url": spotify_url("artist", first["artist_id"])}


def _playlist_details(library: "Library", name: str, tracks: pd.DataFrame
                      ) -> tuple[pd.DataFrame, dict]:
    """The playlist's tracks in its own order, and its image, owner and description."""
    row = library.playlists[library.playlists["name"] == name].iloc[0]
    ids = sorted(_ids(library, "playlists", "playlist_id", name))
    info = {"image_url": row["image_url"], "owner": row["owner"],
            "description": row["description"], "playlist_ids": ids,
            "spotify_url": spotify_url("playlist", row["playlist_id"])}
    pos = library.playlist_tracks[library.playlist_tracks["playlist_id"].isin(ids)]
    order = pos.drop_duplicates("track_id").set_index("track_id")["position"]
    tracks = tracks.assign(_pos=tracks["track_id"].map(order)).sort_values(
        ["_pos", "track_name"], na_position="last").drop(columns="_pos")
    return tracks, info


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _n(word: str, n: int) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


_LIKED = ("Liked", lambda p: p.summary.liked)
_ARTISTS = ("Artists", lambda p: p.summary.artists)
_ALBUMS = ("Albums", lambda p: p.summary.albums)
_LABELS = ("Labels", lambda p: p.summary.labels)
_NO_LABEL = "No label known."
_NO_GENRES = "No genres known for these artists."

register(EntityKind(
    key="label", title="Label", plural="labels", icon="🏷️", page_file="app_pages/labels.py",
    url_path="labels", param="label", name_column="label",
    rows=lambda library: library.labels, track_mask=_named_in("labels", "label", "labels"),
    index_columns=(("Label", "label", "label"), ("Tracks", "tracks", None),
                   ("💚", "liked", None), ("Artists", "artists", None),
                   ("Albums", "albums", None), ("Top artist", "top_artist", "artist"),
                   ("First release", "first_year", None), ("Last release", "last_year", None)),
    metrics=(_LIKED, _ARTISTS, _ALBUMS, ("Genres", lambda p: p.summary.genres)),
    layout=((Part("flash"),), (Part("header"),), (Part("actions"),), (Part("compare"),),
            (Part("aliases"),), (Part("edit_labels"),), (Part("family"),),
            (Part("top_artists", key="artists"), Part("top_albums", key="albums")),
            (Part("genres", "Genres", _NO_GENRES, "genres"), Part("years")),
            (Part("co_labels", "Often released with", "Always released alone.", "co"),
             Part("playlists", key="playlists")),
            (Part("features"),), (Part("sounds_like"),),
            (Part("tracks", "Tracks released under {name}"),)),
    index_title="Record labels", index_bars=30, index_parts=("families",),
    index_caption=lambda library: (
        f"{len(library.labels):,} labels, standardised from "
        f"{len(library.label_index.labels_of_raw):,} raw label strings (co-labels split, years, "
        "suffixes and spellings merged)."),
    extras=frozenset({"aliases", "co_labels", "playlists"}),
    subtitle=lambda page: [(f"Record label · appears as {len(page.aliases):,} raw label "
                            f"{'string' if len(page.aliases) == 1 else 'strings'} in your "
                            "library", None)],
    aliases=lambda library, raw: library.label_index.labels_of_raw.get(raw, [])[:1],
))

register(EntityKind(
    key="artist", title="Artist", plural="artists", icon="🎤", page_file="app_pages/artists.py",
    url_path="artists", param="artist", name_column="name",
    rows=lambda library: library.artists.loc[
        library.artists["tracks"] > 0, ["artist_id", "image_url", "name", "tracks", "liked",
                                        "top_label", "genres"]].reset_index(drop=True),
    track_mask=_artist_mask,
    index_columns=(("Art", "image_url", None), ("Artist", "name", "artist"),
                   ("Tracks", "tracks", None), ("💚", "liked", None),
                   ("Top label", "top_label", "label"), ("Genres", "genres", None),
                   ("🔗", "spotify_url", None)),
    metrics=(_LIKED, _ALBUMS, _LABELS, ("Collaborators", lambda p: len(p.top_artists))),
    layout=((Part("header"),), (Part("actions"),), (Part("compare"),),
            (Part("top_tracks", "Top tracks by score", key="top_tracks"),),
            (Part("top_albums", "Albums", key="albums"),
             Part("labels", "Labels they appear on", _NO_LABEL, "labels")),
            (Part("top_artists", "Appears with", "No collaborations in your library.", "with"),
             Part("playlists", key="playlists")),
            (Part("years"),), (Part("related_artists", key="related"),), (Part("features"),),
            (Part("sounds_like"),),
            (Part("tracks", "All tracks"),)),
    index_title="Artists",
    index_caption=lambda library: "Every credited artist of the library, most tracks first.",
    extras=frozenset({"related_artists", "playlists"}), details=_artist_details,
    subtitle=lambda page: [(g, KINDS["genre"].url(g)) for g in page.info.get("genres") or []],
    spotify=("artist", "artist_id"),
))

register(EntityKind(
    key="playlist", title="Playlist", plural="playlists", icon="📜",
    page_file="app_pages/playlists.py", url_path="playlists", param="playlist",
    name_column="name",
    rows=lambda library: library.playlists[["playlist_id", "image_url", "name", "tracks",
                                            "owner", "description"]].reset_index(drop=True),
    track_mask=_playlist_mask,
    index_columns=(("Art", "image_url", None), ("Playlist", "name", "playlist"),
                   ("Tracks", "tracks", None), ("Owner", "owner", None),
                   ("Description", "description", None)),
    metrics=(_LIKED, _ARTISTS, _ALBUMS, _LABELS),
    layout=((Part("header"),), (Part("actions"),), (Part("compare"),),
            (Part("top_artists", key="artists"), Part("top_albums", key="albums")),
            (Part("labels", "Labels", _NO_LABEL, "labels"),
             Part("genres", "Genres", _NO_GENRES, "genres")),
            (Part("years"),), (Part("features"),), (Part("tracks", "Tracks"),)),
    index_title="Playlists",
    index_caption=lambda library: "Your playlists, biggest first.",
    details=_playlist_details, track_order="given",
    subtitle=lambda page: [(p, None) for p in (
        f"by {_text(page.info.get('owner'))}" if _text(page.info.get("owner")) else "",
        _text(page.info.get("description"))) if p],
))

register(EntityKind(
    key="genre", title="Genre", plural="genres", icon="🎼", page_file="app_pages/genres.py",
    url_path="genres", param="genre", name_column="genre",
    rows=lambda library: library.genres, track_mask=_named_in("genres", "genre", "genres"),
    index_columns=(("Genre", "genre", "genre"), ("Tracks", "tracks", None),
                   ("💚", "liked", None), ("Artists", "artists", None)),
    metrics=(_LIKED, _ARTISTS, _ALBUMS, _LABELS),
    layout=((Part("header"),), (Part("actions"),), (Part("compare"),),
            (Part("top_artists", key="artists"), Part("top_albums", key="albums")),
            (Part("labels", "Labels", _NO_LABEL, "labels"),
             Part("related_genres", "Related genres", "No other genres on these artists.",
                  "related")),
            (Part("playlists", key="playlists"), Part("years")),
            (Part("features"),), (Part("tracks", "Tracks"),)),
    index_title="Genres", index_bars=30,
    index_caption=lambda library: "Genres of the tracks' primary artists.",
    extras=frozenset({"related_genres", "playlists"}),
    subtitle=lambda page: [("Genre of the tracks' primary artists", None)],
))
