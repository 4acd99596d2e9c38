"""Readable cluster charts: the k curve in two panels, axis and difference wording."""

from __future__ import annotations

import pandas as pd

from lib.clusters.charts import _axis_title, k_curve_chart
from lib.clusters.features import describe_difference


def test_k_curve_has_one_panel_per_measure_on_a_shared_k_axis() -> None:
    curve = pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.3, 0.2, 0.25],
                          "inertia": [10.0, 8.0, 7.0]})
    spec = k_curve_chart(curve, 4).to_dict()
    panels = spec["vconcat"]
    assert len(panels) == 2
    assert "resolve" not in spec  # no second y-scale laid over the first
    titles = [p["title"]["text"] for p in panels]
    assert titles[0].startswith("Separation score") and titles[1].startswith("Spread within")
    for panel in panels:
        assert panel["layer"][0]["encoding"]["y"]["title"] is None  # the panel title says it


def test_axis_titles_speak_without_statistics_jargon() -> None:
    assert _axis_title("Energetic", "Acoustic", 0.43, 1) == "Direction 1: ← Acoustic  ·  Energetic →"
    assert _axis_title("", "", 0.43, 2) == "Direction 2 (43% of the differences)"


def test_differences_in_words() -> None:
    assert describe_difference(0.1) == "about the same"
    assert describe_difference(0.5) == "↑ a bit higher (0.5× the usual spread)"
    assert describe_difference(-1.0) == "↓ clearly lower (1.0× the usual spread)"
    assert describe_difference(2.2).startswith("↑ much higher")
    assert describe_difference(float("nan")) == ""


def _heatmap_counts(k: int, labels: int = 4) -> pd.DataFrame:
    rows = [{"label": f"Label {j}", "cluster": f"#{i} Energetic, Loud", "number": i,
             "tracks": i + j, "share_of_label": 0.1, "share_of_cluster": 0.1}
            for i in range(1, k + 1) for j in range(labels)]
    return pd.DataFrame(rows)


def test_heatmap_fits_its_container_at_any_k_with_the_legend_below() -> None:
    from lib.clusters.charts import label_heatmap
    for k in (2, 10, 20):
        spec = label_heatmap(_heatmap_counts(k), k).to_dict()
        assert spec["width"] == "container"  # never a fixed width that runs past the box
        assert spec["autosize"]["type"] == "fit-x"
        legend = spec["layer"][0]["encoding"]["color"]["legend"]
        assert legend["orient"] == "bottom"
        # narrow cells show the cluster number only, so names never run into each other
        label_expr = spec["layer"][0]["encoding"]["x"]["axis"]["labelExpr"]
        assert f"width / {k} < 64" in label_expr


def test_scatter_legend_sits_below_the_plot() -> None:
    from lib.clusters.charts import cluster_scatter
    points = pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0], "cluster": ["#1 A", "#2 B"],
                           "track": ["a", "b"], "artists": ["x", "y"], "album": ["p", "q"],
                           "label": ["L", "M"]})
    centroids = pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0], "cluster": ["#1 A", "#2 B"],
                              "size": [1, 1]})
    spec = cluster_scatter(points, centroids, axis_names=["", ""], axis_names_low=["", ""],
                           explained=[0.5, 0.3]).to_dict()
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["orient"] == "bottom" and legend["direction"] == "vertical"


def test_profile_tooltip_never_shows_a_negative_zero() -> None:
    import math
    from lib.clusters.charts import profile_chart
    profile = pd.DataFrame({"title": ["Energy", "Tempo"], "cluster_value": [0.5, 120.0],
                            "scope_value": [0.5, 121.0], "z": [-0.04, -0.3],
                            "scope_pos": [0.5, 0.5], "cluster_pos": [0.5, 0.45]})
    chart = profile_chart(profile, "#123456")
    z = chart.data["z"].tolist()
    assert z == [0.0, -0.3]
    assert math.copysign(1.0, z[0]) == 1.0  # +0.0, so "+.1f" shows "+0.0", not "−0.0"


def test_one_profile_chart_shows_every_cluster_against_the_scope() -> None:
    import math
    from lib.clusters.charts import profiles_heatmap
    names = [f"#{i} Energetic, Loud" for i in range(1, 11)]
    profiles = pd.DataFrame([
        {"cluster": i, "column": f, "title": f.capitalize(), "cluster_value": 0.5,
         "scope_value": 0.4, "z": z, "cluster_pos": 0.5, "scope_pos": 0.4}
        for i in range(1, 11) for f, z in (("energy", -0.04), ("tempo", 1.7), ("valence", -2.5))])
    chart = profiles_heatmap(profiles, names)
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    assert spec["width"] == "container" and spec["autosize"]["type"] == "fit-x"
    assert spec["height"] == 26 * 3  # one row per feature, however many clusters
    x = spec["layer"][0]["encoding"]["x"]
    assert x["sort"] == names and "width / 10 < 64" in x["axis"]["labelExpr"]
    data = chart.data
    assert set(data["cluster"]) == set(names)
    assert math.copysign(1.0, data.loc[data["title"] == "Energy", "z"].iloc[0]) == 1.0  # "+0.0"
    words = dict(zip(data["title"], data["words"]))
    assert words["Tempo"].startswith("↑ much higher") and words["Energy"] == "about the same"
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == [-2, 2] and scale["clamp"] is True  # -2.5 keeps the darkest purple


def test_the_scatter_spec_is_the_same_for_every_k(demo_library) -> None:
    """Only the data changes with k, so Streamlit swaps it into the chart on screen instead of
    compiling a new one (the dataset and view names are positions, not content hashes)."""
    from lib.clusters.charts import SCATTER_COLUMNS, view_charts
    from lib.clusters.features import PRESETS, build_matrix
    from lib.clusters.kmeans import cluster_view
    from ui.charts import chart_spec

    tracks = demo_library.tracks
    matrix = build_matrix(tracks, PRESETS["sound"].features)
    specs = [chart_spec(view_charts(cluster_view(tracks, matrix, k), per_cluster=False)["scatter"])
             for k in (3, 7)]
    data = [spec.pop("datasets") for spec in specs]
    assert specs[0] == specs[1]
    assert list(data[0]) == list(data[1]) == ["data-0", "data-1"]
    assert data[0] != data[1]
    import pyarrow as pa
    points = pa.ipc.open_stream(data[0]["data-0"]).read_all()
    assert points.column_names == [*SCATTER_COLUMNS, "number"]  # nothing the chart does not use


def test_a_scatter_from_its_template_is_the_one_altair_builds(demo_library, monkeypatch) -> None:
    """scatter_spec builds the spec once, then writes in each view's axis titles and converts
    its dots and centroids: for another k, and for other features (other axes), it must return
    exactly what Altair builds."""
    from lib.clusters import charts
    from lib.clusters.charts import view_chart
    from lib.clusters.features import PRESETS, build_matrix
    from lib.clusters.kmeans import cluster_view
    from ui.cache import _scatter_template, scatter_spec
    from ui.charts import chart_spec

    tracks = demo_library.tracks
    sound = build_matrix(tracks, PRESETS["sound"].features)
    views = [cluster_view(tracks, sound, k) for k in (3, 7, "auto")]
    others = [cluster_view(tracks, build_matrix(tracks, PRESETS[p].features), 4)
              for p in ("mood", "metadata")]
    axes = {(v.result.axis_names, v.result.axis_names_low) for v in views + others}
    assert len(axes) == 3  # three pairs of axes
    expected = [chart_spec(view_chart(view, "scatter")) for view in views + others]
    _scatter_template.clear()
    built = []
    scatter = charts.cluster_scatter
    monkeypatch.setattr(charts, "cluster_scatter", lambda *a, **kw: built.append(1) or
                        scatter(*a, **kw))
    assert [scatter_spec(view) for view in views + others] == expected
    assert _scatter_template(views[0]) is not None  # the template is used, not bypassed
    assert len(built) == 1  # Altair built one chart, for the first view


def test_view_chart_by_name(demo_library) -> None:
    import pytest
    from lib.clusters.charts import VIEW_CHARTS, view_chart, view_charts
    from lib.clusters.features import PRESETS, build_matrix
    from lib.clusters.kmeans import cluster_view

    tracks = demo_library.tracks
    view = cluster_view(tracks, build_matrix(tracks, PRESETS["sound"].features), 3)
    assert view_chart(view, "heatmap") is None and view_chart(view, "curve") is None
    assert list(view_charts(view)) == ["scatter", "profiles", "profile:0", "profile:1",
                                       "profile:2"]
    assert set(view_charts(view, per_cluster=False)) <= set(VIEW_CHARTS)
    for name in ("pie", "profile:3", "profile:x"):
        with pytest.raises(ValueError, match="no chart named"):
            view_chart(view, name)
