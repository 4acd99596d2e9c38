"""Exportify CSVs (https://exportify.net and its popular fork): one file per playlist.

Three headers are read (``docs/formats.md``): the current one (``Track URI, Track Name, Artist
URI(s), Artist Name(s), Album URI, …, Added At`` plus the optional artist-genre, audio-feature and
album-data groups), the pre-2020 one (``Artist URI``/``Artist Name``, no release date) and the
fork's (``Release Date``, ``Duration (ms)``, ``Genres``, ``Record Label``, features; no artist or
album URIs). Columns are matched by name, case-insensitively, in any order; unknown columns are
ignored. Required: ``Track URI``, ``Track Name`` and ``Artist Name(s)`` (or ``Artist Name``).

- Each file becomes a playlist named after the file (``road_trip_2019.csv`` → "road trip 2019",
  id ``exportify:`` + a hash of that name, so importing the file again updates the same playlist).
  A file named like "Liked Songs" (``liked_songs.csv``, ``Liked Songs (1).csv``, "Liked Tracks")
  marks its tracks as liked instead.
- Multiple artists are comma-separated; a comma inside a name is written ``\\,``.
- ``Label`` / ``Record Label`` feed the label pages, ``Album Image URL`` the album art,
  ``Artist Genres`` / ``Genres`` the primary artist's genres, the feature columns clustering.
- Local files (``spotify:local:…``) keep their names with a name-based id; podcast episodes in a
  playlist (``spotify:episode:…``) are skipped and counted.
- ``source`` is ``exportify:<file name>``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib.importers.build import Part
from lib.importers.common import InputFile, Problems
from lib.importers.values import (
    Columns, CsvTable, booleans, feature_columns, name_id, release_dates, spotify_ids,
    split_escaped, timestamps, unescape,
)
from lib.reports.art import art_problem

FORMATS = {
    "exportify": "Exportify CSV",
    "exportify-old": "Exportify CSV (before 2020)",
    "exportify-fork": "Exportify CSV (fork layout)",
}

COLUMNS: dict[str, tuple[str, ...]] = {
    "track_uri": ("Track URI",),
    "track_name": ("Track Name",),
    "artist_uris": ("Artist URI(s)", "Artist URI"),
    "artist_names": ("Artist Name(s)", "Artist Name"),
    "album_uri": ("Album URI",),
    "album_name": ("Album Name",),
    "album_artist_uris": ("Album Artist URI(s)",),
    "album_artist_names": ("Album Artist Name(s)",),
    "release_date": ("Album Release Date", "Release Date"),
    "image_url": ("Album Image URL",),
    "disc_number": ("Disc Number",),
    "track_number": ("Track Number",),
    "duration_ms": ("Track Duration (ms)", "Duration (ms)"),
    "preview_url": ("Track Preview URL",),
    "explicit": ("Explicit",),
    "popularity": ("Popularity",),
    "isrc": ("ISRC",),
    "added_by": ("Added By",),
    "added_at": ("Added At",),
    "genres": ("Artist Genres", "Genres"),
    "album_genres": ("Album Genres",),
    "label": ("Label", "Record Label"),
    "copyrights": ("Copyrights",),
    "danceability": ("Danceability",), "energy": ("Energy",), "key": ("Key",),
    "loudness": ("Loudness",), "mode": ("Mode",), "speechiness": ("Speechiness",),
    "acousticness": ("Acousticness",), "instrumentalness": ("Instrumentalness",),
    "liveness": ("Liveness",), "valence": ("Valence",), "tempo": ("Tempo",),
    "time_signature": ("Time Signature",),
}
REQUIRED = ("track_uri", "track_name", "artist_names")
_LIKED = re.compile(r"^(liked|saved) (songs?|tracks?)( \(\d+\))?$")


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


_ALIAS = {_norm(alias): key for key, aliases in COLUMNS.items() for alias in aliases}


def column_map(header: list[str]) -> dict[str, str]:
    """Canonical column → the header's name for it."""
    out: dict[str, str] = {}
    for name in header:
        key = _ALIAS.get(_norm(name))
        if key and key not in out:
            out[key] = name
    return out


def header_score(header: list[str]) -> tuple[int, list[str]]:
    """How many Exportify columns the header has, and which required ones it lacks (by the
    name a user would look for)."""
    cols = column_map(header)
    missing = [COLUMNS[k][0] if k != "artist_names" else "Artist Name(s)"
               for k in REQUIRED if k not in cols]
    # Headers of the data sets share no column names with Exportify's.
    return len(cols), missing


def layout(header: list[str]) -> str:
    """Which Exportify header this is: ``exportify``, ``exportify-old`` or ``exportify-fork``."""
    names = {_norm(n) for n in header}
    if "album uri" not in names and ({"release date", "record label", "duration (ms)"} & names):
        return "exportify-fork"
    if "artist name" in names or "artist uri" in names:
        return "exportify-old"
    return "exportify"


def is_liked_file(stem: str) -> bool:
    """True for files named like Spotify's "Liked Songs" list."""
    return bool(_LIKED.match(re.sub(r"[\s_\-]+", " ", stem).strip().casefold()))


def playlist_name(stem: str) -> str:
    """The playlist name a file stands for: its name, underscores as spaces."""
    name = re.sub(r"\s+", " ", stem.replace("_", " ")).strip()
    return name or "Untitled playlist"


def _art(urls: pd.Series, file: str, column: str | None, rows: np.ndarray,
         problems: Problems) -> pd.Series:
    """Image URLs that export can use (``lib.reports.art``); others are left empty and named."""
    present = urls.notna().to_numpy(dtype=bool)
    if not present.any():
        return urls
    why = {u: art_problem(u) for u in pd.unique(urls[present])}
    reasons = urls.map(lambda u: why.get(u) if isinstance(u, str) else None)
    bad = reasons.notna().to_numpy(dtype=bool)
    if bad.any():
        problems.ignore(file, rows[bad], column,
                        [f"{reason}; the album gets the placeholder art"
                         for reason in reasons[bad]])
    return urls.where(~bad)


def parse(file: InputFile, table: CsvTable, problems: Problems) -> Part:
    """Read one Exportify CSV into track rows plus its playlist (or liked songs)."""
    cols = column_map(table.header)
    f, rows, name = table.frame, table.rows, file.name
    n = len(f)

    columns = Columns(table, cols, problems)
    get, num = columns.text, columns.number

    uri = get("track_uri")
    uri_l = uri.astype("string").str.lower()
    episode = uri_l.str.startswith("spotify:episode:").fillna(False).to_numpy(dtype=bool)
    local = uri_l.str.startswith("spotify:local:").fillna(False).to_numpy(dtype=bool)
    track_id = spotify_ids(uri, "track")
    bad_uri = (uri.notna() & track_id.isna()).to_numpy(dtype=bool) & ~episode & ~local
    if bad_uri.any():
        idx = np.flatnonzero(bad_uri)
        problems.ignore(name, rows[idx], cols["track_uri"],
                        [f"'{v}' is not a Spotify track URI; the track gets an id made from its "
                         "names" for v in uri.to_numpy()[idx]])
    track_name = unescape(get("track_name"))
    artist_names = split_escaped(get("artist_names"))
    artist_ids = split_escaped(get("artist_uris"), id_kind="artist")
    artist_names = _fit_names(artist_names, artist_ids, get("artist_names"))
    album_artist_names = split_escaped(get("album_artist_names"))
    album_artist_ids = split_escaped(get("album_artist_uris"), id_kind="artist")
    album_artist_names = _fit_names(album_artist_names, album_artist_ids,
                                    get("album_artist_names"))

    keep = track_name.notna().to_numpy(dtype=bool) & ~episode
    no_name = ~track_name.notna().to_numpy(dtype=bool) & ~episode
    if no_name.any():
        problems.skip(name, rows[no_name], cols["track_name"], "no track name")

    release_date, release_year = (release_dates(f[cols["release_date"]], file=name,
                                                column=cols["release_date"], rows=rows,
                                                problems=problems)
                                  if "release_date" in cols else
                                  (pd.Series([None] * n, dtype=object), pd.Series([pd.NA] * n)))
    image = _art(get("image_url"), name, cols.get("image_url"), rows, problems)
    features = feature_columns(f, cols, file=name, rows=rows,
                               problems=problems, decimal_comma=table.decimal_comma)
    explicit = (booleans(f[cols["explicit"]], file=name, column=cols["explicit"], rows=rows,
                         problems=problems) if "explicit" in cols
                else pd.Series([None] * n, dtype=object))
    isrc = get("isrc").astype("string").str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)
    source = f"exportify:{file.basename}"
    tracks = pd.DataFrame({
        "track_id": track_id, "track_name": track_name,
        "artist_ids": artist_ids, "artist_names": artist_names,
        "album_id": spotify_ids(get("album_uri"), "album"),
        "album_name": unescape(get("album_name")),
        "album_artist_ids": album_artist_ids, "album_artist_names": album_artist_names,
        "release_date": release_date, "release_year": release_year,
        "image_url": image.astype(object), "label_raw": unescape(get("label")),
        "genres": split_escaped(get("genres")),
        "disc_number": num("disc_number", integer=True, lo=0, hi=999),
        "track_number": num("track_number", integer=True, lo=0, hi=9999),
        "duration_ms": num("duration_ms", lo=0, hi=24 * 3600 * 1000),
        "explicit": explicit, "popularity": num("popularity", lo=0, hi=100),
        "isrc": isrc.where(isrc.str.len() > 0).astype(object),
        **features, "source": source,
    })
    added_at = (timestamps(f[cols["added_at"]], file=name, column=cols["added_at"], rows=rows,
                           problems=problems) if "added_at" in cols
                else pd.Series(pd.NaT, index=f.index, dtype="datetime64[ns, UTC]"))
    tracks, added_at = tracks[keep].reset_index(drop=True), added_at[keep].reset_index(drop=True)
    part = Part(file=name, fmt=layout(table.header), tracks=tracks, rows=n)
    part.counts = {"podcast episodes in playlists": int(episode.sum())}
    if local[keep].any():
        part.notes.append(f"{int(local[keep].sum()):,} local files (ids made from their names)")
    refs = np.arange(len(tracks))
    if is_liked_file(file.stem):
        part.liked = pd.DataFrame({"ref": refs, "added_at": added_at, "source": source})
        part.notes.append(f"{len(tracks):,} liked songs")
    else:
        title = playlist_name(file.stem)
        owner = get("added_by")[keep].astype("string").str.replace("spotify:user:", "",
                                                                   regex=False).dropna()
        playlist_id = "exportify:" + name_id(title).removeprefix("name:")[:16]
        part.playlists = pd.DataFrame([{
            "playlist_id": playlist_id, "name": title,
            "owner": owner.mode().iloc[0] if len(owner) else None,
            "description": f"Imported from {file.basename}", "source": source}])
        part.playlist_tracks = pd.DataFrame({"playlist_id": playlist_id, "ref": refs,
                                             "position": refs, "added_at": added_at})
        part.notes.append(f"playlist “{title}”")
    return part


def _fit_names(names: list[list[str] | None], ids: list[list[str | None] | None],
               raw: pd.Series) -> list[list[str] | None]:
    """Where a name has an unescaped comma (more names than ids), one id means one artist."""
    out = []
    for ns, is_, r in zip(names, ids, raw):
        if ns and is_ and len(is_) == 1 and len(ns) > 1 and isinstance(r, str):
            ns = [r.replace("\\,", ",").strip()]
        out.append(ns)
    return out
