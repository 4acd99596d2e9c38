"""``python -m lib import``: modes, target library, summary output, dry run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lib.__main__ import main
from lib.store.db import LOCAL_LIBRARY_ID, Store
from tests import importers_samples as S

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_DB", str(tmp_path / "lib.duckdb"))
    (tmp_path / "Liked Songs.csv").write_text(S.exportify_current())
    (tmp_path / "road_trip.csv").write_text(S.exportify_old())
    (tmp_path / "my_spotify_data.zip").write_bytes(S.privacy_zip())
    (tmp_path / "dataset.csv").write_text(S.tracks_dataset())
    return tmp_path


def counts(path: Path, library: str = LOCAL_LIBRARY_ID) -> dict[str, int]:
    store = Store(path / "lib.duckdb")
    try:
        return store.counts(library)
    finally:
        store.close()


def test_import_prints_the_summary_and_coverage(files, capsys):
    assert main(["import", str(files / "Liked Songs.csv"), str(files / "road_trip.csv")]) == 0
    out = capsys.readouterr().out
    assert "4 tracks, 1 playlists, 3 with audio features, 3 with labels" in out
    assert "Liked Songs.csv: Exportify CSV, 3 rows" in out
    assert "Merged into “Imported files”: now 4 tracks and 1 playlists (version 1)" in out
    assert "Coverage: 75% with audio features, 75% with labels" in out
    assert counts(files)["liked"] == 3


def test_merge_keeps_and_replace_drops(files, capsys):
    main(["import", str(files / "Liked Songs.csv")])
    assert main(["import", str(files / "road_trip.csv"), "--merge"]) == 0
    assert counts(files)["tracks"] == 4 and counts(files)["liked"] == 3
    assert main(["import", str(files / "road_trip.csv"), "--replace"]) == 0
    assert counts(files)["tracks"] == 2 and counts(files)["liked"] == 0
    assert "Replaced “Imported files”: now 2 tracks" in capsys.readouterr().out


def test_zip_into_another_library(files, capsys):
    assert main(["import", str(files / "my_spotify_data.zip"), "--library", "spotify:alice",
                 "--replace"]) == 0
    out = capsys.readouterr().out
    assert "podcast plays" in out and "Not music data, ignored" in out
    assert counts(files, "spotify:alice")["scores"] == 5
    assert counts(files)["tracks"] == 0


def test_features_only(files, capsys):
    main(["import", str(files / "road_trip.csv")])
    assert main(["import", str(files / "dataset.csv"), "--features-only"]) == 0
    out = capsys.readouterr().out
    assert "Filled audio features of 2 tracks" in out
    assert "Coverage: 100% with audio features" in out
    assert counts(files)["audio_features"] == 2 and counts(files)["tracks"] == 2
    assert counts(files)["artist_genres"] == 0  # nothing but features was written


def test_features_only_into_an_empty_library_fails_cleanly(files, capsys):
    assert main(["import", str(files / "dataset.csv"), "--features-only"]) == 2
    assert "has no tracks" in capsys.readouterr().err


def test_dry_run_writes_nothing(files, capsys):
    main(["import", str(files / "Liked Songs.csv")])
    before = S.snapshot(Store(files / "lib.duckdb"), "local")
    assert main(["import", str(files / "road_trip.csv"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Merge into library: 1 new tracks are added; 1 already in “Imported files”" in out
    assert "Dry run: nothing was written." in out
    assert S.snapshot(Store(files / "lib.duckdb"), "local") == before


def test_skipped_rows_are_listed_with_file_row_and_column(files, capsys):
    rows = S.current_rows()
    rows[1][20] = "lots"
    (files / "bad.csv").write_text(S.exportify_current(rows))
    assert main(["import", str(files / "bad.csv")]) == 0
    assert "bad.csv, row 3, column 'Danceability': 'lots' is not a number (value ignored)" in \
        capsys.readouterr().out


def test_options_are_exclusive(files, capsys):
    with pytest.raises(SystemExit):
        main(["import", str(files / "road_trip.csv"), "--merge", "--replace"])


def test_runs_as_a_module(files):
    out = subprocess.run([sys.executable, "-m", "lib", "import", str(files / "nope.csv")],
                         capture_output=True, text=True, cwd=ROOT,
                         env={"LABELSCOPE_DB": str(files / "lib.duckdb"), "PATH": "/usr/bin"})
    assert out.returncode == 2
    assert "nope.csv: no such file" in out.stderr
