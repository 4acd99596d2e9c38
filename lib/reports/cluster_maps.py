"""The report of a saved cluster map (lib.clusters.maps), whole or one cluster:

    # Cluster map: {name}
    kept {date} from {scope} · k, features, scaling · tracks now, new since, left since
    | Cluster | Name | Tracks now | New | When kept |
    ## Cluster #i
    N tracks · M new since the map was kept
    | Art | Track | Album | Artists | Label | Score | 💚 | 🔗 |   (kept tracks first, then new)
"""

from __future__ import annotations

from lib.clusters.features import CATALOG
from lib.clusters.maps import MapView
from lib.reports import markdown as md
from lib.reports.document import STANDALONE, Doc, Links, Report, count_line, track_table
from lib.store.library import Library

_R = "right"


def map_report(view: MapView, library: Library, *, cluster: int | None = None,
               links: Links = STANDALONE) -> Report:
    """The map as its page shows it; ``cluster`` (0-based) limits it to one cluster."""
    saved = view.saved
    d = saved.definition
    doc = Doc(links)
    title = f"Cluster map: {saved.name}" + (
        f" · Cluster #{cluster + 1}" if cluster is not None else "")
    doc.add(f"# {md.text(title)}")
    feats = ", ".join(CATALOG[f].title for f in d["features"] if f in CATALOG)
    doc.add(md.bullet_list([
        f"**Kept** {saved.created_at:%Y-%m-%d %H:%M} UTC from {md.text(saved.scope.title)}",
        f"**k = {d['k']}** on {md.text(feats)} (scaling: {md.text(d['scaling'])}, seed "
        f"{d['seed']})",
        f"**Now**: {int(view.clusters['size'].sum()):,} tracks, {int(view.clusters['new'].sum()):,}"
        f" new since the map was kept (placed in the nearest saved cluster), {view.left:,} left"
        + (f", {view.unplaced:,} without the map's features" if view.unplaced else ""),
    ]))
    if cluster is None:
        rows = [[f"#{r.number}", md.text(r.name), f"{r.size:,}", f"{r.new:,}",
                 f"{r.saved_size:,}"] for r in view.clusters.itertuples(index=False)]
        doc.add(md.table(["Cluster", "Name", "Tracks now", "New", "When kept"], rows,
                         ["left", "left", _R, _R, _R]))
    numbers = range(len(view.clusters)) if cluster is None else [cluster]
    for i in numbers:
        info = view.clusters.iloc[i]
        members = library.tracks.iloc[view.cluster_rows(i)]
        doc.add(f"## Cluster #{int(info['number'])}", count_line(int(info["size"])),
                f"**{md.text(info['name'])}**"
                + (f" · {int(info['new']):,} new since the map was kept (listed last)"
                   if info["new"] else ""),
                track_table(doc, members))
    return doc.build(title, md.slug(title).replace("_", "-"))
