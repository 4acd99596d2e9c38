"""Fixtures of the hostile corpus: a library that must survive every file unchanged or whole."""

from __future__ import annotations

import pytest

from lib.importers import import_files, write_import
from lib.store.db import Store
from tests import importers_samples as S


@pytest.fixture
def imported_store(tmp_path, monkeypatch):
    """A store at ``$LABELSCOPE_DB`` whose local library holds the Exportify sample."""
    path = tmp_path / "lib.duckdb"
    monkeypatch.setenv("LABELSCOPE_DB", str(path))
    store = Store(path)
    write_import(store, "local", import_files([("liked_songs.csv", S.exportify_current())]),
                 "replace")
    yield store
    store.close()
