"""The Compare page's report: two scopes side by side, in the reports' Markdown format.

    # A vs B
    | | A | B |  (tracks, liked, years, artists, albums, with audio features)
    ## How they sound   (distributions chart, then the features that separate them most)
    ## Shared artists / ## Shared albums
    ## Clustered together  (one k-means over both: share of A and of B in each cluster)
"""

from __future__ import annotations

import numpy as np

from lib.analysis import charts
from lib.analysis.compare import Comparison, joint_cluster_chart
from lib.analysis.entities import Summary
from lib.reports import markdown as md
from lib.reports.document import STANDALONE, Doc, Links, Report

_R = "right"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def summary_rows(a: Summary, b: Summary) -> list[tuple[str, str, str]]:
    """(measure, a, b) rows of the side-by-side table (plain text)."""
    return [
        ("Tracks", f"{a.tracks:,}", f"{b.tracks:,}"),
        ("Liked", f"{a.liked:,} ({_share(a.liked, a.tracks)})",
         f"{b.liked:,} ({_share(b.liked, b.tracks)})"),
        ("Released", a.years or "–", b.years or "–"),
        ("Artists", f"{a.artists:,}", f"{b.artists:,}"),
        ("Albums", f"{a.albums:,}", f"{b.albums:,}"),
        ("With audio features", f"{a.with_features:,}", f"{b.with_features:,}"),
        ("Minutes listened", f"{a.score:,.0f}", f"{b.score:,.0f}"),
    ]


def separating_sentences(comparison: Comparison, n: int = 3) -> list[str]:
    """"Kestrel Sound (label) is much more energetic than Liked Songs (d = 1.2)." for the
    features that separate the sides most (|d| ≥ 0.2), largest first."""
    out = []
    for r in comparison.effects.itertuples(index=False):
        if len(out) == n or not np.isfinite(r.d) or abs(r.d) < 0.2:
            break
        out.append(f"{comparison.title_a} is {r.words} than {comparison.title_b} "
                   f"(d = {r.d:+.1f}).")
    return out


def compare_report(comparison: Comparison, *, links: Links = STANDALONE) -> Report:
    """The report of a comparison as the Compare page shows it."""
    c = comparison
    doc = Doc(links)
    title = f"{c.title_a} vs {c.title_b}"
    doc.add(f"# {md.text(title)}")
    doc.add(md.table(["", md.text(c.title_a), md.text(c.title_b)],
                     [[m, x, y] for m, x, y in summary_rows(c.summary_a, c.summary_b)],
                     ["left", _R, _R]))
    if c.overlap:
        doc.add(f"{c.overlap:,} tracks belong to both.")
    doc.add("## How they sound")
    if c.binned.empty or c.binned["share"].sum() == 0:
        doc.add("Neither side has audio features.")
    else:
        doc.chart(f"Audio features of {title}", "compare_features",
                  charts.feature_distribution_chart(c.binned).configure_legend(labelLimit=0))
        sentences = separating_sentences(c)
        doc.add(md.bullet_list(md.text(s) for s in sentences) if sentences else
                "No audio feature separates them much (every |d| < 0.2).")
        rows = [[md.text(r.title), _num(r.mean_a), _num(r.mean_b),
                 f"{r.d:+.2f}" if np.isfinite(r.d) else "", md.text(r.words)]
                for r in c.effects.itertuples(index=False)]
        doc.add(md.table(["Feature", "Mean A", "Mean B", "Cohen's d", "A is …"], rows,
                         ["left", _R, _R, _R, "left"]))
    doc.add("## Shared artists")
    if c.shared_artists.empty:
        doc.add("No artist appears on both sides.")
    else:
        rows = [[doc.page_link("artist", r.name), f"{r.tracks_a:,}", f"{r.tracks_b:,}"]
                for r in c.shared_artists.head(md.ROW_CAP).itertuples(index=False)]
        doc.add(md.truncated_table(["Artist", "Tracks in A", "Tracks in B"], rows,
                                   noun="artists", total=len(c.shared_artists),
                                   align=["left", _R, _R]))
    doc.add("## Shared albums")
    if c.shared_albums.empty:
        doc.add("No album has tracks on both sides.")
    else:
        rows = [[md.text(r.name), doc.page_link("artist", r.artist), f"{r.tracks_a:,}",
                 f"{r.tracks_b:,}"] for r in c.shared_albums.head(md.ROW_CAP)
                .itertuples(index=False)]
        doc.add(md.truncated_table(["Album", "Artist", "Tracks in A", "Tracks in B"], rows,
                                   noun="albums", total=len(c.shared_albums),
                                   align=["left", "left", _R, _R]))
    doc.add("## Clustered together", md.text(c.cluster_note))
    if not c.clusters.empty:
        doc.chart("Share of each side in each joint cluster", "compare_clusters",
                  joint_cluster_chart(c))
        rows = [[f"#{r.number}", md.text(r.name), f"{r.size:,}", f"{r.share_a:.0%}",
                 f"{r.share_b:.0%}"] for r in c.clusters.itertuples(index=False)]
        doc.add(md.table(["Cluster", "Name", "Tracks", "Share of A", "Share of B"], rows,
                         ["left", "left", _R, _R, _R]))
    return doc.build(title, md.slug(title).replace("_", "-"))


def _num(value: float) -> str:
    if not np.isfinite(value):
        return ""
    return f"{value:.0f}" if abs(value) >= 20 else f"{value:.2f}"
