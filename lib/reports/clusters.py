"""The clusters report: the seed page's format plus what the original lacked.

    # Clusters in {scope}
    ![scatter](images/clusters_scatter.png)
    (k, how it was chosen, features, scaling, tracks left out, axes)
    (labels × clusters heatmap, for scopes with several labels)
    ## Cluster #i
    N tracks
    name, share and profile (cluster mean vs scope mean per feature, table and chart)
    | Art | Track | Album | Artists | Label | Score | 💚 | 🔗 |   (the 10 nearest the centre)
    <details><summary>See all N tracks</summary> … the rest, nearest first </details>
"""

from __future__ import annotations

from typing import Mapping

import altair as alt
import pandas as pd

from lib.reports import markdown as md
from lib.clusters.charts import view_charts
from lib.clusters.kmeans import ClusterResult, ClusterView
from lib.clusters.stability import Stability
from lib.clusters.features import AUDIO_KIND, CATALOG, describe_difference
from lib.reports.document import STANDALONE, Doc, Links, Report, count_line, track_table
from lib.store.scopes import Scope

SCATTER_WIDTH = 720
PROFILE_WIDTH = 320


def clusters_report(scope: Scope, tracks: pd.DataFrame, view: ClusterView, *,
                    charts: Mapping[str, alt.TopLevelMixin] | None = None,
                    links: Links = STANDALONE, stability: Stability | None = None) -> Report:
    """The report of a clustering as the Clusters page shows it.

    ``tracks`` is the scope's tracks frame that was clustered, ``view`` the page's
    :class:`~lib.clusters.kmeans.ClusterView`; ``charts`` are its Altair charts
    (:func:`lib.clusters.charts.view_charts`, built here when not given) and become PNG images in
    the zip. ``links`` says where names link to (nothing in a download, pages in the export).
    """
    result = view.result
    charts = view_charts(view) if charts is None else charts
    doc = Doc(links)
    title = f"Clusters in {scope.title}"
    doc.add(f"# Clusters in {md.text(scope.title)}")
    doc.chart(f"Clusters in {scope.title}: {_axes_text(result)}", "clusters_scatter",
              charts.get("scatter"), width=SCATTER_WIDTH)
    doc.add(_back_link(doc, scope), md.bullet_list(_settings(result)))
    doc.chart("Silhouette and inertia by k", "clusters_k_curve", charts.get("curve"),
              width=SCATTER_WIDTH)
    doc.add(_overview_table(result))
    if stability is not None:
        doc.add("### How stable are these clusters?", md.text(stability.summary),
                f"> **Warning:** {md.text(stability.warning)}" if stability.warning else "",
                _stability_table(stability))
    if "heatmap" in charts and view.heatmap["label"].nunique() > 1:
        doc.add("### Labels across clusters",
                "How the biggest labels' tracks spread over the clusters (colour: share of the "
                "label, number: tracks).")
        doc.chart("Labels across clusters", "clusters_labels", charts["heatmap"])
    by_id = tracks.iloc[result.rows].set_index("track_id", drop=False)
    by_id = by_id[~by_id.index.duplicated()]
    for i, cluster in enumerate(result.clusters):
        members = by_id.loc[result.members(i)]
        doc.add(f"## Cluster #{cluster.number}", count_line(cluster.size),
                f"**{md.text(cluster.name)}** · {cluster.share:.0%} of the clustered tracks"
                + (f" · {stability.sentence(cluster.number)}" if stability is not None else ""),
                _profile_table(view.profiles[view.profiles["cluster"] == cluster.number], scope))
        doc.chart(f"Profile of cluster #{cluster.number}: {cluster.name}",
                  f"cluster_{cluster.number}_profile", charts.get(f"profile:{i}"),
                  width=PROFILE_WIDTH)
        doc.add(track_table(doc, members))
    return doc.build(title, md.slug(title).replace("_", "-"))


def _back_link(doc: Doc, scope: Scope) -> str:
    """"Back to [Label](README.md)" in the export; scopes without a page go back to the
    overview."""
    if scope.name:
        url = doc.links.page(scope.kind, scope.name, "")
        return f"Back to {md.link(scope.title, url)}" if url else ""
    url = doc.links.page("library", "", "")
    return f"Back to the {md.link('overview', url)}" if url else ""


def _k_text(result: ClusterResult) -> str:
    if result.k_mode == "auto":
        text = f"**k = {result.k}**, chosen automatically"
        if result.k_reason:
            text += f": {md.text(result.k_reason)}"
        if result.curve_sample and result.curve_sample < result.n_used:
            text += f", measured on a sample of {result.curve_sample:,} tracks"
        return text
    if result.k_mode == "original":
        return (f"**k = {result.k}**, by the original tool's rule (n / 50 clamped to 3–10, "
                f"lowered while the largest cluster is over 10× the smallest)")
    return f"**k = {result.k}**, chosen by the user"


def _settings(result: ClusterResult) -> list[str]:
    feats = ", ".join(md.text(CATALOG[f].title) for f in result.features)
    items = [
        _k_text(result),
        f"**Features**: {feats} (`features={','.join(result.features)}`)",
        f"**Scaling**: {md.text(result.scaling_text)}",
        f"**Tracks**: {result.n_used:,} of {result.n_scope:,} clustered"
        + _dropped_text(result),
        f"**Algorithm**: {result.algorithm_name}, "
        + ", ".join(filter(None, [f"seed {result.seed}", result.fit_text])),
    ]
    if result.unavailable:
        items.append("**Left out** (no track of the scope has them): "
                     + ", ".join(md.text(CATALOG[f].title) for f in result.unavailable))
    axes = _axes_text(result)
    if axes:
        items.append(f"**Scatter axes**: {md.text(axes)}")
    return items


def _dropped_text(result: ClusterResult) -> str:
    if not result.n_dropped:
        return ""
    lacking = [f for f, n in result.missing.items() if n]
    if lacking and all(CATALOG[f].kind == AUDIO_KIND for f in lacking):
        what = "audio features"
    else:
        what = ", ".join(CATALOG[f].title.lower() for f in lacking) or "the chosen features"
    return f"; {result.n_dropped:,} left out for lack of {md.text(what)}"


def _axes_text(result: ClusterResult) -> str:
    parts = []
    for axis, high, low, share in zip(("x", "y"), result.axis_names, result.axis_names_low,
                                      result.explained):
        if high:
            parts.append(f"{axis}: {low} → {high} ({share:.0%} of variance)")
    return "; ".join(parts)


def _overview_table(result: ClusterResult) -> str:
    rows = [[f"#{c.number}", md.text(c.name), f"{c.size:,}", f"{c.share:.0%}"]
            for c in result.clusters]
    return md.table(["Cluster", "Name", "Tracks", "Share"], rows,
                    ["left", "left", "right", "right"])


def _format(column: str, value: float) -> str:
    name = column.split(":", 1)[0]
    feat = CATALOG[name]
    if feat.onehot or name == "explicit":
        return f"{value:.0%}"
    if name == "release_year":
        return f"{value:.0f}"
    if name in ("tempo", "popularity"):
        return f"{value:.0f}"  # the unit is in the feature's title: "Tempo (BPM)"
    if name in ("loudness", "duration"):
        return f"{value:.1f}"
    return f"{value:.2f}"


def _profile_table(profile: pd.DataFrame, scope: Scope) -> str:
    """Cluster mean vs scope mean per feature, with the difference in words (in scope standard
    deviations: :func:`lib.clusters.features.describe_difference`)."""
    if profile.empty:
        return ""
    rows = []
    for column, title, cv, sv, z in profile[["column", "title", "cluster_value", "scope_value",
                                             "z"]].itertuples(index=False, name=None):
        z_text = describe_difference(float(z))
        rows.append([md.text(title), _format(column, cv), _format(column, sv), z_text])
    return md.table(["Feature", "Cluster", md.text(scope.title), "Difference"], rows,
                    ["left", "right", "right", "right"])


def _stability_table(stability: Stability) -> str:
    rows = [[f"#{r.number}", md.text(r.name), f"{r.holds} of {r.refits}", f"{r.jaccard:.2f}",
             md.text(r.words)] for r in stability.clusters.itertuples(index=False)]
    return md.table(["Cluster", "Name", "Holds together", "Mean Jaccard", "Verdict"], rows,
                    ["left", "left", "right", "right", "left"])
