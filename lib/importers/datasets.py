"""Public track data sets that carry Spotify's audio features.

- **Spotify Tracks Dataset** (~114k tracks, 125 genres): an unnamed index column, then
  ``track_id, artists, album_name, track_name, popularity, duration_ms, explicit, <features>,
  track_genre``; artists joined by ``;``. A track listed under several genres appears once per
  genre: the genres are collected on its primary artist.
- **1.2M songs**: ``id, name, album, album_id, artists, artist_ids, track_number, disc_number,
  explicit, <features>, duration_ms, time_signature, year, release_date``; the list columns are
  written like Python lists (``['A', "B's"]``).

Either can be imported as a library, or used as a *feature source*: ``write_import(...,
mode="features")`` fills the missing audio features of the current library by track id.
Albums without ids (the Tracks Dataset) get name-based ids from album + primary artist.
``source`` is ``dataset:<file name>``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib.importers.build import Part
from lib.importers.common import InputFile, Problems
from lib.importers.values import (
    Columns, CsvTable, feature_columns, release_dates, spotify_ids,
)

FORMATS = {
    "tracks-dataset": "Spotify Tracks Dataset (~114k)",
    "songs-1.2m": "1.2M songs data set",
}
FEATURES = ("danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo", "time_signature")
KNOWN = {
    "tracks-dataset": ("track_id", "artists", "album_name", "track_name", "popularity",
                       "duration_ms", "explicit", *FEATURES, "track_genre"),
    "songs-1.2m": ("id", "name", "album", "album_id", "artists", "artist_ids", "track_number",
                   "disc_number", "explicit", *FEATURES, "duration_ms", "year", "release_date"),
}
REQUIRED = {"tracks-dataset": ("track_id", "track_name", "artists"),
            "songs-1.2m": ("id", "name", "artists")}
# Columns that tell the two layouts apart (and from Exportify's).
SIGNATURE = {"tracks-dataset": {"track_id", "track_genre", "album_name", "track_name"},
             "songs-1.2m": {"artist_ids", "album_id", "release_date", "year"}}


def _cols(header: list[str]) -> dict[str, str]:
    return {h.strip().casefold(): h for h in header}


def header_scores(header: list[str]) -> list[tuple[str, int, list[str]]]:
    """For each layout: how many of its columns the header has and the required ones missing.
    A layout scores 0 unless at least two of its distinctive columns are present."""
    cols = _cols(header)
    out = []
    for fmt, known in KNOWN.items():
        if len(SIGNATURE[fmt] & set(cols)) < 2:
            out.append((fmt, 0, []))
            continue
        out.append((fmt, sum(c in cols for c in known),
                    [c for c in REQUIRED[fmt] if c not in cols]))
    return out


_PY_ITEM = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def python_lists(values: pd.Series) -> list[list[str] | None]:
    """``['A', "B's"]`` → ``["A", "B's"]``; a plain string becomes a one-item list."""
    out: list[list[str] | None] = []
    for v in values:
        if not isinstance(v, str) or not v.strip():
            out.append(None)
            continue
        v = v.strip()
        if v.startswith("["):
            items = [(a if a or not b else b).replace("\\'", "'").replace('\\"', '"')
                     for a, b in _PY_ITEM.findall(v)]
            items = [i.strip() for i in items if i.strip()]
            out.append(items or None)
        else:
            out.append([v])
    return out


def parse(file: InputFile, table: CsvTable, fmt: str, problems: Problems) -> Part:
    """Read a data set CSV into track rows (with features), no playlists."""
    cols = _cols(table.header)
    f, rows, name = table.frame, table.rows, file.name
    n = len(f)

    columns = Columns(table, cols, problems)
    get, num, flag = columns.text, columns.number, columns.flag

    feats = feature_columns(f, {k: cols[k] for k in FEATURES if k in cols}, file=name, rows=rows,
                            problems=problems, decimal_comma=table.decimal_comma)
    common = {"duration_ms": num("duration_ms", lo=0, hi=24 * 3600 * 1000),
              "explicit": flag("explicit"), **feats, "source": f"dataset:{file.basename}"}
    if fmt == "tracks-dataset":
        id_col, name_col = "track_id", "track_name"
        artists = [[a.strip() for a in v.split(";") if a.strip()] or None
                   if isinstance(v, str) else None for v in get("artists")]
        genre = get("track_genre")
        tracks = pd.DataFrame({
            "track_id": spotify_ids(get("track_id"), "track"), "track_name": get("track_name"),
            "artist_names": artists, "album_name": get("album_name"),
            "genres": [[g] if isinstance(g, str) else None for g in genre],
            "popularity": num("popularity", lo=0, hi=100), **common})
    else:
        id_col, name_col = "id", "name"
        date, year = (release_dates(f[cols["release_date"]], file=name,
                                    column=cols["release_date"], rows=rows, problems=problems)
                      if "release_date" in cols else (pd.Series([None] * n, dtype=object),
                                                      pd.Series([pd.NA] * n, dtype="Int64")))
        year = year.fillna(num("year", integer=True, lo=1000, hi=2100).astype("Int64"))
        names = python_lists(get("artists"))
        ids = [[_id(i) for i in v] if v else None for v in python_lists(get("artist_ids"))]
        tracks = pd.DataFrame({
            "track_id": spotify_ids(get("id"), "track"), "track_name": get("name"),
            "artist_names": names, "artist_ids": ids,
            "album_id": spotify_ids(get("album_id"), "album"), "album_name": get("album"),
            "release_date": date, "release_year": year,
            "track_number": num("track_number", integer=True, lo=0, hi=9999),
            "disc_number": num("disc_number", integer=True, lo=0, hi=999), **common})
    bad_id = get(id_col).notna() & tracks["track_id"].isna()
    no_name = tracks["track_name"].isna()
    skip = (bad_id | no_name).to_numpy(dtype=bool)
    if skip.any():
        idx = np.flatnonzero(skip)
        problems.skip(name, rows[idx], None,
                      [f"no track name (column '{cols[name_col]}')" if no_name.iloc[i] else
                       f"'{get(id_col).iloc[i]}' in column '{cols[id_col]}' is not a Spotify "
                       "track id" for i in idx])
    tracks = tracks[~skip].reset_index(drop=True)
    return Part(file.name, fmt, tracks, rows=n,
                notes=[f"{tracks['track_id'].nunique():,} distinct tracks"])


def _id(value: str) -> str | None:
    return value if re.fullmatch(r"[0-9A-Za-z]{22}", value) else None
