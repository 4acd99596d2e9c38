"""Report benchmark: what a click on "Download report (.md)" / "(.zip)" costs, and a static export.

For each library size it times (median of 3) building the reports of the biggest label (its
entity page and its clusters with the default features and k = auto), the ``.md`` text and the
``.zip`` (charts and album art rendered offline to PNG), and prints their sizes. With
``--export`` it also exports the demo-sized library as a static site (``--min-tracks``).
The buttons themselves cost nothing on an ordinary rerun: the report is built on click.

    python -m bench.bench_reports                    # 3,400 and 30,000 tracks
    python -m bench.bench_reports --sizes 3400 --export --min-tracks 10 --jobs 1 2
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.clusters.kmeans import cluster_view  # noqa: E402
from lib.demo.generator import generate_library  # noqa: E402
from lib.analysis.entities import build_entity_page, library_basis  # noqa: E402
from lib.reports.site import ExportOptions, export_site  # noqa: E402
from lib.clusters.features import DEFAULT_PRESET, PRESETS, build_matrix  # noqa: E402
from lib.store.library import load_library  # noqa: E402
from lib.reports.document import Report  # noqa: E402
from lib.reports.clusters import clusters_report  # noqa: E402
from lib.reports.pages import entity_report  # noqa: E402
from lib.store.scopes import Scope, scope_tracks  # noqa: E402
from lib.store.db import Store  # noqa: E402


def _timed(fn, repeat: int = 3):
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return median(times), value


def _fresh(report: Report) -> Report:
    """A copy without rendered PNGs, so each zip timing renders its images again."""
    return Report(report.title, report.name, report.markdown, dict(report.images))


def run(n_tracks: int) -> tuple[list[tuple[str, float, str]], object]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        store.replace_library("bench", generate_library(n_tracks), name="Bench", kind="demo")
        library = load_library(store, "bench")
        store.close()
    label = library.labels["label"].iloc[0]
    basis = library_basis(library)
    page = build_entity_page(library, "label", label, basis=basis)
    scope = Scope("label", label)
    tracks = scope_tracks(library, scope)
    view = cluster_view(tracks, build_matrix(tracks, PRESETS[DEFAULT_PRESET].features), "auto")
    rows = []
    t, entity = _timed(lambda: entity_report(page))
    rows.append((f"label report ({len(tracks):,} tracks): build", t, f"{len(entity.images)} img"))
    t, text = _timed(entity.to_markdown)
    rows.append(("  .md download", t, f"{len(text.encode()) / 1e3:,.0f} kB"))
    t, data = _timed(lambda: _fresh(entity).to_zip())
    rows.append(("  .zip download (renders PNGs)", t, f"{len(data) / 1e3:,.0f} kB"))
    t, clusters = _timed(lambda: clusters_report(scope, tracks, view))
    rows.append((f"clusters report (k = {view.result.k}): build", t,
                 f"{len(clusters.images)} img"))
    t, text = _timed(clusters.to_markdown)
    rows.append(("  .md download", t, f"{len(text.encode()) / 1e3:,.0f} kB"))
    t, data = _timed(lambda: _fresh(clusters).to_zip())
    rows.append(("  .zip download (renders PNGs)", t, f"{len(data) / 1e3:,.0f} kB"))
    return rows, library


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3400, 30000])
    parser.add_argument("--export", action="store_true",
                        help="also export the first size's library as a static site")
    parser.add_argument("--min-tracks", type=int, default=10)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                        help="worker processes to time the export with")
    args = parser.parse_args()
    print(f"{'tracks':>8}  {'step':<44} {'seconds':>8}  {'size':>10}")
    first = None
    for n in args.sizes:
        rows, library = run(n)
        first = first or library
        for step, seconds, size in rows:
            print(f"{n:>8,}  {step:<44} {seconds:>8.3f}  {size:>10}")
    if args.export and first is not None:
        for jobs in args.jobs:
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "site"
                s = export_site(first, ExportOptions(out=out, min_tracks=args.min_tracks),
                                jobs=jobs)
                size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
                step = f"export --min-tracks {args.min_tracks} --jobs {jobs}: {s.pages} pages"
                print(f"{len(first.tracks):>8,}  {step:<44} {s.seconds:>8.1f}  "
                      f"{size / 1e6:>8.1f} MB")
                print(f"{'':>8}  {f'  {s.images:,} images; per page':<44} "
                      f"{s.seconds / max(s.pages, 1):>8.2f}")


if __name__ == "__main__":
    main()
