"""Headless jobs behind ``python -m lib``: one module per command.

Each command lives in its own module, which exposes ``register(subparsers)``; registering adds an
argparse sub-command whose ``func(args) -> int`` does the work. :func:`main` runs one.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules that provide commands, in the order --help lists them.
COMMAND_MODULES = [
    "lib.cli.demo",
    "lib.cli.export",
    "lib.cli.sync",
    "lib.cli.imports",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib",
        description="labelscope's headless jobs. The library file is $LABELSCOPE_DB "
                    "(default data/library.duckdb).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from lib.store.db import StoreBusyError
    try:
        return int(args.func(args) or 0)
    except StoreBusyError as exc:  # another process kept the library file past the wait
        print(f"error: {exc}", file=sys.stderr)
        return 2


__all__ = ["COMMAND_MODULES", "build_parser", "main"]
