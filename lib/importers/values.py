"""Reading CSV cells and turning them into values and ids, recording what cannot be read.

- :func:`read_csv` sniffs the delimiter (``,`` ``;`` tab ``|``), reads every cell as text with
  pyarrow's CSV reader and keeps each data row's row number in the file (the header is row 1).
  With ``;`` (European Excel) decimal commas are read as well.
- Value parsers (:func:`numbers`, :func:`booleans`, :func:`release_dates`, :func:`timestamps`,
  :func:`feature_columns`) leave unreadable values empty and record file, row and column.
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
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from lib.importers.common import MB, Decoded, ImportFileError, InputFile, Problems

NAME_ID_PREFIX = "name:"
MISSING = ("", "nan", "none", "null", "n/a", "na")
_MISSING_RE = "|".join(re.escape(m) for m in MISSING)


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
MAX_COLUMNS = 1000  # Exportify writes ~40 columns; a million would take 12 GB to read
MAX_ROW_BYTES = 8 * MB  # pyarrow's block: a longer row cannot be read (and is no track)
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def sniff_delimiter(first_line: str) -> str:
    """The delimiter used most often outside quotes on the header line."""
    if '"' not in first_line:  # no quotes: count without a loop per character
        best = max(_DELIMITERS, key=first_line.count)
        return best if first_line.count(best) else ","
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_line(text: str) -> str:
    """The first non-blank line, found without splitting the whole text. A lone ``\r`` ends a
    line too (old Mac files; the csv module refuses a bare ``\r`` inside an unquoted field)."""
    pos = 0
    while pos < len(text):
        ends = [e for e in (text.find("\n", pos), text.find("\r", pos)) if e >= 0]
        end = min(ends) if ends else len(text)
        line = text[pos:end]
        if line.strip():
            return line
        pos = end + 1
    return ""


def header_of(text: str) -> tuple[list[str], str]:
    """The header row's column names (stripped) and the delimiter."""
    first = _first_line(text)
    delimiter = sniff_delimiter(first)
    cut = -1
    for _ in range(MAX_COLUMNS + 1):  # past the limit, read only enough names to refuse it
        cut = first.find(delimiter, cut + 1)
        if cut < 0:
            break
    if cut >= 0:
        first = first[:cut]
    names = next(csv.reader([first], delimiter=delimiter), [])
    return [n.strip().lstrip("\ufeff").strip() for n in names], delimiter


def read_csv(file: InputFile, decoded: Decoded, problems: Problems) -> CsvTable:
    """Read a CSV (any delimiter, quoted or not, newlines inside quoted cells) as text cells.

    Rows with more or fewer cells than the header are skipped and recorded in ``problems``.
    Raises :class:`ImportFileError` when the header has blank-free duplicates or the file cannot be
    parsed at all (an unclosed quote, for example).
    """
    header, delimiter = header_of(decoded.text)
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(file.name, f"the header has more than {MAX_COLUMNS:,} columns; no "
                                         "track list has that many", row=1)
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
                                        block_size=MAX_ROW_BYTES),
            parse_options=pv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                          escape_char=False, newlines_in_values=True,
                                          ignore_empty_lines=True, invalid_row_handler=on_invalid),
            convert_options=pv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(n)}, strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        message = str(exc)
        if "straddl" in message:  # one row is longer than the reader's block
            raise ImportFileError(
                file.name, f"a row is longer than {MAX_ROW_BYTES // MB} MB (a cell this long "
                           "is not track data; often a quote that is never closed, so the rest "
                           "of the file reads as one cell)",
                row=_long_row(text, delimiter)) from exc
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


class _LongLine(Exception):
    pass


def _long_row(text: str, delimiter: str) -> int | None:
    """The number (header = 1) of the first row holding a cell longer than
    :data:`MAX_ROW_BYTES`, or None when Python's reader finds none. Lines are handed to the
    reader one by one, and a line longer than the limit ends the search, so a 400 MB line is
    never copied."""
    def lines():
        pos = 0
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end + 1
            if end - pos > MAX_ROW_BYTES:
                raise _LongLine
            yield text[pos:end]
            pos = end

    previous = csv.field_size_limit()
    csv.field_size_limit(MAX_ROW_BYTES)
    number = 0
    try:
        for number, _ in enumerate(csv.reader(lines(), delimiter=delimiter), 1):
            pass
    except (csv.Error, _LongLine):
        return number + 1
    finally:
        csv.field_size_limit(previous)
    return None


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
               r"(?P<id>[0-9A-Za-z]{22})(?:\?.*)?\s*$")
    ids = pc.struct_field(pc.extract_regex(_text_array(values), pattern), [0])
    return pd.Series(ids.to_numpy(zero_copy_only=False), index=values.index, dtype=object)


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


@dataclass
class Columns:
    """A CSV table's columns by canonical key (``cols``: key → header name), parsed and checked
    with the functions above; a column the file lacks reads as empty."""

    table: CsvTable
    cols: dict[str, str]
    problems: Problems

    def _empty(self) -> pd.Series:
        return pd.Series([None] * len(self.table.frame), dtype=object)

    def text(self, key: str) -> pd.Series:
        return clean(self.table.frame[self.cols[key]]) if key in self.cols else self._empty()

    def number(self, key: str, **kw: Any) -> pd.Series:
        if key not in self.cols:
            return pd.Series(np.nan, index=self.table.frame.index)
        return numbers(self.table.frame[self.cols[key]], file=self.table.file,
                       column=self.cols[key], rows=self.table.rows, problems=self.problems,
                       decimal_comma=self.table.decimal_comma, **kw)

    def flag(self, key: str) -> pd.Series:
        if key not in self.cols:
            return self._empty()
        return booleans(self.table.frame[self.cols[key]], file=self.table.file,
                        column=self.cols[key], rows=self.table.rows, problems=self.problems)
