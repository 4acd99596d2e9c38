"""Altair chart builders. Each takes small, pre-aggregated frames (never a whole tracks frame) so
that what is sent to the browser stays small at any library size."""

from __future__ import annotations

from typing import Sequence

import altair as alt
import pandas as pd

ACCENT = "#1DB954"
FEATURE_RANGES: dict[str, tuple[float, float]] = {
    "danceability": (0, 1), "energy": (0, 1), "speechiness": (0, 1), "acousticness": (0, 1),
    "instrumentalness": (0, 1), "liveness": (0, 1), "valence": (0, 1), "tempo": (50, 220),
    "loudness": (-40, 0), "popularity": (0, 100), "duration_min": (0, 10),
}


def _count_axis(values: pd.Series) -> alt.Axis | object:
    """Whole-number ticks for a count axis (no "0.5 tracks"); other axes keep Vega's default."""
    if pd.api.types.is_integer_dtype(values):
        return alt.Axis(format="d", tickMinStep=1)
    return alt.Undefined


def bar_chart(frame: pd.DataFrame, category: str, value: str, *, title: str | None = None,
              tooltip: Sequence[str] | None = None, select: str | None = None,
              bar_px: int = 24, color: str = ACCENT) -> alt.Chart:
    """Horizontal bars in the frame's row order (largest first) with every category label shown
    (none thinned out), sized so each bar gets ``bar_px`` pixels. With ``select``, clicking a bar
    selects its category (a point selection of that name, for ``st.altair_chart(on_select=…)``)."""
    order = frame[category].astype(str).tolist()
    chart = alt.Chart(frame, title=title or alt.Undefined).mark_bar(
        color=color, cursor="pointer" if select else "default").encode(
        x=alt.X(f"{value}:Q", title=value.replace("_", " ").capitalize(),
                axis=_count_axis(frame[value]) if value in frame else alt.Undefined),
        y=alt.Y(f"{category}:N", sort=order, title=None,
                axis=alt.Axis(labelLimit=240, labelOverlap=False)),
        tooltip=list(tooltip or [category, value]),
    ).properties(height=bar_px * max(len(frame), 1) + 90)
    if select:
        chart = chart.add_params(alt.selection_point(name=select, fields=[category], on="click"))
    return chart


def year_counts(years: pd.Series) -> pd.DataFrame:
    """Tracks per release year, with empty years filled in so gaps show."""
    years = years.dropna().astype(int)
    if years.empty:
        return pd.DataFrame({"year": [], "tracks": []})
    counts = years.value_counts().reindex(range(years.min(), years.max() + 1), fill_value=0)
    return counts.rename_axis("year").reset_index(name="tracks")


def year_chart(counts: pd.DataFrame, *, title: str | None = "Tracks by release year") -> alt.Chart:
    return alt.Chart(counts, title=title or alt.Undefined).mark_bar(color=ACCENT).encode(
        x=alt.X("year:O", title="Release year",
                axis=alt.Axis(labelAngle=-45, values=_decade_ticks(counts))),
        y=alt.Y("tracks:Q", title="Tracks", axis=alt.Axis(format="d", tickMinStep=1)),
        tooltip=["year", "tracks"],
    ).properties(height=240)


def _decade_ticks(counts: pd.DataFrame) -> list[int]:
    if counts.empty:
        return []
    return [int(y) for y in counts["year"] if int(y) % 5 == 0]


def feature_distribution_charts(binned: pd.DataFrame) -> list[alt.Chart]:
    """One area chart per feature (in ``binned`` order), each as wide as its container, for a
    grid of columns that stack on a phone. Colours per group as in
    :func:`feature_distribution_chart`; the legend (when there are several groups) is on the
    first chart only, below it."""
    groups = list(dict.fromkeys(binned["group"]))
    charts = []
    for i, feature in enumerate(dict.fromkeys(binned["feature"])):
        one = _feature_area(binned[binned["feature"] == feature], groups,
                            legend=i == 0 and len(groups) > 1, legend_orient="bottom")
        charts.append(one.properties(width="container", height=120,
                                     title=alt.Title(str(feature), anchor="start", fontSize=13)))
    return charts


def _feature_area(binned: pd.DataFrame, groups: list, *, legend: bool = True,
                  legend_orient: str = "top") -> alt.Chart:
    palette = [ACCENT, "#9E9E9E", "#3F51B5", "#FF9800"][: max(1, len(groups))]
    return alt.Chart(binned).mark_area(opacity=0.45, interpolate="step-after", line=True).encode(
        x=alt.X("bin_start:Q", title=None),
        y=alt.Y("share:Q", title="Share of tracks", axis=alt.Axis(format="%"), stack=None),
        color=alt.Color("group:N", scale=alt.Scale(domain=groups, range=palette),
                        legend=alt.Legend(title=None, orient=legend_orient) if legend else None),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("feature:N"),
                 alt.Tooltip("bin_start:Q", format=".2f", title="from"),
                 alt.Tooltip("bin_end:Q", format=".2f", title="to"),
                 alt.Tooltip("share:Q", format=".1%")],
    )


def feature_distribution_chart(binned: pd.DataFrame, *, columns: int = 3) -> alt.Chart:
    """Small multiples: one area chart per feature, one colour per group (e.g. label vs library).
    Fixed 220 px cells (reports); pages use :func:`feature_distribution_charts`."""
    groups = list(dict.fromkeys(binned["group"]))
    base = _feature_area(binned, groups).properties(width=220, height=120)
    return base.facet(facet=alt.Facet("feature:N", title=None), columns=columns).resolve_scale(
        x="independent", y="independent")
