"""What every importer shares: input files, errors and skipped-row records, decoding, the CSV reader,
value parsers and ids.

- :class:`InputFile` is one file to read, wherever it came from: a path, a Streamlit upload,
  ``(name, bytes)`` or a member of a zip. :func:`open_inputs` expands zips and enforces the size
  limits (a parameter, so tests need not write 500 MB).
- :class:`ImportFileError` stops an import with a message naming the file and, when known, the row
  and column. Nothing is written when it is raised.
- :class:`Problems` collects what was skipped or ignored without stopping the import (a bad row, a
  malformed number) so the preview can say "37 rows skipped — see why".
- :func:`decode_text` detects the encoding explicitly: a BOM first (UTF-8, UTF-16 LE/BE, UTF-32),
  then UTF-16 without BOM (NUL bytes every other byte), then strict UTF-8, then Windows-1252
  (Latin-1 with the printable 0x80–0x9F range). The encoding used is reported.
- :func:`read_csv` sniffs the delimiter (``,`` ``;`` tab ``|``), reads every cell as text with
  pyarrow's CSV reader and keeps each data row's row number in the file (the header is row 1).
- Ids: Spotify ids are kept when a value holds one (``spotify:track:…``, ``open.spotify.com``
  links or a bare 22-character id). Files without ids get **stable ids made from names**:
  ``"name:"`` followed by the first 20 hex digits of the SHA-1 of the normalised names (NFKC,
  lower-cased, whitespace collapsed, parts joined by U+001F) — the same names give the same id in
  every import, so merges deduplicate.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

MB = 1024 * 1024
DEFAULT_MAX_FILE_BYTES = 400 * MB  # one file (or zip member); the 1.2M-songs CSV is ~350 MB
DEFAULT_MAX_TOTAL_BYTES = 3 * 1024 * MB  # everything in one import, zip members uncompressed
NAME_ID_PREFIX = "name:"
MISSING = ("", "nan", "none", "null", "n/a", "na")
_MISSING_RE = "|".join(re.escape(m) for m in MISSING)

ProgressFn = Callable[[float, str], None]


# -- errors and problems -------------------------------------------------------------------------
class ImportFileError(ValueError):
    """A file cannot be imported. The message names the file and, when known, row and column.

    ``row_label`` says what a row is in that file: ``row`` (CSV, the header is row 1), ``item``
    (the n-th entry of a JSON array) or ``line``; ``column_label`` is ``column``, ``field`` or
    ``character`` (the position on a line of JSON).
    """

    def __init__(self, file: str, message: str, *, row: int | None = None,
                 column: str | int | None = None, row_label: str = "row",
                 column_label: str = "column") -> None:
        self.file, self.reason, self.row, self.column = file, message, row, column
        where = [file]
        if row is not None:
            where.append(f"{row_label} {row:,}" if isinstance(row, int) else f"{row_label} {row}")
        if column is not None:
            where.append(f"{column_label} {column}" if column_label == "character"
                         else f"{column_label} '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True)
class Problem:
    """One thing that was skipped (a row) or ignored (a value), and why."""

    file: str
    row: int | None
    column: str | None
    reason: str
    action: str  # "row skipped" | "value ignored"


@dataclass
class Problems:
    """Skipped rows and ignored values of one import: exact counts, details up to a cap."""

    max_details: int = 2000
    details: list[Problem] = field(default_factory=list)
    rows_skipped: int = 0
    values_ignored: int = 0
    by_reason: Counter = field(default_factory=Counter)

    def _add(self, file: str, rows: Sequence[int | None], column: str | None,
             reasons: Sequence[str] | str, action: str) -> None:
        n = len(rows)
        if n == 0:
            return
        if action == "row skipped":
            self.rows_skipped += n
        else:
            self.values_ignored += n
        reasons = [reasons] * n if isinstance(reasons, str) else list(reasons)
        for reason in reasons:
            self.by_reason[reason.split(":")[0]] += 1
        room = self.max_details - len(self.details)
        for row, reason in list(zip(rows, reasons))[:max(room, 0)]:
            self.details.append(Problem(file, None if row is None else int(row), column, reason,
                                        action))

    def skip(self, file: str, rows: Sequence[int | None], column: str | None,
             reasons: Sequence[str] | str) -> None:
        """Record skipped rows (one reason for all, or one per row)."""
        self._add(file, rows, column, reasons, "row skipped")

    def ignore(self, file: str, rows: Sequence[int | None], column: str | None,
               reasons: Sequence[str] | str) -> None:
        """Record values that were left empty because they could not be read."""
        self._add(file, rows, column, reasons, "value ignored")

    def frame(self) -> pd.DataFrame:
        """The details as a table: File, Row, Column, Problem, Action."""
        return pd.DataFrame(
            [(p.file, p.row, p.column, p.reason, p.action) for p in self.details],
            columns=["File", "Row", "Column", "Problem", "Action"]).astype({"Row": "Int64"})

    @property
    def truncated(self) -> bool:
        return self.rows_skipped + self.values_ignored > len(self.details)


# -- input files ---------------------------------------------------------------------------------
@dataclass
class InputFile:
    """One file to import: its display name (``export.zip › folder/file.json`` for zip members),
    its size in bytes and a function returning its bytes."""

    name: str
    size: int
    reader: Callable[[], bytes] = field(repr=False)
    in_zip: bool = False

    @property
    def basename(self) -> str:
        return PurePosixPath(self.name.split(" › ")[-1].replace("\\", "/")).name

    @property
    def stem(self) -> str:
        return PurePosixPath(self.basename).stem

    def read(self) -> bytes:
        return self.reader()


def human_size(n: float) -> str:
    """``1.5 MB``, ``820 KB``, ``12 bytes``."""
    if n >= MB:
        return f"{n / MB:,.1f} MB".replace(".0 MB", " MB")
    return f"{n / 1024:,.0f} KB" if n >= 1024 else f"{int(n)} bytes"


def _too_big(name: str, size: int, limit: int) -> ImportFileError:
    return ImportFileError(
        name, f"is {human_size(size)}, more than the {human_size(limit)} limit for one file. "
              "Split it (Spotify's own export files are ~12 MB each) or import a zip of the "
              "smaller files.")


def open_inputs(items: Iterable[Any], *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
                max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES) -> list[InputFile]:
    """Turn paths, uploads (objects with ``name`` and ``getvalue()``), ``(name, bytes or str)`` or
    :class:`InputFile` objects into input files, expanding zips into their members.

    Raises :class:`ImportFileError` for a missing path, a file over ``max_file_bytes``, a zip whose
    members add up to more than ``max_total_bytes``, or a broken or encrypted zip.
    """
    out: list[InputFile] = []
    total = 0
    for item in items:
        file = _as_input(item)
        if file.size > max_file_bytes:
            raise _too_big(file.name, file.size, max_file_bytes)
        if _is_zip(file):
            members = _zip_members(file, max_file_bytes)
            total += sum(m.size for m in members)
            out.extend(members)
        else:
            total += file.size
            out.append(file)
        if total > max_total_bytes:
            raise ImportFileError(
                file.name, f"this import adds up to {human_size(total)}, more than the "
                           f"{human_size(max_total_bytes)} limit; import the files in batches "
                           "(Merge keeps what is already there).")
    return out


def _as_input(item: Any) -> InputFile:
    if isinstance(item, InputFile):
        return item
    if isinstance(item, (str, Path)):
        path = Path(item)
        if not path.exists():
            raise ImportFileError(str(path), "no such file")
        if path.is_dir():
            raise ImportFileError(str(path), "is a folder; pass the files in it (or a zip)")
        return InputFile(path.name if len(str(item)) > 120 else str(item), path.stat().st_size,
                         path.read_bytes)
    if isinstance(item, tuple) and len(item) == 2:
        name, data = item
        data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        return InputFile(str(name), len(data), lambda: data)
    if hasattr(item, "name") and hasattr(item, "getvalue"):
        size = int(getattr(item, "size", 0) or len(item.getvalue()))
        return InputFile(str(item.name), size, item.getvalue)
    raise TypeError(f"cannot import {type(item).__name__}: pass paths, uploads or (name, bytes)")


def _is_zip(file: InputFile) -> bool:
    if file.basename.lower().endswith(".zip"):
        return True
    return file.size >= 4 and file.read()[:4] == b"PK\x03\x04"


def _zip_members(file: InputFile, max_file_bytes: int) -> list[InputFile]:
    data = file.read()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(file.name, f"is not a readable zip archive ({exc}); download it "
                                         "again or unzip it and import the files.") from exc
    members: list[InputFile] = []
    for info in infos:
        inner = info.filename.replace("\\", "/")
        base = PurePosixPath(inner).name
        if info.is_dir() or inner.startswith("__MACOSX/") or base.startswith(".") or not base:
            continue
        name = f"{file.name} › {inner}"
        if info.flag_bits & 0x1:
            raise ImportFileError(name, "is encrypted; unzip it yourself and import the files")
        if info.file_size > max_file_bytes:
            raise _too_big(name, info.file_size, max_file_bytes)

        def reader(info: zipfile.ZipInfo = info, name: str = name) -> bytes:
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    return z.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise ImportFileError(name, f"cannot be unpacked ({exc})") from exc

        members.append(InputFile(name, info.file_size, reader, in_zip=True))
    if not members:
        raise ImportFileError(file.name, "is an empty zip archive (it holds no files)")
    return members


# -- text ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # human-readable: "UTF-8", "UTF-8 with BOM", "UTF-16 LE (BOM)", "Windows-1252"
    note: str | None = None


_BOMS = [
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 LE (BOM)"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 BE (BOM)"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 with BOM"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 LE (BOM)"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 BE (BOM)"),
]


def decode_text(data: bytes, name: str) -> Decoded:
    """Decode a text file, detecting its encoding explicitly (see the module docstring).

    Raises :class:`ImportFileError` for an empty file, text that does not decode in the encoding
    its BOM announces, and binary files (NUL characters in the text).
    """
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError(name, "is empty" if not data else "holds no data (only blank "
                                    "lines); export it again")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise ImportFileError(name, f"starts with a {label} byte-order mark but is not "
                                            f"valid {label.split(' (')[0]} (byte {exc.start:,})",
                                      row=_line_of(data, exc.start)) from exc
            return _checked(Decoded(text, label), name)
    head = data[:4000]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return _checked(Decoded(data.decode("utf-16-le", errors="replace"), "UTF-16 LE"), name)
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return _checked(Decoded(data.decode("utf-16-be", errors="replace"), "UTF-16 BE"), name)
    try:
        return _checked(Decoded(data.decode("utf-8"), "UTF-8"), name)
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        note = (f"not valid UTF-8 (first at row {line:,}, byte 0x{data[exc.start]:02X}); "
                "read as Windows-1252 (Latin-1)")
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        return _checked(Decoded(text, "Windows-1252", note), name)


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _checked(decoded: Decoded, name: str) -> Decoded:
    nul = decoded.text.find("\x00")
    if nul >= 0:
        raise ImportFileError(name, "is not a text file (it holds NUL bytes): expected CSV or "
                                    "JSON text", row=decoded.text.count("\n", 0, nul) + 1)
    if not decoded.text.strip():
        raise ImportFileError(name, "holds no data (only blank lines); export it again")
    return decoded


# -- CSV -----------------------------------------------------------------------------------------
@dataclass
class CsvTable:
    """A CSV file read as text: ``frame`` has the header's column names and string cells ("" when
    empty); ``rows`` holds each data row's row number in the file (header = row 1)."""

    file: str
    frame: pd.DataFrame
    rows: np.ndarray
    header: list[str]
    delimiter: str
    encoding: str
    note: str | None = None

    @property
    def decimal_comma(self) -> bool:
        return self.delimiter == ";"


_DELIMITERS = [",", ";", "\t", "|"]
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def sniff_delimiter(first_line: str) -> str:
    """The delimiter used most often outside quotes on the header line."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_of(text: str) -> tuple[list[str], str]:
    """The header row's column names (stripped) and the delimiter."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = sniff_delimiter(first)
    names = next(csv.reader([first], delimiter=delimiter), [])
    return [n.strip().lstrip("\ufeff").strip() for n in names], delimiter


def read_csv(file: InputFile, decoded: Decoded, problems: Problems) -> CsvTable:
    """Read a CSV (any delimiter, quoted or not, newlines inside quoted cells) as text cells.

    Rows with more or fewer cells than the header are skipped and recorded in ``problems``.
    Raises :class:`ImportFileError` when the header has blank-free duplicates or the file cannot be
    parsed at all (an unclosed quote, for example).
    """
    header, delimiter = header_of(decoded.text)
    seen: set[str] = set()
    for i, name in enumerate(header):
        if name and name.casefold() in seen:
            raise ImportFileError(file.name, "this column name appears twice in the header",
                                  row=1, column=name)
        seen.add(name.casefold())
    text = decoded.text
    start = len(text) - len(text.lstrip("\r\n \t"))
    payload = text[start:].encode("utf-8")
    bad: list[tuple[int | None, str]] = []

    def on_invalid(row: Any) -> str:
        bad.append((row.number, f"has {row.actual_columns} cells, the header has "
                                f"{row.expected_columns}"))
        return "skip"

    n = len(header)
    try:
        table = pv.read_csv(
            io.BytesIO(payload),
            read_options=pv.ReadOptions(use_threads=False, autogenerate_column_names=True,
                                        block_size=8 * MB),
            parse_options=pv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                          escape_char=False, newlines_in_values=True,
                                          ignore_empty_lines=True, invalid_row_handler=on_invalid),
            convert_options=pv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(n)}, strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        message = str(exc)
        match = re.search(r"[Rr]ow #?(\d+)", message)
        raise ImportFileError(file.name, f"cannot be read as CSV: {message.splitlines()[0]}",
                              row=int(match.group(1)) if match else None) from exc
    if table.num_columns != n:
        raise ImportFileError(file.name, f"the header has {n} columns but the rows have "
                                         f"{table.num_columns}", row=1)
    frame = table.to_pandas()
    frame.columns = header
    total = len(frame) + len(bad)
    bad_numbers = {b[0] for b in bad if b[0] is not None}
    numbers = np.array([r for r in range(1, total + 1) if r not in bad_numbers], dtype=np.int64) \
        if bad_numbers else np.arange(1, total + 1, dtype=np.int64)
    numbers = numbers[:len(frame)]
    problems.skip(file.name, [b[0] for b in bad], None, [b[1] for b in bad])
    frame = frame.iloc[1:].reset_index(drop=True)  # the header row
    return CsvTable(file.name, frame, numbers[1:], header, delimiter, decoded.encoding,
                    decoded.note)


# -- values --------------------------------------------------------------------------------------
def _missing(s: pd.Series) -> pd.Series:
    """Missing, empty or a placeholder (``nan``, ``null``, ``n/a``…), for stripped strings."""
    return s.isna() | s.str.lower().str.fullmatch(_MISSING_RE).fillna(True).astype(bool)


def clean(series: pd.Series) -> pd.Series:
    """Strip cells; empty and placeholder cells (``nan``, ``null``…) become missing (None)."""
    s = series.astype("string").str.strip()
    out = s.astype(object)
    out[_missing(s).to_numpy()] = None
    return out


def numbers(values: pd.Series, *, file: str, column: str, rows: np.ndarray, problems: Problems,
            integer: bool = False, lo: float | None = None, hi: float | None = None,
            decimal_comma: bool = False) -> pd.Series:
    """Parse a column of numbers; malformed or out-of-range values are ignored (NaN) and recorded
    with their row and column."""
    s = values.astype("string").str.strip()
    present = ~_missing(s)
    if decimal_comma:
        s = s.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
    parsed = pd.to_numeric(s.where(present), errors="coerce").astype(float)
    bad = present & parsed.isna()
    if integer:
        bad |= present & parsed.notna() & (parsed != np.floor(parsed))
    if bad.any():
        idx = np.flatnonzero(bad.to_numpy())
        problems.ignore(file, rows[idx], column,
                        [f"'{_short(v)}' is not {'a whole number' if integer else 'a number'}"
                         for v in s.to_numpy()[idx]])
    out = parsed.where(~bad)
    if lo is not None or hi is not None:
        off = out.notna() & ((out < (lo if lo is not None else -np.inf))
                             | (out > (hi if hi is not None else np.inf)))
        if off.any():
            idx = np.flatnonzero(off.to_numpy())
            problems.ignore(file, rows[idx], column,
                            [f"{v:g} is outside {lo:g}–{hi:g}" for v in out.to_numpy()[idx]])
            out = out.where(~off)
    return out


def booleans(values: pd.Series, *, file: str, column: str, rows: np.ndarray,
             problems: Problems) -> pd.Series:
    """``true/false``, ``1/0``, ``yes/no`` (any case) → bool; others are ignored and recorded."""
    s = values.astype("string").str.strip().str.lower()
    mapping = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False,
               "t": True, "f": False, "1.0": True, "0.0": False}
    out = s.map(mapping).astype(object)
    bad = s.notna() & ~s.isin(MISSING) & out.isna()
    if bad.any():
        idx = np.flatnonzero(bad.to_numpy())
        problems.ignore(file, rows[idx], column,
                        [f"'{_short(v)}' is not true/false" for v in values.to_numpy()[idx]])
    return out.where(out.notna(), None)


_DATE_RE = r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$"


def release_dates(values: pd.Series, *, file: str, column: str, rows: np.ndarray,
                  problems: Problems) -> tuple[pd.Series, pd.Series]:
    """Release dates ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (also ``YYYY-MM-DDT…`` and Excel's
    ``YYYY/MM/DD``) → (date string as given, year). Others are ignored and recorded."""
    s = clean(values).astype("string").str.replace("/", "-", regex=False).str.slice(0, 10)
    parts = s.str.extract(_DATE_RE)
    ok = parts[0].notna()
    bad = s.notna() & ~ok
    if bad.any():
        idx = np.flatnonzero(bad.to_numpy())
        problems.ignore(file, rows[idx], column,
                        [f"'{_short(v)}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
                         for v in values.to_numpy()[idx]])
    year = pd.to_numeric(parts[0], errors="coerce").astype("Int64")
    year = year.where((year >= 1000) & (year <= 2100))
    date = s.where(ok & year.notna()).astype(object)
    return date.where(date.notna(), None), year


def timestamps(values: pd.Series, *, file: str, column: str, rows: np.ndarray,
               problems: Problems) -> pd.Series:
    """ISO times (``2021-03-04T10:20:30Z``, ``2021-03-04 10:20``, dates) → UTC timestamps."""
    s = clean(values)
    parsed = pd.to_datetime(s, utc=True, errors="coerce", format="ISO8601")
    bad = s.notna() & parsed.isna()
    if bad.any():
        retry = pd.to_datetime(s.where(bad), utc=True, errors="coerce", format="mixed")
        parsed = parsed.where(~bad, retry)
        bad = s.notna() & parsed.isna()
    if bad.any():
        idx = np.flatnonzero(bad.to_numpy())
        problems.ignore(file, rows[idx], column,
                        [f"'{_short(v)}' is not a date and time" for v in s.to_numpy()[idx]])
    return parsed


def _short(value: object, width: int = 40) -> str:
    text = str(value)
    return text if len(text) <= width else text[:width - 1] + "…"


FEATURE_RANGES: dict[str, tuple[float, float]] = {
    "danceability": (0, 1), "energy": (0, 1), "speechiness": (0, 1), "acousticness": (0, 1),
    "instrumentalness": (0, 1), "liveness": (0, 1), "valence": (0, 1), "tempo": (0, 300),
    "loudness": (-100, 10), "key": (-1, 11), "mode": (0, 1), "time_signature": (0, 7),
}
INTEGER_FEATURES = ("key", "mode", "time_signature")


def feature_columns(frame: pd.DataFrame, columns: dict[str, str], *, file: str, rows: np.ndarray,
                    problems: Problems, decimal_comma: bool = False) -> dict[str, pd.Series]:
    """Audio features from the columns named in ``columns`` (feature → header name), checked
    against Spotify's ranges (docs/audio-features.md); others are ignored and recorded."""
    out = {}
    for feature, (lo, hi) in FEATURE_RANGES.items():
        if feature in columns:
            out[feature] = numbers(frame[columns[feature]], file=file, column=columns[feature],
                                   rows=rows, problems=problems, lo=lo, hi=hi,
                                   integer=feature in INTEGER_FEATURES,
                                   decimal_comma=decimal_comma)
    return out


# -- ids -----------------------------------------------------------------------------------------
def spotify_ids(values: pd.Series, kind: str) -> pd.Series:
    """The 22-character Spotify id in each value (``spotify:<kind>:ID``, an open.spotify.com link
    or a bare id), else None."""
    pattern = (rf"^\s*(?:spotify:{kind}:|https?://open\.spotify\.com/(?:intl-[\w-]+/)?{kind}/)?"
               r"([0-9A-Za-z]{22})(?:\?.*)?\s*$")
    out = values.astype("string").str.extract(pattern, expand=False).astype(object)
    return out.where(out.notna(), None)


def normalise_names(values: pd.Series) -> pd.Series:
    """Names for matching: NFKC, lower-cased, whitespace collapsed ("" when missing)."""
    arr = pc.fill_null(pa.array(values.astype("string"), type=pa.large_string()), "")
    arr = pc.utf8_trim_whitespace(pc.replace_substring_regex(
        pc.utf8_lower(pc.utf8_normalize(arr, form="NFKC")), pattern=r"\s+", replacement=" "))
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=values.index, dtype=object)


def name_key(*parts: pd.Series) -> pd.Series:
    """One matching key per row from several name columns (e.g. track and primary artist)."""
    keys = normalise_names(parts[0])
    for part in parts[1:]:
        keys = keys + "\x1f" + normalise_names(part)
    return keys


def name_ids(keys: pd.Series) -> pd.Series:
    """Stable ids made from matching keys: ``name:`` + 20 hex digits of SHA-1."""
    unique = pd.unique(keys.to_numpy())
    table = {k: NAME_ID_PREFIX + hashlib.sha1(str(k).encode("utf-8")).hexdigest()[:20]
             for k in unique}
    return keys.map(table).astype(object)


def name_id(*parts: str) -> str:
    """The stable id of one set of names (same as :func:`name_ids` of :func:`name_key`)."""
    key = name_key(*[pd.Series([p]) for p in parts]).iloc[0]
    return NAME_ID_PREFIX + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def _text_array(values: pd.Series) -> pa.Array:
    return pa.array(values.astype("string"), type=pa.large_string())


def split_escaped(values: pd.Series, sep: str = ",", *,
                  id_kind: str | None = None) -> list[list | None]:
    """Split Exportify's comma-joined lists where a literal comma inside a name is ``\\,``.

    With ``id_kind`` (``artist``…) each item becomes the Spotify id it holds (None when it holds
    none) and a list without any id becomes None.
    """
    arr = _text_array(values)
    lists = pc.split_pattern(arr, sep)
    flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    if id_kind:
        flat = pc.struct_field(pc.extract_regex(flat, _id_pattern(id_kind)), [0])
    rebuilt = pa.LargeListArray.from_arrays(lists.offsets, flat, mask=lists.is_null())
    out = rebuilt.to_pylist()
    escaped = pc.fill_null(pc.match_substring(arr, "\\"), False).to_numpy(zero_copy_only=False)
    splitter = re.compile(r"(?<!\\)" + re.escape(sep))
    for i in np.flatnonzero(escaped):
        out[i] = [p.replace("\\" + sep, sep).strip() for p in splitter.split(arr[i].as_py())]
        if id_kind:
            out[i] = [m.group(1) if (m := re.match(_id_pattern(id_kind), p)) else None
                      for p in out[i]]
    for i, items in enumerate(out):
        if items is not None and (None in items or "" in items):
            items = [p for p in items if p] if not id_kind else items
            out[i] = items if items and any(items) else None
        elif items is not None and not items:
            out[i] = None
    return out


def _id_pattern(kind: str) -> str:
    return (rf"^(?:spotify:{kind}:|https?://open\.spotify\.com/(?:intl-[\w-]+/)?{kind}/)?"
            r"(?P<id>[0-9A-Za-z]{22})(?:\?.*)?$")


def unescape(values: pd.Series, sep: str = ",") -> pd.Series:
    """A single name where ``\\,`` stands for a comma."""
    return values.map(lambda v: v.replace("\\" + sep, sep) if isinstance(v, str) else v)
