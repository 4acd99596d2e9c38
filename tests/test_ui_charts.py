"""ui.charts: chart specs built without Altair's validation, once per builder and arguments."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from lib.analysis import charts
from ui.charts import _cached_spec, cached_spec, chart_spec


@pytest.fixture(autouse=True)
def empty_cache():
    _cached_spec.clear()
    yield
    _cached_spec.clear()


def _counted(calls: list):
    def bars(frame: pd.DataFrame, *, title: str | None = None) -> alt.Chart:
        calls.append(title)
        return charts.bar_chart(frame, "label", "tracks", title=title)
    return bars


def _frame(tracks: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"label": [f"Label {i}" for i in range(len(tracks))], "tracks": tracks})


def test_a_spec_is_built_once_per_builder_and_arguments() -> None:
    calls: list = []
    bars = _counted(calls)
    first = cached_spec(bars, _frame([3, 2]), title="Top")
    assert first == chart_spec(charts.bar_chart(_frame([3, 2]), "label", "tracks", title="Top"))
    assert cached_spec(bars, _frame([3, 2]), title="Top") == first  # an equal frame: no rebuild
    assert calls == ["Top"]
    cached_spec(bars, _frame([3, 1]), title="Top")  # other data
    cached_spec(bars, _frame([3, 2]), title="Other")  # another argument
    assert calls == ["Top", "Top", "Other"]


def test_each_call_gets_its_own_copy() -> None:
    spec = cached_spec(charts.year_chart, pd.DataFrame({"year": [1999, 2000], "tracks": [1, 2]}))
    spec["mark"] = "changed by Streamlit"
    again = cached_spec(charts.year_chart, pd.DataFrame({"year": [1999, 2000], "tracks": [1, 2]}))
    assert again["mark"] != "changed by Streamlit"


def test_a_list_of_charts_gives_a_list_of_specs() -> None:
    two = lambda: [charts.year_chart(pd.DataFrame({"year": [y], "tracks": [1]})) for y in (1, 2)]  # noqa: E731
    specs = cached_spec(two)
    assert isinstance(specs, list) and len(specs) == 2 and specs[0] != specs[1]
