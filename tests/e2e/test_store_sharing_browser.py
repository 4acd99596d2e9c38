"""The dashboard shares its library file: CLI jobs run while it serves, two servers serve one file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import importers_samples as S
from tests.e2e.conftest import ROOT, start_streamlit, wait_for_app


@pytest.fixture
def db(tmp_path: Path, demo_db_template: Path) -> Path:
    path = tmp_path / "library.duckdb"
    shutil.copy(demo_db_template, path)
    return path


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LABELSCOPE_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "lib", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def _sidebar(page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()


def test_cli_import_and_export_while_the_dashboard_serves(db, tmp_path, page):
    (tmp_path / "Liked Songs.csv").write_text(S.exportify_current())
    (tmp_path / "road_trip.csv").write_text(S.exportify_old())
    assert _cli(db, "import", str(tmp_path / "Liked Songs.csv")).returncode == 0
    with start_streamlit(db) as url:
        page.goto(f"{url}/?library=local")
        wait_for_app(page)
        assert "3 tracks" in _sidebar(page)  # the dashboard has read the file
        # While it serves (and keeps serving reruns), the CLI writes and reads the same file.
        replaced = _cli(db, "import", str(tmp_path / "road_trip.csv"), "--replace")
        assert replaced.returncode == 0, replaced.stderr
        exported = _cli(db, "export", "--library", "local", "--out", str(tmp_path / "site"),
                        "--quiet", "--jobs", "1")
        assert exported.returncode == 0, exported.stderr
        assert (tmp_path / "site").is_dir()
        info = _cli(db, "info")
        assert info.returncode == 0 and "local" in info.stdout
        page.reload()
        wait_for_app(page)
        sidebar = _sidebar(page)
        assert "2 tracks" in sidebar  # the new version of the library
        assert "Error" not in page.locator("[data-testid='stMain']").inner_text()


def test_two_dashboards_serve_one_file(db, browser):
    with start_streamlit(db) as first, start_streamlit(db, log_name="second.log") as second:
        for url in (first, second):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(f"{url}/labels")
            wait_for_app(page)
            assert "tracks" in _sidebar(page)
            assert "Record labels" in page.locator("h1").first.inner_text()
            context.close()
