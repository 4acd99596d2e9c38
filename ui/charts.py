"""Altair charts as the Vega-Lite specs Streamlit sends, built without Altair's JSON-schema
validation, and one way to draw them.

Altair validates a chart against the Vega-Lite schema every time it is turned into a dict: about
as long as building it (py-spy of a fresh server's Home page at 300k tracks: 370 ms of the first
run's 1.06 s, and again on every rerun). The chart builders in ``lib`` are validated once, by
their unit tests (and tests/test_page_charts.py validates every chart the pages draw); pages skip
it: :func:`altair_chart` draws a chart, :func:`cached_spec` builds a chart's spec once per set of
arguments, for ``st.vega_lite_chart``.
"""

from __future__ import annotations

import streamlit as st


class _Unvalidated:
    """Hands Streamlit's converter an Altair chart whose ``to_dict`` skips Altair's JSON-schema
    validation (most of the build time; the chart builders' unit tests validate them)."""

    def __init__(self, chart) -> None:
        self._chart = chart

    def to_dict(self, **kwargs) -> dict:
        return self._chart.to_dict(validate=False, **kwargs)


def chart_spec(chart) -> dict:
    """An Altair chart as the Vega-Lite dict Streamlit sends (data as Arrow), built once so a
    rerun can hand it to ``st.vega_lite_chart`` without rebuilding or validating it."""
    try:
        from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    except ImportError:  # pragma: no cover - a future Streamlit without the helper
        return chart.to_dict()
    return _stable_names(_convert_altair_to_vega_lite_spec(_Unvalidated(chart)))


def _stable_names(spec: dict) -> dict:
    """Name the datasets and views by position ("data-0", "view_0", …) instead of by a hash of
    their content, so two charts that differ only in their data have the same spec: Streamlit
    then replaces the data of the chart on screen instead of compiling and drawing a new one."""
    names = {old: f"data-{i}" for i, old in enumerate(spec.get("datasets", {}))}

    def collect(node) -> None:  # Altair's view names, e.g. "view_b0517be0def43828_0"
        if isinstance(node, dict):
            name = node.get("name")
            if isinstance(name, str) and name.startswith("view_") and name not in names:
                names[name] = f"view_{len(names)}"
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    def rename(node, key: str | None = None):
        if isinstance(node, dict):
            return {k: rename(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [names.get(v, v) if key == "views" and isinstance(v, str) else rename(v)
                    for v in node]
        return names.get(node, node) if key == "name" and isinstance(node, str) else node

    datasets = spec.pop("datasets", {})
    collect(spec)
    spec = rename(spec)
    if datasets:
        spec["datasets"] = {names[old]: data for old, data in datasets.items()}
    return spec


def arrow_datasets(frames) -> dict[str, bytes] | None:
    """Frames as chart_spec's datasets ("data-0", … as Arrow bytes), or None without the helper."""
    try:
        from streamlit.dataframe_util import convert_anything_to_arrow_bytes
    except ImportError:  # pragma: no cover - a future Streamlit without the helper
        return None
    return {f"data-{i}": convert_anything_to_arrow_bytes(frame) for i, frame in enumerate(frames)}


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_spec(name: str, _build, args: tuple, kwargs: tuple) -> dict | list[dict]:
    built = _build(*args, **dict(kwargs))
    return [chart_spec(c) for c in built] if isinstance(built, list) else chart_spec(built)


def cached_spec(build, *args, **kwargs) -> dict | list[dict]:
    """``chart_spec(build(*args, **kwargs))`` (a list of specs when ``build`` returns a list of
    charts), built once per builder and arguments. Frames are keyed by their content (pass small
    ones: Streamlit hashes only a sample of a big one), so a rerun, or another page showing the
    same data, skips Altair. Each call returns a copy, free to hand to Streamlit."""
    return _cached_spec(f"{build.__module__}.{build.__qualname__}", build, args,
                        tuple(sorted(kwargs.items())))


def altair_chart(chart, **kwargs):
    """``st.altair_chart(chart, **kwargs)`` without validating ``chart`` (see the module)."""
    return st.vega_lite_chart(spec=chart_spec(chart), **kwargs)
