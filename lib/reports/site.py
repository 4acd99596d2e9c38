"""Static export: the whole library as a folder of linked Markdown pages, like the original tool.

Layout (every link between pages is relative, so the folder renders on GitHub or in any Markdown
viewer, wherever it is put)::

    README.md                         overview of the library (links to every page)
    clusters.md                       clusters of the whole library
    labels/<slug>/README.md           one page per label with ≥ min_tracks tracks
    labels/<slug>/clusters.md         its clusters
    labels/<slug>/images/*.png        its charts
    artists/…, playlists/…, genres/…  the same for artists, playlists and genres
    images/*.png                      overview charts
    images/art/*.png                  album art given as data URIs, shared by all pages

:func:`export_site` writes into a temporary folder next to the target and swaps it in at the end,
so re-running replaces the previous export cleanly and a failed run leaves it untouched. It refuses
to replace a non-empty folder that is not a labelscope export. Pages are built per entity (its
clusters page, then its page) in ``jobs`` worker processes; rendering charts to PNG dominates.
"""

from __future__ import annotations

import multiprocessing
import os
import posixpath
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from lib.analysis.similarity import (SIMILAR_KINDS, SoundIndex, label_stats, loved_labels,
                                     overlooked_labels, sound_index, sounds_like)
from lib.reports import markdown as md
from lib.clusters.kmeans import ClusteringError, cluster_view
from lib.analysis.entities import LibraryBasis, build_entity_page, library_basis
from lib.clusters.features import DEFAULT_PRESET, PRESETS, FeatureError, build_matrix
from lib.store.library import Library
from lib.reports.document import Links, Report
from lib.reports.clusters import clusters_report
from lib.reports.pages import entity_report, overview_report
from lib.store.kinds import KINDS
from lib.store.scopes import NAMED_KINDS, Scope, ScopeError, scope_tracks

MARKER = ".labelscope-export"
KIND_DIRS = {key: kind.plural for key, kind in KINDS.items()}  # folder of each kind's pages
DEFAULT_MIN_TRACKS = 10


class ExportError(ValueError):
    """The export cannot run as asked (bad folder, unknown scope…); the message says why."""


@dataclass(frozen=True)
class ExportOptions:
    """What to export: every page with at least ``min_tracks`` tracks, or just ``scope``;
    clusters with ``k`` (a number or "auto") on ``features``."""

    out: Path
    min_tracks: int = DEFAULT_MIN_TRACKS
    k: int | str = "auto"
    features: tuple[str, ...] = PRESETS[DEFAULT_PRESET].features
    scope: Scope | None = None


@dataclass
class ExportSummary:
    out: Path
    pages: int = 0
    images: int = 0
    seconds: float = 0.0
    start_page: str | None = None  # the overview, or the exported scope's page
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (page, reason)


@dataclass(frozen=True)
class SitePage:
    """One page of the site: an entity page ("" sub) or a clusters page ("clusters")."""

    kind: str  # library | liked | label | artist | playlist | genre
    name: str
    sub: str  # "" or "clusters"
    path: str  # relative to the site root, "/"-separated

    @property
    def scope(self) -> Scope:
        return Scope(self.kind, self.name or None)


def entity_names(library: Library, kind: str) -> pd.DataFrame:
    """Names and track counts of one kind of entity, biggest first (name breaks ties)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ExportError(f"Unknown page kind '{kind}'.")
    frame = spec.rows(library).groupby(spec.name_column, as_index=False)["tracks"].sum() \
        .rename(columns={spec.name_column: "name"})
    return frame.sort_values(["tracks", "name"], ascending=[False, True], ignore_index=True)


def plan_site(library: Library, min_tracks: int = DEFAULT_MIN_TRACKS,
              scope: Scope | None = None) -> list[SitePage]:
    """Every page of the export, overview first. Slugs are unique within a kind."""
    pages: list[SitePage] = []
    if scope is None or scope.kind == "library":
        pages.append(SitePage("library", "", "", "README.md"))
        pages.append(SitePage("library", "", "clusters", "clusters.md"))
    if scope is not None and scope.kind == "liked":
        pages.append(SitePage("liked", "", "clusters", "liked/clusters.md"))
    for kind, folder in KIND_DIRS.items():
        if scope is not None and scope.kind != kind:
            continue
        names = entity_names(library, kind)
        if scope is not None:
            names = names[names["name"] == scope.name]
            if names.empty:
                raise ExportError(f"No {kind} called '{scope.name}' in this library.")
        else:
            names = names[names["tracks"] >= min_tracks]
        used: set[str] = set()
        for name in names["name"]:
            base = md.slug(name)
            slug, n = base, 2
            while slug in used:
                slug, n = f"{base}_{n}", n + 1
            used.add(slug)
            pages.append(SitePage(kind, name, "", f"{folder}/{slug}/README.md"))
            pages.append(SitePage(kind, name, "clusters", f"{folder}/{slug}/clusters.md"))
    return pages


@dataclass
class _TaskResult:
    """What building one group of pages produced: files by site path, pages written, pages left
    out (with the reason), and the pages of the group (for progress)."""

    files: dict[str, bytes]
    written: int
    skipped: list[tuple[str, str]]
    pages: tuple[SitePage, ...]


class _Collect:
    """A FileSink that keeps files in memory. ``shared`` remembers album art already produced
    in this process, so it is rendered once per process."""

    def __init__(self, shared: set[str]) -> None:
        self.files: dict[str, bytes] = {}
        self.shared = shared

    def has(self, path: str) -> bool:
        return path in self.files or path in self.shared

    def put(self, path: str, data: bytes) -> None:
        self.files[path] = data
        if path.startswith("images/art/"):
            self.shared.add(path)


class _Builder:
    """Builds groups of pages of one export (in this process or in a worker process)."""

    def __init__(self, library: Library, options: ExportOptions,
                 paths: dict[tuple[str, str, str], str]) -> None:
        self.lib = library
        self.options = options
        self.paths = paths
        self.art: set[str] = set()
        self._basis: LibraryBasis | None = None
        self._sound: dict[str, SoundIndex] = {}

    def basis(self) -> LibraryBasis:
        """What every entity page compares against, computed once per process."""
        if self._basis is None:
            self._basis = library_basis(self.lib)
        return self._basis

    def sound(self, kind: str) -> SoundIndex:
        """The label or artist sound index (lib.analysis.similarity), once per process."""
        if kind not in self._sound:
            self._sound[kind] = sound_index(self.lib, kind)
        return self._sound[kind]

    def links(self, page: SitePage, failed: set[tuple[str, str, str]]) -> Links:
        folder = posixpath.dirname(page.path) or "."

        def link(kind: str, name: str, sub: str) -> str | None:
            key = ("library", "", sub) if kind == "library" else (kind, name, sub)
            target = self.paths.get(key)
            if target is None or key in failed:
                return None
            return posixpath.relpath(target, folder)

        return Links(page=link, art_dir=posixpath.relpath("images/art", folder))

    def run(self, group: tuple[SitePage, ...]) -> _TaskResult:
        """Build and render one group: an entity's clusters page first (its page links to it
        only when it could be built), then the page itself."""
        sink = _Collect(self.art)
        failed: set[tuple[str, str, str]] = set()
        skipped: list[tuple[str, str]] = []
        written = 0
        for page in group:
            try:
                report = self.build(page, failed)
            except (ClusteringError, FeatureError) as exc:
                failed.add((page.kind, page.name, page.sub))
                skipped.append((page.path, str(exc)))
                continue
            report.write(page.path, sink)
            written += 1
        return _TaskResult(sink.files, written, skipped, group)

    def build(self, page: SitePage, failed: set[tuple[str, str, str]]) -> Report:
        library, links = self.lib, self.links(page, failed)
        if page.kind == "library" and page.sub == "":
            stats = label_stats(library)
            loved = loved_labels(stats)
            return overview_report(library, links=links, loved=(
                loved, overlooked_labels(self.sound("label"), stats, loved)))
        scope = page.scope
        tracks = scope_tracks(library, scope)
        if page.sub == "clusters":
            matrix = build_matrix(tracks, self.options.features)
            view = cluster_view(tracks, matrix, self.options.k, heatmap=scope.kind != "label")
            return clusters_report(scope, tracks, view, links=links)
        entity = build_entity_page(library, page.kind, page.name, basis=self.basis())
        alike = sounds_like(self.sound(page.kind), page.name) \
            if page.kind in SIMILAR_KINDS else None
        return entity_report(entity, links=links, sounds_like=alike)


def _groups(pages: list[SitePage]) -> list[tuple[SitePage, ...]]:
    """Pages grouped per entity (clusters page first), in plan order."""
    groups: dict[tuple[str, str], list[SitePage]] = {}
    for page in pages:
        groups.setdefault((page.kind, page.name), []).append(page)
    return [tuple(sorted(g, key=lambda p: p.sub != "clusters")) for g in groups.values()]


_WORKER: _Builder | None = None


def _init_worker(library: Library, options: ExportOptions,
                 paths: dict[tuple[str, str, str], str]) -> None:
    global _WORKER
    _WORKER = _Builder(library, options, paths)


def _run_in_worker(group: tuple[SitePage, ...]) -> _TaskResult:
    assert _WORKER is not None
    return _WORKER.run(group)


def default_jobs() -> int:
    """Worker processes for an export: the CPUs, at most 4 (rendering charts dominates)."""
    return max(1, min(4, os.cpu_count() or 1))


def _results(library: Library, options: ExportOptions, pages: list[SitePage],
             jobs: int) -> Iterator[_TaskResult]:
    paths = {(p.kind, p.name, p.sub): p.path for p in pages}
    groups = _groups(pages)
    if jobs <= 1 or len(groups) < 2:
        builder = _Builder(library, options, paths)
        for group in groups:
            yield builder.run(group)
        return
    # "spawn": fresh interpreters (forking after scikit-learn's OpenMP threads ran can hang).
    context = multiprocessing.get_context("spawn")
    with context.Pool(min(jobs, len(groups)), initializer=_init_worker,
                      initargs=(library, options, paths)) as pool:
        yield from pool.imap_unordered(_run_in_worker, groups)


def export_site(library: Library, options: ExportOptions,
                progress: Callable[[SitePage], None] | None = None,
                on_start: Callable[[int], None] | None = None, *, jobs: int = 1
                ) -> ExportSummary:
    """Write the static site of ``lib`` into ``options.out`` (replacing a previous export).

    ``on_start(total_pages)`` and ``progress(page)`` (after each page) report progress; ``jobs``
    worker processes build and render pages in parallel (the files are the same for any number).
    """
    started = time.perf_counter()
    out = Path(options.out).resolve()
    _check_target(out)
    if options.scope is not None and options.scope.kind in NAMED_KINDS:
        try:
            scope_tracks(library, options.scope)
        except ScopeError as exc:
            raise ExportError(str(exc)) from exc
    pages = plan_site(library, options.min_tracks, options.scope)
    if on_start:
        on_start(len(pages))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    summary = ExportSummary(out=out)
    written: set[str] = set()
    try:
        for result in _results(library, options, pages, jobs):
            for path, data in result.files.items():
                if path in written:
                    continue  # album art shared with a page written before
                target = tmp / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written.add(path)
            summary.pages += result.written
            summary.skipped.extend(result.skipped)
            if progress:
                for page in result.pages:
                    progress(page)
        (tmp / MARKER).write_text("labelscope static export; safe to delete.\n")
        summary.images = sum(1 for p in written if p.endswith(".png"))
        summary.skipped.sort()
        summary.start_page = next((p.path for p in pages if p.path in written), None)
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder.")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ExportError(f"{out} is not empty and is not a labelscope export: choose a new or "
                          f"empty folder (nothing was written).")
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise ExportError(f"Refusing to export into {out}.")


def _swap(tmp: Path, out: Path) -> None:
    """Put ``tmp`` in place of ``out``: the old export is moved aside, then deleted."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / out.name)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
