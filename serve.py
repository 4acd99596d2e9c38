"""Serve the dashboard: ``streamlit run serve.py`` (the router is app.py).

Before the server takes its first visitor it imports what the router and the pages import, and
what they import on first use (scikit-learn, Altair's chart code): about a second that the first
visitor of a fresh server would otherwise wait for (measured in Chromium, bench/bench_browser.py:
/clusters from 3.7 s to 2.7 s at 30k tracks). ``streamlit run app.py`` works too, without that.
"""

import ast
import importlib
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
# Imported inside functions, on first use: not found in the pages' import statements.
ON_FIRST_USE = ("sklearn.cluster", "sklearn.decomposition", "sklearn.metrics",
                "streamlit.elements.vega_charts",
                "lib.clusters.charts", "lib.reports.clusters")


def page_imports() -> list[str]:
    """The modules app.py and app_pages/*.py import at their top level."""
    names: dict[str, None] = {}
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names[node.module] = None
    names.pop("__future__", None)
    return list(names)


@asynccontextmanager
async def warm_imports(app):
    for name in [*page_imports(), *ON_FIRST_USE]:
        importlib.import_module(name)
    yield


app = st.App("app.py", lifespan=warm_imports)
