"""The Data page with hostile uploads: a message naming the file or row, never a traceback, and
the library unchanged until a button is pressed."""

from __future__ import annotations

import pytest

from tests import importers_samples as S
from tests.conftest import shown
from tests.hostile import corpus as C

PAGE = "app_pages/data.py"


def upload(at, name: str, data: bytes):
    at.file_uploader[0].set_value([(name, data, "application/json")])
    return at.run()


@pytest.mark.parametrize("case", ["library albums is a number", "playlist items is a number",
                                  "history surrogate", "playlists is an object"])
def test_wrong_json_types_show_a_message(app, store, case):
    before = S.snapshot(store, "local")
    at = app(PAGE)
    upload(at, *C.WRONG_TYPES[case])
    assert not at.exception, [e.value for e in at.exception]
    text = shown("\n".join([m.value for m in at.markdown] + [e.value for e in at.error]
                            + [w.value for w in at.warning]))
    assert C.WRONG_TYPES[case][0] in text or "row" in text or "no tracks" in text
    assert S.snapshot(store, "local") == before


def test_an_importer_bug_is_a_message_not_a_traceback(app, store, monkeypatch):
    import ui.data_import

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(ui.data_import, "import_files", broken)
    at = app(PAGE)
    upload(at, *C.WRONG_TYPES["library albums is a number"])
    assert not at.exception
    assert "could not be read (KeyError)" in shown(at.error[0].value)


def test_parsed_uploads_leave_the_session_once_removed_or_written(app, store):
    from ui.data_import import READ_KEY
    at = app(PAGE)
    at.file_uploader[0].set_value([("Liked Songs.csv", S.exportify_current().encode(),
                                    "text/csv")])
    at.run()
    assert at.session_state[READ_KEY]["result"] is not None
    at.file_uploader[0].set_value([])
    at.run()
    assert READ_KEY not in at.session_state  # removed: the parsed result is dropped
    at.file_uploader[0].set_value([("Liked Songs.csv", S.exportify_current().encode(),
                                    "text/csv")])
    at.run()
    at.button(key="import_merge").click().run()
    assert not at.exception
    assert READ_KEY not in at.session_state  # written: dropped as well
