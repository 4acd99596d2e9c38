"""Altair charts of a clustering: scatter with centroids, cluster profiles, the k curve, and the
label × cluster heatmap. Each takes the small frames made by :mod:`lib.clusters.kmeans`
(``scatter_frame``, ``centroid_frame``, ``profile_frame``, ``label_cluster_counts``), never a
whole tracks frame.

The scatter declares two selections Streamlit reports back (``st.altair_chart(...,
on_select="rerun")``): ``LEGEND_SELECTION`` (click legend entries: ``[{"cluster": …}]``) and
``BRUSH_SELECTION`` (drag a rectangle: ``{"x": [lo, hi], "y": [lo, hi]}``).
"""

from __future__ import annotations

from typing import Sequence

import altair as alt
import pandas as pd


LEGEND_SELECTION = "legend"
SCATTER_COLUMNS = ("x", "y", "cluster", "track", "artists", "album", "label")
BRUSH_SELECTION = "brush"
GREY = "#9E9E9E"
# Twenty distinguishable colours, the strongest first (Spotify green leads).
PALETTE: tuple[str, ...] = (
    "#1DB954", "#E91E63", "#3F51B5", "#FF9800", "#00ACC1", "#9C27B0", "#795548", "#F44336",
    "#8BC34A", "#607D8B", "#FFC107", "#2196F3", "#D81B60", "#009688", "#673AB7", "#FF5722",
    "#CDDC39", "#5D4037", "#03A9F4", "#AD1457",
)


def cluster_colors(k: int) -> list[str]:
    """The colour of clusters #1 … #k (the same in every chart of the page)."""
    return [PALETTE[i % len(PALETTE)] for i in range(k)]


def _axis_title(high: str, low: str, explained: float, number: int) -> str:
    """"Direction 1: ← Acoustic · Energetic →" — a principal component named by what it
    measures, in words (its share of the differences, ``explained``, goes in the caption: the
    title must fit along the y axis)."""
    name = f"Direction {number}"
    if not high:
        return f"{name} ({explained:.0%} of the differences)"
    return f"{name}: ← {low}  ·  {high} →"


def scatter_titles(axis_names: Sequence[str], axis_names_low: Sequence[str],
                   explained: Sequence[float]) -> tuple[str, str]:
    """The x and y titles of :func:`cluster_scatter`: the only text of its spec that changes
    with the features (the data aside)."""
    return (_axis_title(axis_names[0], axis_names_low[0], explained[0], 1),
            _axis_title(axis_names[1], axis_names_low[1], explained[1], 2))


def scatter_data(points: pd.DataFrame, centroids: pd.DataFrame
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two frames :func:`cluster_scatter` draws, in the order its spec holds them (the dots,
    then the centroids): the dots' ``SCATTER_COLUMNS`` and both with each cluster's ``number``
    (1…k, the colour order). Same inputs as :func:`cluster_scatter`."""
    # Only what the dots and their tooltip need: each column is sent and evaluated for every
    # dot on every slider move (the features' values are in Profiles).
    order = {name: n for n, name in enumerate(centroids["cluster"], start=1)}
    points = points[list(SCATTER_COLUMNS)]
    return (points.assign(number=points["cluster"].map(order).astype("int8")),
            centroids.assign(number=centroids["cluster"].map(order).astype("int8")))


def cluster_scatter(points: pd.DataFrame, centroids: pd.DataFrame, *,
                    axis_names: Sequence[str], axis_names_low: Sequence[str],
                    explained: Sequence[float], height: int = 460) -> alt.LayerChart:
    """PCA scatter coloured by cluster, centroids as large outlined diamonds labelled "#i".

    ``points`` columns: x, y, cluster, track, artists, album, label (the tooltip; other columns
    are left out of the chart). ``centroids``: x, y, cluster, size.
    """
    # Nothing in the spec depends on k: the colour domain comes from the data, in cluster
    # order ("number"), so a slider move changes only the data and Streamlit swaps it into the
    # chart already drawn instead of compiling a new one (measured in Chromium, bench_browser).
    points, centroids = scatter_data(points, centroids)
    by_number = alt.EncodingSortField(field="number", op="min")
    colour_scale = alt.Scale(range=list(PALETTE))
    legend_sel = alt.selection_point(name=LEGEND_SELECTION, fields=["cluster"], bind="legend")
    brush = alt.selection_interval(name=BRUSH_SELECTION, encodings=["x", "y"])
    x_title, y_title = scatter_titles(axis_names, axis_names_low, explained)
    x = alt.X("x:Q", title=x_title,
              axis=alt.Axis(labels=False, ticks=False, grid=True, titleFontSize=12))
    y = alt.Y("y:Q", title=y_title,
              axis=alt.Axis(labels=False, ticks=False, grid=True, titleFontSize=12))
    # An object literal, not Vega-Lite's tooltip channel: that shows a missing album or label
    # as "null".
    tooltip = alt.ExprRef("{'Track': datum.track, 'Artists': datum.artists, "
                          "'Album': datum.album || '–', 'Label': datum.label || '–', "
                          "'Cluster': datum.cluster}")
    # Per dot, Vega evaluates every encoding through its CSP-safe interpreter on each draw.
    # aria=False drops the ARIA description (a string of all eight fields, formatted: used only
    # by the SVG renderer) and invalid=None the filter of missing x/y (PCA coordinates are never
    # missing): measured in Chromium, the chart's part of a slider move fell from ~100 to ~65 ms.
    dots = alt.Chart(points).mark_circle(size=28, aria=False, invalid=None,
                                         tooltip=tooltip).encode(
        x=x, y=y,
        color=alt.Color("cluster:N", scale=colour_scale, sort=by_number,
                        legend=alt.Legend(title="Cluster (click to filter)", orient="bottom",
                                          direction="vertical", labelLimit=260,
                                          symbolLimit=len(PALETTE))),
        opacity=alt.condition(legend_sel, alt.value(0.75), alt.value(0.06)),
    ).add_params(legend_sel, brush)
    centre = alt.Chart(centroids).encode(x="x:Q", y="y:Q")
    marks = centre.mark_point(shape="diamond", size=420, filled=True, stroke="white",
                              strokeWidth=2, opacity=1).encode(
        color=alt.Color("cluster:N", scale=colour_scale, sort=by_number, legend=None),
        tooltip=[alt.Tooltip("cluster:N", title="Centroid of"),
                 alt.Tooltip("size:Q", title="Tracks", format=",")])
    labels = centre.mark_text(dy=-18, fontWeight="bold", fontSize=13, color="#212121").encode(
        text=alt.Text("tag:N"))
    labels = labels.transform_calculate(tag="'#' + datum.number")
    # Canvas: measured in Chromium at 300k tracks, redrawing a 5,000-point scatter as SVG made
    # ~39,000 DOM changes and 0.3–0.6 s of every slider move (bench/bench_browser.py). The
    # cluster names and sizes are also in the page as text (the sections below the chart).
    # Legend below the plot so the plot keeps the container's width on a phone; "fit-x" so the
    # height is the plot's own (a "fit" would squeeze the plot to make room for the legend).
    return alt.layer(dots, marks, labels).properties(
        height=height, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        usermeta={"embedOptions": {"renderer": "canvas"}})


def profile_chart(profile: pd.DataFrame, color: str, *, title: str | None = None) -> alt.LayerChart:
    """One cluster's centroid (dot) against the scope mean (grey tick) per feature.

    ``profile``: the rows of :func:`lib.clusters.kmeans.profile_frame` for one cluster. Positions are
    0–1 (0–1 features as they are; others over the scope's mean ± 2 standard deviations).
    """
    order = profile["title"].tolist()
    # Rounded in Python and + 0.0 so -0.04 shows as "+0.0", never "−0.0".
    profile = profile.assign(z=profile["z"].round(1) + 0.0)
    base = alt.Chart(profile).encode(
        y=alt.Y("title:N", sort=order, title=None, axis=alt.Axis(labelLimit=160)),
        tooltip=[alt.Tooltip("title:N", title="Feature"),
                 alt.Tooltip("cluster_value:Q", title="Cluster mean", format=".3~f"),
                 alt.Tooltip("scope_value:Q", title="Scope mean", format=".3~f"),
                 alt.Tooltip("z:Q", title="Difference (× the usual spread)", format="+.1f")],
    )
    x = alt.X("scope_pos:Q", scale=alt.Scale(domain=[0, 1]), title="low ← → high",
              axis=alt.Axis(labels=False, ticks=False, values=[0, 0.5, 1]))
    rule = base.mark_rule(color=GREY, strokeWidth=2).encode(x=x, x2="cluster_pos:Q")
    tick = base.mark_tick(color="#616161", thickness=2, size=14).encode(x=x)
    dot = base.mark_circle(size=110, color=color, opacity=1).encode(x="cluster_pos:Q")
    chart = alt.layer(rule, tick, dot).properties(
        height=max(90, 24 * len(profile)),
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    if title:
        chart = chart.properties(title=title)
    return chart


def _cluster_columns(order: list[str], k: int, *, orient: str) -> alt.X:
    """One column per cluster ("#1 Energetic, Loud" in ``order``), names wrapped onto short lines.
    Cells under 64 px (a phone at k = 10) show the number only; the tooltip and the cluster list
    name it."""
    return alt.X("cluster:N", sort=order, title=None,
                 axis=alt.Axis(orient=orient, labelAngle=0, labelLimit=0, labelFontSize=10,
                               labelExpr=f"width / {max(k, 1)} < 64 ? split(datum.label, ' ')[0]"
                                         " : split(replace(datum.label, ' · ', ', '), ', ')",
                               labelPadding=6, labelOverlap=False))


def profiles_heatmap(profiles: pd.DataFrame, cluster_names: Sequence[str]) -> alt.LayerChart:
    """Every cluster's profile in one chart: features (rows) × clusters (columns), colour and
    number = how far the cluster's mean is from the scope's, in standard deviations (green
    higher, purple lower); the tooltip gives both means and the difference in words.

    ``profiles``: :func:`lib.clusters.kmeans.profile_frame`; ``cluster_names``: "#1 Energetic, …"
    per cluster. One chart instead of one per cluster: fewer elements for the browser to redraw
    on every slider move. Fits the container's width like :func:`label_heatmap`."""
    from lib.clusters.features import describe_difference

    k = len(cluster_names)
    rows = profiles.assign(
        cluster=[cluster_names[n - 1] for n in profiles["cluster"]],
        z=profiles["z"].round(1) + 0.0,  # + 0.0: never "−0.0"
        words=[describe_difference(z) for z in profiles["z"]])
    # One-hot categories (a genre, a label) are kept per cluster: every row a cluster has.
    order = list(dict.fromkeys(rows["title"]))
    base = alt.Chart(rows).encode(
        x=_cluster_columns(list(cluster_names), k, orient="bottom"),
        y=alt.Y("title:N", sort=order, title=None, axis=alt.Axis(labelLimit=150)),
        tooltip=[alt.Tooltip("cluster:N", title="Cluster"), alt.Tooltip("title:N", title="Feature"),
                 alt.Tooltip("cluster_value:Q", title="Cluster mean", format=".3~f"),
                 alt.Tooltip("scope_value:Q", title="Scope mean", format=".3~f"),
                 alt.Tooltip("words:N", title="Difference")])
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("z:Q", title="Difference (× the usual spread)",
                        scale=alt.Scale(scheme="purplegreen", domain=[-2, 2], clamp=True),
                        legend=alt.Legend(orient="bottom", gradientLength=160, titleLimit=0)))
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("z:Q", format="+.1f"),
        color=alt.condition("abs(datum.z) > 1.2", alt.value("white"), alt.value("#212121")))
    return alt.layer(rect, text).properties(
        height=26 * len(order), width="container",
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def k_curve_chart(curve: pd.DataFrame, chosen_k: int, *, height: int = 220) -> alt.VConcatChart:
    """Two panels over the same k axis, the chosen k marked in both: the separation score
    (silhouette, higher is better) on top, the spread within clusters (inertia, always falling)
    below. Separate panels, not two y-scales on one plot, so the lines are not read as one."""
    tip = [alt.Tooltip("k:O", title="Clusters"),
           alt.Tooltip("silhouette:Q", title="Separation score", format=".3f"),
           alt.Tooltip("inertia:Q", title="Spread within clusters", format=",.0f")]
    chosen = pd.DataFrame({"k": [chosen_k], "text": [f"k = {chosen_k}"]})

    def panel(field: str, title: str, color: str, panel_height: int, x_title: str | None,
              *extra: alt.Chart):
        x = alt.X("k:O", title=x_title, axis=alt.Axis(labelAngle=0))
        line = alt.Chart(curve).mark_line(color=color, point=alt.OverlayMarkDef(color=color),
                                          strokeWidth=3).encode(
            x=x, y=alt.Y(f"{field}:Q", title=None, scale=alt.Scale(zero=False),
                         axis=alt.Axis(format="~s" if field == "inertia" else ".2f")),
            tooltip=tip)
        rule = alt.Chart(chosen).mark_rule(color="#212121", strokeDash=[2, 2]).encode(x=x)
        return alt.layer(line, rule, *extra).properties(
            height=panel_height, width="container",
            title=alt.Title(title, anchor="start", fontSize=13, fontWeight="normal"))

    text = alt.Chart(chosen).mark_text(align="left", dx=4, dy=-4, fontWeight="bold").encode(
        x="k:O", y=alt.value(10), text="text:N")
    top = panel("silhouette", "Separation score (silhouette): higher = clusters better apart",
                PALETTE[0], int(height * 0.6), None, text)
    bottom = panel("inertia", "Spread within clusters (inertia): always falls; look for the bend",
                   GREY, int(height * 0.4), "k (number of clusters)")
    return alt.vconcat(top, bottom, spacing=14).properties(
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def label_heatmap(counts: pd.DataFrame, k: int) -> alt.LayerChart:
    """Labels (rows, biggest first) × clusters: colour = share of the label's tracks in the
    cluster, number = tracks.

    The chart fits the container's width (``width="container"``, autosize "fit-x"): cells shrink
    with k and the window, cluster names wrap onto short lines, and the legend sits below, so the
    grid never runs past its box from 400 to 1920 px."""
    label_order = (counts.groupby("label", sort=False)["tracks"].sum()
                   .sort_values(ascending=False, kind="stable").index.tolist())
    cluster_order = (counts.drop_duplicates("number").sort_values("number")["cluster"].tolist())
    base = alt.Chart(counts).encode(
        x=_cluster_columns(cluster_order, k, orient="bottom"),
        y=alt.Y("label:N", sort=label_order, title=None, axis=alt.Axis(labelLimit=130)),
        tooltip=[alt.Tooltip("label:N", title="Label"), alt.Tooltip("cluster:N", title="Cluster"),
                 alt.Tooltip("tracks:Q", title="Tracks", format=","),
                 alt.Tooltip("share_of_label:Q", title="Share of the label", format=".0%"),
                 alt.Tooltip("share_of_cluster:Q", title="Share of the cluster", format=".1%")],
    )
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("share_of_label:Q", title="Share of label",
                        scale=alt.Scale(scheme="greens", domain=[0, 1]),
                        legend=alt.Legend(format="%", orient="bottom", gradientLength=160)))
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("tracks:Q", format=","),
        color=alt.condition("datum.share_of_label > 0.55", alt.value("white"),
                            alt.value("#212121")))
    n_labels = len(label_order)
    # "fit-x" inside the container: labels and legend count toward the width, height is per row.
    return alt.layer(rect, text).properties(
        height=26 * n_labels, width="container",
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


VIEW_CHARTS = ("scatter", "heatmap", "curve", "profiles")


def view_chart(view, name: str) -> alt.TopLevelMixin | None:
    """One chart of a :class:`lib.clusters.kmeans.ClusterView` by name (one of ``VIEW_CHARTS``, or
    "profile:<i>" for cluster i's profile), or None when the view has no such chart: "heatmap"
    needs the view's label counts, "curve" a k chosen automatically."""
    result = view.result
    if name == "scatter":
        return cluster_scatter(view.points, view.centroid_points, axis_names=result.axis_names,
                               axis_names_low=result.axis_names_low, explained=result.explained)
    if name == "heatmap":
        return None if view.heatmap.empty else label_heatmap(view.heatmap, result.k)
    if name == "curve":
        curve = result.k_curve
        return None if curve is None or curve.empty else k_curve_chart(curve, result.k)
    if name == "profiles":
        return profiles_heatmap(view.profiles, [result.cluster_label(i) for i in range(result.k)])
    if name.startswith("profile:") and name[8:].isdigit() and int(name[8:]) < result.k:
        i = int(name[8:])
        info = result.clusters[i]
        return profile_chart(view.profiles[view.profiles["cluster"] == info.number],
                             cluster_colors(result.k)[i])
    raise ValueError(f"no chart named {name!r}")


def view_charts(view, *, per_cluster: bool = True) -> dict[str, alt.TopLevelMixin]:
    """Every chart of a :class:`lib.clusters.kmeans.ClusterView` (:func:`view_chart`), by name:
    "scatter", "heatmap" (when the view has one), "curve" (when k was chosen automatically),
    "profiles" (all clusters in one chart) and, when ``per_cluster`` (the reports), "profile:<i>"
    per cluster."""
    names = [*VIEW_CHARTS, *(f"profile:{i}" for i in range(view.result.k) if per_cluster)]
    charts = {name: view_chart(view, name) for name in names}
    return {name: chart for name, chart in charts.items() if chart is not None}
