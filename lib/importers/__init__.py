"""Imports of the files people already have: Exportify CSVs, Spotify's privacy export, track data
sets (``docs/formats.md``).

    result = import_files(["liked_songs.csv", "my_spotify_data.zip"])   # reads, writes nothing
    print(result.summary_line())      # "2,812 tracks, 14 playlists, …; 37 rows skipped — see why"
    result.skipped_frame()            # File | Row | Column | Problem | Action
    preview(result, store, "local")   # what Replace / Merge would do, still writing nothing
    write_import(store, "local", result, "merge")   # one transaction

Formats are detected per file (:func:`detect_format`): by name for the privacy export, by the
header row for CSVs. A zip is opened and each member detected; members that are not music data
(``Userdata.json``, ``Payments.json``, a ReadMe…) are listed as ignored and never parsed. A file
given on its own that is not recognised stops the import with a message naming the file and what
was expected. Every problem that stops an import is an :class:`ImportFileError` naming file, row
and column; nothing is written before all files have been read.

Modules: :mod:`.common` (inputs, encodings, CSV reader, ids), :mod:`.exportify`,
:mod:`.privacy` (streaming history, with the listening-score formula), :mod:`.datasets`,
:mod:`.build` (ids, deduplication, tables), :mod:`.write` (preview, replace/merge/features).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import pandas as pd

from lib.importers import datasets, exportify, privacy
from lib.importers.build import Built, Known, Part, build
from lib.importers.common import (
    DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TOTAL_BYTES, ImportFileError, InputFile, Problems,
    ProgressFn, decode_text, open_inputs,
)
from lib.importers.values import DELIMITER_NAMES, header_of, read_csv
from lib.store.db import LibraryData

FORMAT_LABELS: dict[str, str] = {**exportify.FORMATS, **privacy.FORMATS, **datasets.FORMATS}
CSV_SUFFIXES = (".csv", ".tsv", ".txt")

__all__ = [
    "FORMAT_LABELS", "FileReport", "ImportFileError", "ImportResult", "InputFile",
    "detect_format", "import_files", "DEFAULT_MAX_FILE_BYTES", "DEFAULT_MAX_TOTAL_BYTES",
]


@dataclass
class FileReport:
    """One file of an import: what it was read as and what it gave."""

    name: str
    format: str  # a key of FORMAT_LABELS, or "ignored"
    rows: int = 0
    tracks: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)


@dataclass
class ImportResult:
    """Everything read from the files, not yet written: the library they make (:attr:`data`),
    counts for the summary, per-file reports and the skipped rows."""

    files: list[FileReport]
    parts: list[Part]
    problems: Problems
    built: Built
    skipped_counts: dict[str, int]

    @property
    def data(self) -> LibraryData:
        return self.built.data

    @property
    def counts(self) -> dict[str, int]:
        """Summary counts: tracks, playlists, with_features, with_labels, liked, plays…, plus
        rows_skipped, values_ignored and the counted skips (podcast plays…)."""
        return {**self.built.stats, "rows_skipped": self.problems.rows_skipped,
                "values_ignored": self.problems.values_ignored, **self.skipped_counts}

    @property
    def has_features(self) -> bool:
        return self.built.stats["with_features"] > 0

    @property
    def ignored(self) -> list[str]:
        return [f.name for f in self.files if f.format == "ignored"]

    def rebuild(self, known: Known) -> Built:
        """The same files resolved against a library they are merged into."""
        return build(self.parts, known)

    def summary_line(self) -> str:
        """"2,812 tracks, 14 playlists, 2,430 with audio features, 1,903 with labels; 37 rows
        skipped — see why"."""
        return summary_line(self.counts)

    def detail_lines(self) -> list[str]:
        """Liked songs, listening history, what was skipped and ignored, in plain sentences."""
        c = self.counts
        lines = []
        if c["liked"]:
            lines.append(f"{c['liked']:,} liked songs")
        if c["plays"]:
            lines.append(
                f"{c['plays']:,} plays ({c['plays_counted']:,} of 30 s or more) give "
                f"listening scores to {c['with_scores']:,} tracks: {c['plays_by_uri']:,} plays "
                f"matched by URI, {c['plays_by_name']:,} by track and artist name, "
                f"{c['plays_new_track']:,} of tracks no other file lists")
        counted = [f"{k} ({v:,})" for k, v in self.skipped_counts.items() if v]
        if counted:
            lines.append("Skipped, not music: " + "; ".join(counted))
        if c["values_ignored"]:
            lines.append(f"{c['values_ignored']:,} unreadable values left empty (see why)")
        if self.ignored:
            shown = ", ".join(n.split(" › ")[-1] for n in self.ignored[:6])
            more = f" and {len(self.ignored) - 6} more" if len(self.ignored) > 6 else ""
            lines.append(f"Not music data, ignored: {shown}{more}")
        return lines

    def skipped_frame(self) -> pd.DataFrame:
        """Skipped rows and ignored values: File, Row, Column, Problem, Action."""
        return self.problems.frame()

    def files_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{
            "File": f.name, "Read as": f.label, "Rows": f.rows, "Tracks": f.tracks,
            "Encoding": f.encoding or "", "Delimiter": DELIMITER_NAMES.get(f.delimiter or "", ""),
            "Notes": "; ".join(f.notes)} for f in self.files])


def summary_line(c: dict[str, int]) -> str:
    line = (f"{c['tracks']:,} tracks, {c['playlists']:,} playlists, "
            f"{c['with_features']:,} with audio features, {c['with_labels']:,} with labels")
    problems = c.get("rows_skipped", 0)
    if problems:
        line += f"; {problems:,} row{'s' if problems != 1 else ''} skipped — see why"
    return line


# -- detection -----------------------------------------------------------------------------------
def detect_format(file: InputFile, text: str | None = None) -> str | None:
    """The format key of a file (see :data:`FORMAT_LABELS`), or None when it is not one we read.

    Privacy-export files are recognised by name; CSVs (``.csv``, ``.tsv``, ``.txt`` or anything
    whose text is not JSON) by their header row. Raises :class:`ImportFileError` for a CSV that
    looks like a known layout but lacks a required column.
    """
    kind = privacy.kind_of_name(file.basename)
    if kind:
        return kind
    lower = file.basename.lower()
    if lower.endswith(".json"):
        return None
    if text is None:
        text = decode_text(file.read(), file.name).text
    if text.lstrip().startswith(("[", "{")):
        return None
    return _csv_format(file, text)


def _csv_format(file: InputFile, text: str) -> str | None:
    header, _ = header_of(text)
    candidates: list[tuple[int, str, list[str]]] = []
    score, missing = exportify.header_score(header)
    if score:
        candidates.append((score, exportify.layout(header), missing))
    for fmt, score, missing in datasets.header_scores(header):
        if score:
            candidates.append((score, fmt, missing))
    if not candidates:
        return None
    score, fmt, missing = max(candidates, key=lambda c: (c[0], not c[2]))
    if missing:
        if score < 3:
            return None
        raise ImportFileError(
            file.name, f"looks like {FORMAT_LABELS[fmt]} but has no "
                       f"{' or '.join(repr(m) for m in missing)} column "
                       f"({len(missing)} required column{'s' if len(missing) > 1 else ''} "
                       "missing); export it again with the default columns",
            row=1, column=missing[0])
    return fmt


def _unknown(file: InputFile, text: str | None) -> ImportFileError:
    if text is not None and not text.lstrip().startswith(("[", "{")):
        header, delimiter = header_of(text)
        shown = ", ".join(header[:8]) + (", …" if len(header) > 8 else "")
        return ImportFileError(
            file.name, f"unknown layout: the header is “{shown}” "
                       f"({DELIMITER_NAMES.get(delimiter, delimiter)}-separated). Expected an "
                       "Exportify CSV (Track URI, Track Name, Artist Name(s), …), the Spotify "
                       "Tracks Dataset (track_id, artists, track_name, …) or the 1.2M songs "
                       "data set (id, name, artists, …)", row=1)
    return ImportFileError(
        file.name, "is not a file labelscope can import. Expected Streaming_History_Audio_*.json, "
                   "endsong_*.json, StreamingHistory_music_*.json, YourLibrary.json, "
                   "Playlist*.json (from Spotify's privacy export), Exportify CSVs or a track "
                   "data set CSV")


# -- reading -------------------------------------------------------------------------------------
def import_files(items: Iterable[Any], *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
                 max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
                 progress: ProgressFn | None = None) -> ImportResult:
    """Read files (paths, Streamlit uploads, ``(name, bytes)`` pairs; zips are opened) into one
    library, writing nothing. Raises :class:`ImportFileError` on the first file that cannot be
    imported; skipped rows and unreadable values are collected in the result instead."""
    report = progress or (lambda fraction, text: None)
    report(0.0, "Opening files…")
    files = open_inputs(items, max_file_bytes=max_file_bytes, max_total_bytes=max_total_bytes)
    if not files:
        raise ImportFileError("(no files)", "nothing to import: choose one or more files")
    problems = Problems()
    parts: list[Part] = []
    reports: list[FileReport] = []
    total = sum(max(f.size, 1) for f in files)
    done = 0
    for file in files:
        report(0.9 * done / total, f"Reading {file.name} ({file.size / 1e6:,.1f} MB)…")
        part, rep = _read_one(file, problems)
        reports.append(rep)
        if part is not None and not _contributes_nothing(part):
            parts.append(part)
        done += max(file.size, 1)
    _check_zips(files, reports)
    skipped: dict[str, int] = {}
    for part in parts:
        for key, value in part.counts.items():
            if key != "plays read":
                skipped[key] = skipped.get(key, 0) + value
    report(0.92, "Matching tracks, artists and albums…")
    history = privacy.combine_history(parts)
    build_parts = [p for p in parts if not p.is_history] + ([history] if history else [])
    built = build(build_parts)
    report(1.0, "Read")
    return ImportResult(reports, build_parts, problems, built, skipped)


def _read_one(file: InputFile, problems: Problems) -> tuple[Part | None, FileReport]:
    kind = privacy.kind_of_name(file.basename)
    lower = file.basename.lower()
    if file.in_zip and kind is None and not lower.endswith(CSV_SUFFIXES):
        return None, FileReport(file.name, "ignored")
    data = file.read()
    if file.in_zip and kind is None and not data.strip():
        return None, FileReport(file.name, "ignored")
    decoded = decode_text(data, file.name)
    note = [decoded.note] if decoded.note else []
    if kind or lower.endswith(".json") or decoded.text.lstrip().startswith(("[", "{")):
        if file.in_zip and kind is None:
            return None, FileReport(file.name, "ignored")
        value = privacy.load_json(file, decoded)
        kind = kind or privacy.kind_of_content(value)
        if kind is None:
            raise _unknown(file, None)
        part = privacy.parse(file, kind, value, problems)
        return part, FileReport(file.name, kind, part.rows, _track_count(part),
                                decoded.encoding, None, note + part.notes + _count_notes(part))
    try:
        fmt = _csv_format(file, decoded.text)
    except ImportFileError:
        if file.in_zip:
            return None, FileReport(file.name, "ignored")
        raise
    if fmt is None:
        if file.in_zip:
            return None, FileReport(file.name, "ignored")
        raise _unknown(file, decoded.text)
    table = read_csv(file, decoded, problems)
    if table.frame.empty:
        note.append("no rows after the header")
    if fmt in datasets.FORMATS:
        part = datasets.parse(file, table, fmt, problems)
    else:
        part = exportify.parse(file, table, problems)
    delim_note = ([f"{DELIMITER_NAMES[table.delimiter]}-separated"
                   + (", decimal commas read" if table.decimal_comma else "")]
                  if table.delimiter != "," else [])
    return part, FileReport(file.name, part.fmt, part.rows, _track_count(part), decoded.encoding,
                            table.delimiter, note + delim_note + part.notes + _count_notes(part))


def _contributes_nothing(part: Part) -> bool:
    """A file that gave no tracks, playlists or liked songs (its counts are kept in the report);
    leaving it out of the build keeps a zip of thousands of such files fast."""
    return (not part.is_history and part.tracks.empty and not any(part.counts.values())
            and all(f is None or f.empty for f in (part.playlists, part.liked)))


def _track_count(part: Part) -> int:
    if part.is_history:
        return int(part.tracks["track_name"].nunique()) if len(part.tracks) else 0
    return len(part.tracks)


def _count_notes(part: Part) -> list[str]:
    return [f"{v:,} {k}" for k, v in part.counts.items() if v]


def _check_zips(files: list[InputFile], reports: list[FileReport]) -> None:
    """A zip none of whose members is music data is an error, not an empty import."""
    by_zip: dict[str, list[FileReport]] = {}
    for file, rep in zip(files, reports):
        if file.in_zip:
            by_zip.setdefault(file.name.split(" › ")[0], []).append(rep)
    for name, reps in by_zip.items():
        if all(r.format == "ignored" for r in reps):
            found = ", ".join(re.split(r"[/\\]", r.name.split(" › ")[-1])[-1] for r in reps[:8])
            raise ImportFileError(
                name, f"holds nothing labelscope can import (found: {found or 'no files'}). "
                      "Expected Spotify's privacy export (Streaming_History_Audio_*.json, "
                      "StreamingHistory_music_*.json, YourLibrary.json, Playlist*.json) or "
                      "Exportify CSVs")


from lib.importers.write import (  # noqa: E402  (write imports ImportResult from here)
    Preview, WriteReport, library_identity, preview, write_import,
)

__all__ += ["Preview", "WriteReport", "library_identity", "preview",
            "write_import"]
