"""``python -m lib import FILE... [--replace|--merge|--features-only]``: import files headless.

Reads Exportify CSVs, Spotify privacy-export files or zips, and track data sets (see
:mod:`lib.importers`) into a library of the store at ``$LABELSCOPE_DB`` — ``local`` unless
``--library`` says otherwise — and prints the same summary as the Data page. ``--merge`` (the
default) keeps what the library has and fills its gaps; ``--replace`` makes the library exactly
the files; ``--features-only`` only fills missing audio features of tracks already there;
``--dry-run`` prints the preview and writes nothing.

Exit status: 0 on success, 2 when a file cannot be imported (the message names file, row and
column) or the options make no sense, 1 when the store cannot be written. In every failure the
library is left exactly as it was.
"""

from __future__ import annotations

import argparse
import sys

from lib.importers import (
    DEFAULT_MAX_FILE_BYTES, ImportFileError, import_files, library_identity, preview,
    write_import,
)
from lib.importers.common import MB
from lib.store.db import LOCAL_LIBRARY_ID, Store, StoreBusyError, StoreError

SHOW_PROBLEMS = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="import Exportify CSVs, Spotify privacy-export files/zips or data sets",
        description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="FILE", help="files or zips to import")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--merge", dest="mode", action="store_const", const="merge",
                      help="merge into the library: dedupe by track id, fill gaps (default)")
    mode.add_argument("--replace", dest="mode", action="store_const", const="replace",
                      help="replace the library's contents with the files")
    mode.add_argument("--features-only", dest="mode", action="store_const", const="features",
                      help="only fill missing audio features of tracks already in the library")
    p.add_argument("--library", default=LOCAL_LIBRARY_ID,
                   help=f"library id to write (default: {LOCAL_LIBRARY_ID})")
    p.add_argument("--dry-run", action="store_true", help="print the preview, write nothing")
    p.add_argument("--max-mb", type=float, default=DEFAULT_MAX_FILE_BYTES / MB,
                   help="largest file accepted, in MB (default %(default).0f)")
    p.add_argument("--show-skipped", type=int, default=SHOW_PROBLEMS, metavar="N",
                   help="list the first N skipped rows and ignored values (default %(default)s)")
    p.set_defaults(func=run, mode="merge")


def _progress(fraction: float, text: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{fraction:4.0%} {text[:100]:<100}", end="", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    try:
        result = import_files(args.files, max_file_bytes=int(args.max_mb * MB),
                              progress=_progress)
    except ImportFileError as exc:
        _clear()
        print(f"error: {exc}", file=sys.stderr)
        print("Nothing was written; the library is unchanged.", file=sys.stderr)
        return 2
    _clear()
    for f in result.files:
        extra = f" ({'; '.join(f.notes)})" if f.notes else ""
        enc = f", {f.encoding}" if f.encoding and f.encoding != "UTF-8" else ""
        print(f"  {f.name}: {f.label}{enc}, {f.rows:,} rows{extra}")
    print(result.summary_line())
    for line in result.detail_lines():
        print(f"  {line}")
    problems = result.skipped_frame()
    if len(problems) and args.show_skipped:
        print("Skipped rows and ignored values:")
        for p in problems.head(args.show_skipped).itertuples(index=False):
            where = ", ".join(x for x in (p.File, None if p.Row is None or p.Row != p.Row
                                          else f"row {p.Row}",
                                          p.Column and f"column '{p.Column}'") if x)
            print(f"  {where}: {p.Problem} ({p.Action})")
        more = result.counts["rows_skipped"] + result.counts["values_ignored"] - args.show_skipped
        if more > 0:
            print(f"  … and {more:,} more")
    store = Store()
    name, _ = library_identity(store, args.library)
    plan = preview(result, store, args.library)
    if args.dry_run:
        for line in plan.lines():
            print(line.replace("**", ""))
        print("Dry run: nothing was written.")
        return 0
    try:
        report = write_import(store, args.library, result, args.mode)
    except ValueError as exc:
        print(f"error: {exc}. Nothing was written.", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, StoreBusyError) else 1
    print(report.message(name) + f" Library '{args.library}' in {store.path}.")
    _print_coverage(store, args.library)
    return 0


def _print_coverage(store: Store, library_id: str) -> None:
    from lib.store.library import coverage, load_library
    tracks = load_library(store, library_id).tracks
    if len(tracks):
        shares = coverage(tracks)
        print("Coverage: " + ", ".join(f"{v:.0%} with {k}" for k, v in shares.items()))


def _clear() -> None:
    if sys.stderr.isatty():
        print("\r" + " " * 106 + "\r", end="", file=sys.stderr, flush=True)
