"""Issue 11 cases 4 and 7: JSON values of the wrong type, lone surrogates and numbers out of
range are skipped rows (named) or one ImportFileError, never a traceback; the CLI exits 2 with one
line when a file cannot be imported."""

from __future__ import annotations

import pytest

from lib.__main__ import main
from lib.importers import ImportFileError, import_files, write_import
from tests import importers_samples as S
from tests.hostile import corpus as C


def _import(store, name: str, data: bytes):
    """Import and write (merge); returns the result, or the error when the file is refused (and
    then checks the library did not change)."""
    before = S.snapshot(store, "local")
    try:
        result = import_files([(name, data)])
    except ImportFileError as exc:
        assert str(exc).startswith(name)
        assert S.snapshot(store, "local") == before
        return exc
    try:
        write_import(store, "local", result, "merge")
    except ValueError as exc:  # nothing left to write: refused, and nothing written
        assert "nothing was written" in str(exc)
        assert S.snapshot(store, "local") == before
    return result


@pytest.mark.parametrize("case", sorted(C.WRONG_TYPES))
def test_wrong_json_types_are_skipped_rows_or_one_error(imported_store, case):
    name, data = C.WRONG_TYPES[case]
    outcome = _import(imported_store, name, data)
    if isinstance(outcome, ImportFileError):
        assert outcome.reason
        return
    for problem in outcome.skipped_frame().itertuples():
        assert problem.File == name and problem.Row >= 1 and problem.Problem


def test_lone_surrogates_skip_their_row_and_keep_the_others(imported_store):
    data = (b'[{"ms_played":40000,"master_metadata_track_name":"bad \\ud800"},'
            b'{"ms_played":40000,"master_metadata_track_name":"good \\ud83c\\udfb5",'
            b'"master_metadata_album_artist_name":"a"}]')
    result = _import(imported_store, C.HISTORY, data)
    skipped = result.skipped_frame()
    assert skipped[["Row", "Action"]].values.tolist() == [[1, "row skipped"]]
    assert "not valid Unicode" in skipped["Problem"].iloc[0]
    assert set(result.data.frames["tracks"]["name"]) == {"good 🎵"}


def test_playlist_with_items_not_a_list_is_named(imported_store):
    result = _import(imported_store, *C.WRONG_TYPES["playlist items is a number"])
    assert "'items' is int, not a list" in result.skipped_frame()["Problem"].iloc[0]


@pytest.mark.parametrize("case", sorted(C.OUT_OF_RANGE))
def test_out_of_range_durations_are_skipped_and_named(imported_store, case):
    name, data = C.OUT_OF_RANGE[case]
    result = _import(imported_store, name, data)
    skipped = result.skipped_frame()
    assert len(skipped) >= 1 and (skipped["Row"] >= 1).all()
    assert result.data.frames.get("scores") is None or result.data.get("scores").empty
    scores = imported_store.query("SELECT score, plays, ms_played FROM scores WHERE library_id='local'")
    assert (scores >= 0).all().all()


def test_huge_durations_say_out_of_range():
    result = import_files([C.OUT_OF_RANGE["ms 9e17 twenty times"]])
    skipped = result.skipped_frame()
    assert len(skipped) == 20 and skipped["Column"].eq("ms_played").all()
    assert skipped["Problem"].iloc[0] == "9e+17 ms is out of range for one play (more than 24 hours)"
    assert "inf ms is out of range" in import_files(
        [C.OUT_OF_RANGE["ms 1e400"]]).skipped_frame()["Problem"].iloc[0]


def test_a_day_long_play_still_counts():
    result = import_files([C.json_file(C.HISTORY, [C.play(ms_played=24 * 3_600_000)] * 3)])
    scores = result.data.frames["scores"]
    assert scores["score"].tolist() == [3 * 24 * 60] and scores["ms_played"].min() > 0


def test_deeply_nested_json_is_one_error():
    with pytest.raises(ImportFileError, match="nested too deeply"):
        import_files([C.deeply_nested_json()])


@pytest.mark.parametrize("name, data", [
    ("Streaming_History_Audio_2020_0.json", b"[" * 100_000 + b"]" * 100_000),
    ("Streaming_History_Audio_2020_0.json", b'{"plays": 5}'),
    ("YourLibrary.json", b'{"tracks": 5}'),
    ("Playlist1.json", b'{"playlists": "x"}'),
])
def test_cli_exits_2_with_one_line(imported_store, tmp_path, capsys, name, data):
    before = S.snapshot(imported_store, "local")
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(f"error: {path}") and "Traceback" not in "\n".join(err)
    assert err[1:] == ["Nothing was written; the library is unchanged."]
    assert S.snapshot(imported_store, "local") == before


def test_a_number_too_long_for_python_is_one_error():
    data = b'[{"ms_played":' + b"9" * 5000 + b',"master_metadata_track_name":"x"}]'
    with pytest.raises(ImportFileError, match="a number too long to read"):
        import_files([(C.HISTORY, data)])
