"""Spotify's privacy export: streaming history, YourLibrary.json and Playlist*.json (or the zip).

Files are recognised by name (inside a zip, in any folder) and, for a JSON file given on its own
under another name, by content:

- ``Streaming_History_Audio_*.json`` / ``endsong_*.json`` — extended streaming history, one object
  per play with ``spotify_track_uri``; ``Streaming_History_Video_*.json`` is counted and skipped.
- ``StreamingHistory_music_*.json`` / ``StreamingHistory*.json`` — account-data history
  (``endTime, artistName, trackName, msPlayed``, no URIs); ``StreamingHistory_podcast_*.json`` is
  counted and skipped.
- ``YourLibrary.json`` — its ``tracks`` are the liked songs (saved albums, followed artists and
  shows list no tracks and are only counted).
- ``Playlist*.json`` — each playlist with its items (tracks, local files; episodes are counted and
  skipped).

**Listening score.** A play counts when it lasted at least 30 seconds (``ms_played`` ≥ 30,000).
For each track: ``plays`` = number of counted plays, ``score`` = minutes listened in counted plays
(sum of their ``ms_played`` / 60,000, one decimal), ``ms_played`` = all time listened, short plays
included. So a track skipped after 10 s every time has score 0 and plays 0 but is known to have
been played. Plays are matched to tracks by ``spotify_track_uri`` and, when the URI is missing or
unknown, by track + artist names (see :mod:`lib.importers.build`).

**Privacy.** Only the fields above are read: ``ts``, ``ip_addr``, ``conn_country``, ``platform``,
``user_agent_decrypted``, ``username`` and the other personal fields are never stored. Podcast
episodes (``spotify_episode_uri``/``episode_name``) and audiobooks (``audiobook_*``) are skipped
and counted. ``source`` is ``privacy:<file name>``.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_plus

import numpy as np
import pandas as pd

from lib.importers.build import MAX_PLAY_MS, MIN_PLAY_MS, Part
from lib.importers.common import Decoded, ImportFileError, InputFile, Problems
from lib.importers.values import name_id, spotify_ids, timestamps

FORMATS = {
    "extended-history": "Extended streaming history",
    "account-history": "Streaming history (account data)",
    "podcast-history": "Podcast history (skipped)",
    "video-history": "Video history (skipped)",
    "your-library": "YourLibrary.json (liked songs)",
    "playlists": "Playlists (account data)",
}
HISTORY = ("extended-history", "account-history")
_BY_NAME = [
    (re.compile(r"^(streaming_history_audio_.*|endsong(_\d+)?)\.json$", re.I), "extended-history"),
    (re.compile(r"^streaming_history_video_.*\.json$", re.I), "video-history"),
    (re.compile(r"^streaminghistory_podcast_?\d*\.json$", re.I), "podcast-history"),
    (re.compile(r"^streaminghistory(_music)?_?\d*\.json$", re.I), "account-history"),
    (re.compile(r"^yourlibrary\.json$", re.I), "your-library"),
    (re.compile(r"^playlist\d*\.json$", re.I), "playlists"),
]
# Track rows of history parts: one per (track id, names), with the play sums.
HISTORY_COLUMNS = ["track_id", "track_name", "artist_name", "album_name", "plays", "plays_all",
                   "ms_played", "counted_ms"]


def kind_of_name(basename: str) -> str | None:
    return next((kind for pattern, kind in _BY_NAME if pattern.match(basename)), None)


def kind_of_content(value: Any) -> str | None:
    """Recognise a privacy-export JSON by its shape."""
    if isinstance(value, list):
        first = next((v for v in value if isinstance(v, dict)), None)
        if first is None:
            return None
        if "ms_played" in first and ("ts" in first or "spotify_track_uri" in first):
            return "extended-history"
        if "msPlayed" in first and "trackName" in first:
            return "account-history"
        if "msPlayed" in first and "episodeName" in first:
            return "podcast-history"
        return None
    if isinstance(value, dict):
        if isinstance(value.get("playlists"), list):
            return "playlists"
        if isinstance(value.get("tracks"), list):
            return "your-library"
    return None


class InvalidText:
    """Stands in for a JSON row (a play, a liked song, a playlist or one of its items) that held
    text which is not valid Unicode (a lone surrogate escape such as ``"\\ud800"``); such rows are
    skipped and named, since the text cannot be stored or shown."""

    reason = "holds text that is not valid Unicode (a lone surrogate such as \\ud800)"


INVALID_TEXT = InvalidText()
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(file: InputFile, decoded: Decoded) -> Any:
    """Parse JSON; a syntax error names the line and character (and says when it was cut off).

    Rows holding lone surrogates are replaced by :data:`INVALID_TEXT` (see :func:`parse`).
    """
    try:
        value = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        text = decoded.text.strip()
        closing = {"[": "]", "{": "}"}.get(text[:1])
        # An export file is one array or object: if it does not end with its closing bracket,
        # it was cut off.
        if (closing and not text.endswith(closing)) or exc.pos >= len(text) - 1:
            message = ("the JSON ends early: the file looks truncated (cut off while downloading "
                       "or unzipping); download the export again")
        else:
            message = f"is not valid JSON ({exc.msg})"
        raise ImportFileError(file.name, message, row=exc.lineno, column=exc.colno,
                              row_label="line", column_label="character") from exc
    except ValueError as exc:  # Python's 4,300-digit cap on integers
        raise ImportFileError(file.name, f"holds a number too long to read ({exc})") from exc
    except RecursionError as exc:
        raise ImportFileError(file.name, "is nested too deeply to be a Spotify export (JSON "
                                         "lists or objects inside each other thousands of "
                                         "levels deep)") from exc
    if _SURROGATE_ESCAPE.search(decoded.text):
        value = _mark_invalid_rows(value)
    return value


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _mark_invalid_rows(value: Any) -> Any:
    """The value with each row holding a lone surrogate replaced by :data:`INVALID_TEXT`: the
    items of a top-level list (plays), of ``tracks`` (liked songs), of ``playlists`` and of each
    playlist's ``items``. Anything else holding one makes the whole value invalid."""
    def rows(items: list) -> list:
        return [INVALID_TEXT if _has_surrogate(it) else it for it in items]

    if isinstance(value, list):
        return rows(value)
    if not isinstance(value, dict):
        return INVALID_TEXT if _has_surrogate(value) else value
    out = dict(value)
    if isinstance(out.get("tracks"), list):
        out["tracks"] = rows(out["tracks"])
    if isinstance(out.get("playlists"), list):
        playlists = []
        for p in out["playlists"]:
            if isinstance(p, dict) and isinstance(p.get("items"), list):
                p = {**p, "items": rows(p["items"])}
            playlists.append(INVALID_TEXT if _has_surrogate(p) else p)
        out["playlists"] = playlists
    return INVALID_TEXT if _has_surrogate(out) else out


def parse(file: InputFile, kind: str, value: Any, problems: Problems) -> Part:
    """Read one privacy-export file of the given kind.

    Values of the wrong JSON type skip their row (recorded in ``problems``); a file whose outer
    shape is wrong raises :class:`ImportFileError`.
    """
    if value is INVALID_TEXT:
        raise ImportFileError(file.name, InvalidText.reason)
    if kind in ("extended-history", "account-history", "podcast-history", "video-history"):
        if not isinstance(value, list):
            raise ImportFileError(file.name, f"expected a JSON list of plays, found "
                                             f"{type(value).__name__}")
        if kind == "extended-history":
            return _extended(file, value, problems)
        if kind == "account-history":
            return _account(file, value, problems)
        part = Part(file.name, kind, _history_frame([]), is_history=True, rows=len(value))
        label = "podcast plays" if kind == "podcast-history" else "video plays"
        part.counts[label] = len(value)
        return part
    if not isinstance(value, dict):
        raise ImportFileError(file.name, f"expected a JSON object, found {type(value).__name__}")
    if kind == "your-library":
        return _your_library(file, value, problems)
    return _playlists(file, value, problems)


# -- streaming history ---------------------------------------------------------------------------
def _history_frame(columns: dict[str, Any] | list) -> pd.DataFrame:
    if isinstance(columns, list):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in HISTORY_COLUMNS})
    return pd.DataFrame(columns)


def _fields(items: list, keys: list[str]) -> pd.DataFrame:
    """The given fields of every item (None where missing or the item is not an object)."""
    if not all(type(it) is dict for it in items):
        items = [it if isinstance(it, dict) else {} for it in items]
    if not items:
        return pd.DataFrame({k: pd.Series(dtype=object) for k in keys})
    return pd.DataFrame.from_records(items, columns=keys)


def _present(series: pd.Series) -> np.ndarray:
    return (series.notna() & (series != "")).to_numpy(dtype=bool)


def _ms(raw: pd.Series, key: str, file: InputFile, problems: Problems,
        items_ok: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        ms = raw.astype(float)
    else:  # mixed: numbers written as text, booleans, nested values…
        ms = pd.to_numeric(raw.map(_number_or_text), errors="coerce").astype(float)
    invalid = ms.isna() | (ms < 0)
    # 1e400 reads as infinity and 9e17 ms is 28 million years: neither is one play.
    out_of_range = ~invalid & ~((ms <= MAX_PLAY_MS) & np.isfinite(ms))
    bad = items_ok & (invalid | out_of_range).to_numpy()
    if bad.any():
        idx = np.flatnonzero(bad)
        problems.skip(file.name, idx + 1, key,
                      [f"{_short_value(raw.iloc[i])} ms is out of range for one play (more than "
                       f"{MAX_PLAY_MS // 3_600_000} hours)" if out_of_range.iloc[i] else
                       f"'{_short_value(raw.iloc[i])}' is not a duration in ms" for i in idx])
    return ms.where(~bad, 0).fillna(0), bad


def _number_or_text(value: Any) -> float | str | None:
    """A JSON number as float (integers too big for one read as infinity), text as is, anything
    else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, int):
        return float(value) if abs(value) < 2 ** 63 else float("inf")
    return value


def _short_value(value: Any, width: int = 40) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 15:
        text = f"a {len(str(abs(value)))}-digit number"
    elif isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        text = f"{float(value):g}"
    else:
        text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[:width - 1] + "…"


def _not_objects(items: list, file: InputFile, problems: Problems) -> np.ndarray:
    ok = np.fromiter((isinstance(it, dict) for it in items), dtype=bool, count=len(items))
    if not ok.all():
        idx = np.flatnonzero(~ok)
        problems.skip(file.name, idx + 1, None, [_not_object_reason(items[i]) for i in idx])
    return ok


def _not_object_reason(item: Any) -> str:
    return InvalidText.reason if item is INVALID_TEXT else "not a JSON object"


def _aggregate(file: InputFile, frame: pd.DataFrame) -> pd.DataFrame:
    """Sum plays per (track id, track, artist, album)."""
    counted = frame["ms"] >= MIN_PLAY_MS
    frame = frame.assign(plays=counted.astype("int64"), plays_all=1,
                         counted_ms=frame["ms"].where(counted, 0))
    keys = ["track_id", "track_name", "artist_name", "album_name"]
    agg = (frame.groupby(keys, dropna=False, sort=False)
           .agg(plays=("plays", "sum"), plays_all=("plays_all", "sum"), ms_played=("ms", "sum"),
                counted_ms=("counted_ms", "sum")).reset_index())
    for col in keys:
        agg[col] = agg[col].astype(object).where(agg[col].notna(), None)
    return agg


EXTENDED_FIELDS = ["ms_played", "master_metadata_track_name", "master_metadata_album_artist_name",
                   "master_metadata_album_album_name", "spotify_track_uri", "episode_name",
                   "spotify_episode_uri", "audiobook_uri", "audiobook_title",
                   "audiobook_chapter_uri"]


def _extended(file: InputFile, items: list, problems: Problems) -> Part:
    ok = _not_objects(items, file, problems)
    f = _fields(items, EXTENDED_FIELDS)  # only these: ip_addr and the rest are never read
    episode = ok & (_present(f["spotify_episode_uri"]) | _present(f["episode_name"]))
    audiobook = ok & ~episode & (_present(f["audiobook_uri"]) | _present(f["audiobook_title"])
                                 | _present(f["audiobook_chapter_uri"]))
    track, uri = f["master_metadata_track_name"], f["spotify_track_uri"]
    music = ok & ~episode & ~audiobook
    track_id = spotify_ids(uri, "track")
    # A song needs a name or a valid track URI to be matched to anything.
    no_track = music & ~_present(track) & track_id.isna().to_numpy()
    if no_track.any():
        problems.skip(file.name, np.flatnonzero(no_track) + 1, "master_metadata_track_name",
                      "no track name or valid track URI (not a song)")
    ms, bad_ms = _ms(f["ms_played"], "ms_played", file, problems, music & ~no_track)
    keep = music & ~no_track & ~bad_ms
    frame = pd.DataFrame({
        "track_id": track_id[keep].to_numpy(dtype=object),
        "track_name": _text(track[keep]),
        "artist_name": _text(f["master_metadata_album_artist_name"][keep]),
        "album_name": _text(f["master_metadata_album_album_name"][keep]),
        "ms": ms[keep].to_numpy(dtype=np.int64),
    })
    # A play with a URI but no names (rare) keeps its id; the builder needs a name.
    unnamed = frame["track_name"].isna()
    if unnamed.any():
        frame.loc[unnamed, "track_name"] = ("Unknown track "
                                            + frame.loc[unnamed, "track_id"].astype(str))
    part = Part(file.name, "extended-history", _aggregate(file, frame), is_history=True,
                rows=len(items))
    part.counts = {"podcast plays": int(episode.sum()),
                   "audiobook plays": int(audiobook.sum()),
                   "plays read": int(keep.sum())}
    return part


_UNKNOWN = {"unknown track", "unknown artist"}


def _account(file: InputFile, items: list, problems: Problems) -> Part:
    ok = _not_objects(items, file, problems)
    f = _fields(items, ["trackName", "artistName", "episodeName", "msPlayed"])
    track, artist = f["trackName"], f["artistName"]
    podcast = ok & _present(f["episodeName"])
    unknown = ok & ~podcast & (~_present(track) | track.astype("string").str.strip().str.lower()
                               .isin(_UNKNOWN).fillna(False).to_numpy(dtype=bool))
    if unknown.any():
        problems.skip(file.name, np.flatnonzero(unknown) + 1, "trackName",
                      "no track name (\"Unknown Track\": a local file or a removed song)")
    music = ok & ~podcast & ~unknown
    ms, bad_ms = _ms(f["msPlayed"], "msPlayed", file, problems, music)
    keep = music & ~bad_ms
    frame = pd.DataFrame({
        "track_id": pd.Series([None] * int(keep.sum()), dtype=object),
        "track_name": _text(track[keep]), "artist_name": _text(artist[keep]),
        "album_name": pd.Series([None] * int(keep.sum()), dtype=object),
        "ms": ms[keep].to_numpy(dtype=np.int64),
    })
    part = Part(file.name, "account-history", _aggregate(file, frame), is_history=True,
                rows=len(items))
    part.counts = {"podcast plays": int(podcast.sum()), "plays read": int(keep.sum())}
    return part


def _text(values: pd.Series) -> np.ndarray:
    """Names as str (JSON may hold numbers or other values), None when missing."""
    out = values.astype(object).where(values.notna(), None).to_numpy(copy=True)
    if isinstance(values.dtype, pd.StringDtype):  # a string column: nothing else to convert
        return out
    for i in np.flatnonzero([v is not None and not isinstance(v, str) for v in out]):
        out[i] = None if isinstance(out[i], float) and np.isnan(out[i]) else str(out[i])
    return out


def combine_history(parts: list[Part]) -> Part | None:
    """All history files as one part: plays summed per (track id, names) across files."""
    history = [p for p in parts if p.is_history]
    if not history:
        return None
    frames = [p.tracks for p in history if len(p.tracks)]
    names = [p.file.split(" › ")[-1].rsplit("/", 1)[-1] for p in history]
    source = "privacy:" + names[0] + (f" +{len(names) - 1} more" if len(names) > 1 else "")
    if not frames:
        return Part("streaming history", "history", _canonical(_history_frame([]), source),
                    is_history=True)
    rows = pd.concat(frames, ignore_index=True)
    keys = ["track_id", "track_name", "artist_name", "album_name"]
    rows = (rows.groupby(keys, dropna=False, sort=False)
            [["plays", "plays_all", "ms_played", "counted_ms"]].sum().reset_index())
    for col in keys:
        rows[col] = rows[col].astype(object).where(rows[col].notna(), None)
    return Part("streaming history", "history", _canonical(rows, source), is_history=True)


def _canonical(rows: pd.DataFrame, source: str) -> pd.DataFrame:
    artists = [[a] if isinstance(a, str) and a.strip() else None for a in rows["artist_name"]]
    return pd.DataFrame({
        "track_id": rows["track_id"], "track_name": rows["track_name"],
        "artist_ids": [None] * len(rows), "artist_names": artists,
        "album_name": rows["album_name"], "album_artist_names": artists,
        "plays": rows["plays"], "plays_all": rows["plays_all"],
        "ms_played": rows["ms_played"], "counted_ms": rows["counted_ms"], "source": source,
    })


# -- YourLibrary.json and Playlist*.json --------------------------------------------------------
def _track_rows(file: InputFile, entries: list[dict], source: str) -> pd.DataFrame:
    """Canonical track rows from {track, artist, album, uri} dicts (names already checked)."""
    uris = pd.Series([_str(e.get("uri")) for e in entries], dtype=object)
    artists = [[e["artist"]] if isinstance(e.get("artist"), str) and e["artist"].strip()
               else None for e in entries]
    return pd.DataFrame({
        "track_id": spotify_ids(uris, "track"),
        "track_name": pd.Series([str(e["track"]).strip() for e in entries], dtype=object),
        "artist_ids": [None] * len(entries), "artist_names": artists,
        "album_name": pd.Series([_str(e.get("album")) for e in entries], dtype=object),
        "album_artist_names": artists, "source": source,
    })


def _str(value: Any) -> str | None:
    """A text field: None when missing, empty or not text (a number or object where a name
    belongs is ignored rather than stored as its repr)."""
    return value if isinstance(value, str) and value.strip() else None


def _your_library(file: InputFile, value: dict, problems: Problems) -> Part:
    tracks = value.get("tracks") or []
    if not isinstance(tracks, list):
        raise ImportFileError(file.name, "'tracks' should be a list", column="tracks",
                              column_label="field")
    good, bad, reasons = [], [], []
    for i, t in enumerate(tracks):
        if isinstance(t, dict) and isinstance(t.get("track"), str) and t["track"].strip():
            good.append(t)
        else:
            bad.append(i + 1)
            reasons.append(InvalidText.reason if t is INVALID_TEXT else "no track name")
    problems.skip(file.name, bad, "tracks", reasons)
    source = f"privacy:{file.basename}"
    part = Part(file.name, "your-library", _track_rows(file, good, source), rows=len(tracks))
    part.liked = pd.DataFrame({"ref": np.arange(len(good)), "added_at": pd.NaT,
                               "source": source})
    counts = {key: len(value[key]) if isinstance(value.get(key), list) else 0
              for key in ("albums", "artists", "shows", "episodes", "audiobooks")}
    part.counts = {"saved podcast episodes, shows and audiobooks": counts["shows"]
                   + counts["episodes"] + counts["audiobooks"]}
    part.notes.append(f"{len(good):,} liked songs")
    if counts["albums"] or counts["artists"]:
        part.notes.append(f"{counts['albums']:,} saved albums and {counts['artists']:,} followed "
                          "artists not imported (the file lists no tracks for them)")
    return part


def _local_track(local: dict) -> dict | None:
    """``spotify:local:artist:album:title:seconds`` → names."""
    uri = local.get("uri") if isinstance(local, dict) else None
    if not isinstance(uri, str) or not uri.startswith("spotify:local:"):
        return None
    parts = [unquote_plus(p) for p in uri.split(":")[2:]]
    if len(parts) < 3 or not parts[2].strip():
        return None
    return {"track": parts[2], "artist": parts[0] or None, "album": parts[1] or None, "uri": None}


def _playlists(file: InputFile, value: dict, problems: Problems) -> Part:
    playlists = value.get("playlists")
    if not isinstance(playlists, list):
        raise ImportFileError(file.name, "expected a 'playlists' list", column="playlists",
                              column_label="field")
    source = f"privacy:{file.basename}"
    entries: list[dict] = []
    meta, links = [], []
    seen: dict[str, int] = {}
    episodes = 0
    n_items = 0
    for i, p in enumerate(playlists):
        if p is INVALID_TEXT or (isinstance(p, dict) and not isinstance(p.get("items") or [],
                                                                        list)):
            problems.skip(file.name, [i + 1], "playlists",
                          InvalidText.reason if p is INVALID_TEXT else
                          f"'items' is {type(p['items']).__name__}, not a list (playlist skipped)")
            continue
        if not isinstance(p, dict):
            continue
        items = p.get("items") or []
        n_items += len(items)
        title = (_str(p.get("name")) or "Untitled playlist").strip()
        seen[title] = seen.get(title, 0) + 1
        if seen[title] > 1:
            title = f"{title} ({seen[title]})"
        playlist_id = "privacy:" + name_id(title).removeprefix("name:")[:16]
        meta.append({"playlist_id": playlist_id, "name": title, "owner": None,
                     "description": _str(p.get("description")), "source": source})
        for j, item in enumerate(items):
            if not isinstance(item, dict):
                problems.skip(file.name, [j + 1], f"playlist “{title}”",
                              _not_object_reason(item))
                continue
            if item.get("episode") or item.get("audiobook"):
                episodes += 1
                continue
            t = item.get("track")
            entry = None
            if isinstance(t, dict) and isinstance(t.get("trackName"), str) and t["trackName"]:
                entry = {"track": t["trackName"], "artist": _str(t.get("artistName")),
                         "album": _str(t.get("albumName")), "uri": _str(t.get("trackUri"))}
            elif isinstance(item.get("localTrack"), dict):
                entry = _local_track(item["localTrack"])
            if entry is None:
                problems.skip(file.name, [j + 1], f"playlist “{title}”", "item without a track")
                continue
            links.append((playlist_id, len(entries), j, _str(item.get("addedDate"))))
            entries.append(entry)
    if not meta:  # nothing to build (a zip of thousands of such files must stay fast)
        part = Part(file.name, "playlists", pd.DataFrame(), rows=n_items)
        part.notes.append("0 playlists")
        return part
    part = Part(file.name, "playlists", _track_rows(file, entries, source), rows=n_items)
    part.playlists = pd.DataFrame(meta, columns=["playlist_id", "name", "owner", "description",
                                                 "source"])
    link = pd.DataFrame(links, columns=["playlist_id", "ref", "position", "added_at"])
    link["added_at"] = timestamps(link["added_at"], file=file.name, column="addedDate",
                                  rows=link["position"].to_numpy() + 1, problems=problems)
    part.playlist_tracks = link
    part.counts = {"podcast episodes in playlists": episodes}
    part.notes.append(f"{len(meta):,} playlists")
    return part
