"""What every importer shares: input files, errors and skipped-row records, text decoding.

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

Reading CSVs, parsing values and making ids is :mod:`lib.importers.values`.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, Sequence

import pandas as pd

MB = 1024 * 1024
DEFAULT_MAX_FILE_BYTES = 400 * MB  # one file (or zip member); the 1.2M-songs CSV is ~350 MB
# Everything in one import, zip members uncompressed. Parsing holds about 7-9 times the text
# (measured: 150 MB of CSV peaks at 1.45 GB RSS, 150 MB of history JSON at 1.14 GB).
DEFAULT_MAX_TOTAL_BYTES = 1024 * MB
# Zip bombs: Spotify's JSON and Exportify's CSV compress 5-20 times; a member that inflates more
# than this (from 1 MB up) is not an export. A privacy export holds a few dozen files.
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 2000
_RATIO_FLOOR = MB

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
    """The members of a zip, checked from its directory before anything is inflated: their
    number, sizes and compression ratios. The archive is opened once; each member is read (and
    its size checked again while inflating, since the directory may lie) when it is parsed."""
    data = file.read()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(file.name, f"is not a readable zip archive ({_zip_reason(exc)}); "
                                         "download it again or unzip it and import the "
                                         "files.") from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ImportFileError(file.name, f"holds {len(infos):,} files, more than the "
                                         f"{MAX_ZIP_MEMBERS:,} a music export can have; unzip it "
                                         "and import the music files")
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
        if info.file_size >= _RATIO_FLOOR and \
                info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise ImportFileError(
                name, f"inflates from {human_size(info.compress_size)} to "
                      f"{human_size(info.file_size)} ({info.file_size // max(info.compress_size, 1):,}"
                      f" times), more than the {MAX_ZIP_RATIO} times an export compresses: "
                      "refused as a possible zip bomb")

        def reader(info: zipfile.ZipInfo = info, name: str = name) -> bytes:
            return _read_member(archive, info, name)

        members.append(InputFile(name, info.file_size, reader, in_zip=True))
    if not members:
        raise ImportFileError(file.name, "is an empty zip archive (it holds no files)")
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One member's bytes, never more than its directory entry declares."""
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ImportFileError(name, f"cannot be unpacked ({_zip_reason(exc)}); download the "
                                    "archive again") from exc
    if len(data) != info.file_size:
        raise ImportFileError(name, f"holds {human_size(len(data))} where the zip directory says "
                                    f"{human_size(info.file_size)}: the archive is damaged")
    return data


def _zip_reason(exc: BaseException) -> str:
    """What is wrong with a damaged zip, in words (zipfile's own messages are about seeks and
    headers)."""
    text = str(exc)
    if "negative seek" in text or "Truncated" in text or isinstance(exc, EOFError) or \
            "Bad magic number" in text or "not a zip file" in text.lower():
        return "it is cut off or damaged, e.g. an interrupted download"
    if "compression method" in text:
        return f"it uses a compression method Python cannot read: {text}"
    if "CRC" in text:
        return "a file inside fails its checksum, so the archive is damaged"
    return text


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
