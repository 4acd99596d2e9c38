"""The feature distributions as one chart per feature, each as wide as its column, so the grid
fits a phone (Home and entity pages); reports keep the fixed-size facet."""

from __future__ import annotations

import pandas as pd

from lib.analysis.charts import feature_distribution_chart, feature_distribution_charts


def _binned(groups: list[str]) -> pd.DataFrame:
    rows = [{"group": g, "feature": f, "bin_start": b / 10, "bin_end": (b + 1) / 10, "share": 0.1}
            for g in groups for f in ("Energy", "Valence", "Tempo", "Danceability")
            for b in range(10)]
    return pd.DataFrame(rows)


def test_one_container_wide_chart_per_feature() -> None:
    grid = feature_distribution_charts(_binned(["Library"]))
    assert [c.to_dict()["title"]["text"] for c in grid] == ["Energy", "Valence", "Tempo",
                                                              "Danceability"]
    for chart in grid:
        spec = chart.to_dict()
        assert spec["width"] == "container"
        assert spec["encoding"]["color"]["legend"] is None  # one group: nothing to tell apart


def test_the_legend_is_on_the_first_chart_only_and_below_it() -> None:
    grid = [c.to_dict() for c in feature_distribution_charts(_binned(["This label", "Library"]))]
    assert grid[0]["encoding"]["color"]["legend"]["orient"] == "bottom"
    assert all(g["encoding"]["color"]["legend"] is None for g in grid[1:])


def test_reports_keep_the_facet() -> None:
    spec = feature_distribution_chart(_binned(["Library"])).to_dict()
    assert spec["columns"] == 3 and spec["spec"]["width"] == 220
