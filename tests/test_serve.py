"""serve.py: `streamlit run serve.py` starts the app (st.App with app.py as its script) and
imports, before the first visitor, every module the router and the pages import."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# In a fresh interpreter: run serve.py's lifespan and report which modules it left imported.
PROBE = """
import asyncio, json, sys
sys.path.insert(0, {root!r})
import serve
async def start():
    async with serve.warm_imports(serve.app):
        pass
asyncio.run(start())
print(json.dumps(sorted(sys.modules)))
"""


def _page_imports() -> set[str]:
    """Modules the router and the pages import at their top level (ours and third parties')."""
    names: set[str] = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return names - {"__future__"}


def test_the_server_imports_what_every_page_imports_before_the_first_visitor() -> None:
    from serve import app
    import streamlit as st
    assert isinstance(app, st.App)
    out = subprocess.run([sys.executable, "-c", PROBE.format(root=str(ROOT))], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    loaded = set(json.loads(out.strip().splitlines()[-1]))
    missing = _page_imports() - loaded
    assert not missing, f"imported by a page but not by serve.py before the first visitor: {missing}"
    # and what they import on first use: clustering and the cluster charts
    assert {"pandas", "altair", "duckdb", "sklearn.cluster", "lib.clusters.charts"} <= loaded
