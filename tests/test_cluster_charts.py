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
