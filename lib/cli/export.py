"""``python -m lib export --out DIR``: the library as a static Markdown site (see lib.reports.site)."""

from __future__ import annotations

import argparse
import sys

from lib.clusters.kmeans import K_MAX, K_MIN
from lib.demo.generator import DEMO_LIBRARY_ID, ensure_demo
from lib.reports.site import (DEFAULT_MIN_TRACKS, ExportError, ExportOptions, SitePage, default_jobs,
                        export_site)
from lib.clusters.features import (AUDIO_KIND, CATALOG, DEFAULT_PRESET, PRESETS, FeatureError,
                          parse_features)
from lib.store.library import load_library
from lib.store.scopes import SCOPE_KINDS, Scope, ScopeError
from lib.store.db import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write the library as a static Markdown site (pages, clusters, images)",
        description="Write an overview page, a page for every label, artist, playlist and genre "
                    "with at least --min-tracks tracks, a clusters page for each, their charts "
                    "as PNG files and relative links between them. Re-running into the same "
                    "folder replaces the previous export.")
    p.add_argument("--out", required=True, help="folder to write (created or replaced)")
    p.add_argument("--library", default=None,
                   help="library id (default: the imported library if any, else the demo)")
    p.add_argument("--min-tracks", type=int, default=DEFAULT_MIN_TRACKS,
                   help=f"smallest label/artist/playlist/genre that gets a page "
                        f"(default {DEFAULT_MIN_TRACKS})")
    p.add_argument("--k", default="auto",
                   help=f"clusters per page: {K_MIN}–{K_MAX}, 'auto' (best silhouette, default) "
                        f"or 'original' (the original tool's rule)")
    p.add_argument("--features", default=None,
                   help=f"comma-separated features to cluster on, as in the Clusters page URL "
                        f"(default: the '{PRESETS[DEFAULT_PRESET].title}' preset: "
                        f"{','.join(PRESETS[DEFAULT_PRESET].features)})")
    p.add_argument("--scope", default=None,
                   help='export just one scope: label:"Interscope Records", artist:NAME, '
                        "playlist:NAME, genre:NAME, liked or library")
    p.add_argument("--jobs", type=int, default=default_jobs(),
                   help=f"worker processes (default {default_jobs()}: the CPUs, at most 4)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_export)


def parse_scope(text: str | None) -> Scope | None:
    """``label:Interscope Records`` → Scope("label", "Interscope Records"); None for None."""
    if text is None:
        return None
    kind, sep, name = text.partition(":")
    kind = kind.strip().lower()
    if kind not in SCOPE_KINDS:
        raise ScopeError(f"Unknown scope '{text}': write KIND:NAME with KIND one of "
                         f"{', '.join(SCOPE_KINDS)} (e.g. label:\"Interscope Records\").")
    return Scope(kind, name.strip().strip('"').strip() or None)


def parse_k(text: str) -> int | str:
    value = str(text).strip().lower()
    if value in ("auto", "original"):
        return value
    try:
        k = int(value)
    except ValueError:
        raise ExportError(f"--k must be a number from {K_MIN} to {K_MAX}, 'auto' or "
                          f"'original', not '{text}'.") from None
    if not K_MIN <= k <= K_MAX:
        raise ExportError(f"--k must be from {K_MIN} to {K_MAX}, not {k}.")
    return k


def _default_library(store: Store) -> str:
    ids = [info.library_id for info in store.libraries()]
    return "local" if "local" in ids else DEMO_LIBRARY_ID


def _export(args: argparse.Namespace) -> int:
    try:
        options = ExportOptions(
            out=args.out, min_tracks=max(1, args.min_tracks), k=parse_k(args.k),
            features=parse_features(args.features) if args.features else
            PRESETS[DEFAULT_PRESET].features, scope=parse_scope(args.scope))
    except (ExportError, FeatureError, ScopeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    store = Store()
    ensure_demo(store)
    library_id = args.library or _default_library(store)
    if store.version(library_id) < 0:
        print(f"error: no library '{library_id}' in {store.path}", file=sys.stderr)
        return 2
    library = load_library(store, library_id)
    bar = None

    def start(total: int) -> None:
        nonlocal bar
        if not args.quiet:
            from tqdm import tqdm
            bar = tqdm(total=total, unit="page", file=sys.stderr, desc="Exporting",
                       dynamic_ncols=True)

    def step(page: SitePage) -> None:
        if bar is not None:
            bar.set_postfix_str(page.path[-40:], refresh=False)
            bar.update(1)

    try:
        summary = export_site(library, options, progress=step, on_start=start,
                              jobs=max(1, args.jobs))
    except (ExportError, ScopeError, FeatureError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar is not None:
            bar.close()
    print(f"Wrote {summary.pages:,} pages and {summary.images:,} images of '{library_id}' to "
          f"{summary.out} in {summary.seconds:.1f} s.")
    if summary.start_page:
        print(f"Start at {summary.out / summary.start_page}")
    if summary.skipped:
        by_reason: dict[str, list[str]] = {}
        for path, reason in summary.skipped:
            by_reason.setdefault(reason, []).append(path)
        print(f"{len(summary.skipped):,} clusters page(s) left out (their pages do not link "
              f"to them):")
        for reason, paths in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
            example = ", ".join(paths[:3]) + (", …" if len(paths) > 3 else "")
            print(f"  {len(paths):,} × {reason} ({example})")
        audio = any(CATALOG[f].kind == AUDIO_KIND for f in options.features)
        if audio and library.tracks["has_features"].mean() < 0.5:
            metadata = ",".join(PRESETS["metadata"].features)
            print(f"  Most tracks have no audio features: --features {metadata} clusters on what "
                  f"every track has.")
    return 0
