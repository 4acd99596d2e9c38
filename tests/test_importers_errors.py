"""Bad input: every problem gets a message naming file, row and column, and the library that was
there stays exactly as it was (nothing is written unless every file was read)."""

from __future__ import annotations

import pytest

from lib.__main__ import main
from lib.importers import ImportFileError, import_files, write_import
from lib.store.db import Store, StoreError
from tests import importers_samples as S


def fails(name: str, data: bytes, **kw) -> ImportFileError:
    with pytest.raises(ImportFileError) as info:
        import_files([(name, data)], **kw)
    assert str(info.value).startswith(name)
    return info.value


# -- files that cannot be imported ---------------------------------------------------------------
def test_unknown_layout_names_the_header_row():
    err = fails("export.csv", b"Title,Singer,Length\nSong,Someone,3:00\n")
    assert err.row == 1
    assert "unknown layout" in str(err) and "Title, Singer, Length" in str(err)
    assert "export.csv, row 1: " in str(err)


def test_missing_required_column_is_named():
    text = S.exportify_current().replace('"Track URI",', '"Song Link",', 1)
    err = fails("liked_songs.csv", text.encode())
    assert (err.row, err.column) == (1, "Track URI")
    assert "liked_songs.csv, row 1, column 'Track URI': looks like Exportify CSV" in str(err)


def test_missing_required_column_of_a_data_set():
    text = S.tracks_dataset().replace("track_name", "title", 1)
    err = fails("dataset.csv", text.encode())
    assert err.column == "track_name" and "Spotify Tracks Dataset" in str(err)


def test_empty_file_and_blank_file():
    assert "is empty" in str(fails("liked_songs.csv", b""))
    assert "only blank lines" in str(fails("liked_songs.csv", b"\r\n  \n"))
    assert "is empty" in str(fails("Playlist1.json", b""))


def test_truncated_json_names_line_and_character():
    data = S.json_bytes(S.extended_history())
    err = fails("Streaming_History_Audio_2023_0.json", data[: len(data) // 2])
    assert "ends early" in str(err) and "truncated" in str(err)
    assert isinstance(err.row, int) and isinstance(err.column, int)
    assert f"Streaming_History_Audio_2023_0.json, line {err.row}, character {err.column}:" \
        in str(err)


def test_malformed_json_inside_a_zip_names_the_member():
    bad = S.zip_bytes({"MyData/YourLibrary.json": b'{"tracks": [{"track": "x",}]}'})
    err = fails("my_spotify_data.zip", bad)
    assert str(err).startswith("my_spotify_data.zip › MyData/YourLibrary.json, line 1")


def test_zip_with_nothing_useful():
    data = S.zip_bytes({"Spotify Account Data/Userdata.json": b'{"email": "a@b.c"}',
                        "Spotify Account Data/Payments.json": b"{}",
                        "ReadMeFirst.pdf": b"%PDF-1.4"})
    err = fails("my_spotify_data.zip", data)
    assert "holds nothing labelscope can import" in str(err)
    assert "Userdata.json" in str(err) and "ReadMeFirst.pdf" in str(err)


def test_empty_and_broken_zips():
    assert "empty zip" in str(fails("a.zip", S.zip_bytes({})))
    assert "not a readable zip" in str(fails("b.zip", b"PK\x03\x04 broken"))


def test_over_size_file_without_writing_500_mb():
    data = S.exportify_current().encode()
    err = fails("huge.csv", data, max_file_bytes=1024)
    assert f"is {len(data) / 1024:,.0f} KB, more than the 1 KB limit" in str(err)
    big_member = S.zip_bytes({"Streaming_History_Audio_0.json": b"[" + b" " * 5000 + b"]"})
    err = fails("export.zip", big_member, max_file_bytes=4096)
    assert str(err).startswith("export.zip › Streaming_History_Audio_0.json: is 5 KB")
    err = fails("export.zip", S.privacy_zip(), max_total_bytes=2048)
    assert "adds up to" in str(err)


def test_default_limit_rejects_500_mb(monkeypatch):
    from lib.importers.common import DEFAULT_MAX_FILE_BYTES, InputFile, MB
    assert DEFAULT_MAX_FILE_BYTES < 500 * MB
    huge = InputFile("everything.csv", 500 * MB, lambda: pytest.fail("must not be read"))
    with pytest.raises(ImportFileError, match=r"everything.csv: is 500 MB, more than the 400 MB"):
        import_files([huge])


def test_binary_file_renamed_to_csv():
    err = fails("cover.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "not a text file" in str(err)


def test_duplicate_column_names():
    err = fails("x.csv", b"Track URI,Track Name,Artist Name(s),Track Name\na,b,c,d\n")
    assert (err.row, err.column) == (1, "Track Name")


def test_json_of_the_wrong_shape():
    err = fails("Streaming_History_Audio_2023_0.json", b'{"plays": []}')
    assert "expected a JSON list of plays" in str(err)
    assert "is not a file labelscope can import" in str(fails("Userdata.json", b'{"a": 1}'))


def test_missing_path_and_folder(tmp_path):
    with pytest.raises(ImportFileError, match="no such file"):
        import_files([tmp_path / "nope.csv"])
    with pytest.raises(ImportFileError, match="is a folder"):
        import_files([tmp_path])


# -- files that import, with what was wrong reported ---------------------------------------------
def names(result) -> set[str]:
    return set(result.data.frames["tracks"]["name"])


def test_utf8_with_bom():
    r = import_files([("liked.csv", S.exportify_current().encode("utf-8-sig"))])
    assert r.files[0].encoding == "UTF-8 with BOM"
    assert r.files[0].format == "exportify"  # the BOM is not part of "Track URI"
    assert "Naïve" in set(r.data.frames["albums"]["label_raw"])


def test_latin1_names_the_first_bad_row():
    text = S.exportify_current()
    r = import_files([("liked.csv", text.encode("cp1252"))])
    assert r.files[0].encoding == "Windows-1252"
    assert "Naïve" in set(r.data.frames["albums"]["label_raw"])
    note = r.files[0].notes[0]
    bad_row = next(i for i, line in enumerate(text.splitlines(), 1) if "Naïve" in line)
    assert f"not valid UTF-8 (first at row {bad_row}" in note and "Windows-1252" in note


def test_utf16_tab_separated_from_excel():
    text = S.to_csv(S.EXPORTIFY_HEADER + S.FEATURE_HEADER + S.ALBUM_HEADER,
                    [r[:19] + r[20:] for r in S.current_rows()], delimiter="\t",
                    quote_all=False, lineterminator="\r\n")
    r = import_files([("Liked Songs.txt", b"\xff\xfe" + text.encode("utf-16-le"))])
    assert r.files[0].encoding == "UTF-16 LE (BOM)" and r.files[0].delimiter == "\t"
    assert r.counts["tracks"] == 3 and r.counts["liked"] == 3
    assert "Tyler, The Creator" in set(r.data.frames["artists"]["name"])


def test_semicolons_and_decimal_commas_from_a_european_excel():
    rows = [[c.replace(".", ",") if c.replace(".", "").replace("-", "").isdigit() else c
             for c in r] for r in S.current_rows()]
    text = S.to_csv(S.EXPORTIFY_HEADER + S.GENRE_HEADER + S.FEATURE_HEADER + S.ALBUM_HEADER,
                    rows, delimiter=";", quote_all=False)
    r = import_files([("mix.csv", text.encode("cp1252"))])
    assert r.files[0].delimiter == ";"
    assert any("decimal commas" in n for n in r.files[0].notes)
    feats = r.data.frames["audio_features"].set_index("track_id")
    assert feats.loc[S.T1, "tempo"] == pytest.approx(78.558)
    assert feats.loc[S.T1, "loudness"] == pytest.approx(-9.222)
    assert r.counts["with_features"] == 3


def test_malformed_numbers_are_left_empty_with_row_and_column():
    rows = S.current_rows()
    rows[1][12] = "4:03"  # duration
    rows[2][20] = "high"  # danceability
    rows[0][15] = "150"  # popularity out of range
    r = import_files([("mix.csv", S.exportify_current(rows).encode())])
    problems = r.skipped_frame().set_index("Column")
    assert problems.loc["Track Duration (ms)", "Row"] == 3
    assert problems.loc["Track Duration (ms)", "Problem"] == "'4:03' is not a number"
    assert problems.loc["Danceability", "Row"] == 4
    assert problems.loc["Popularity", "Problem"] == "150 is outside 0–100"
    assert set(problems["Action"]) == {"value ignored"}
    assert r.counts["tracks"] == 3 and r.counts["values_ignored"] == 3
    tracks = r.data.frames["tracks"].set_index("track_id")
    assert tracks["duration_ms"].isna()[S.T2]


def test_rows_with_the_wrong_number_of_cells_are_skipped():
    text = S.exportify_plain().splitlines()
    text[2] = text[2] + ',"extra"'
    r = import_files([("mix.csv", "\n".join(text).encode())])
    skipped = r.skipped_frame()
    assert skipped[["Row", "Action"]].values.tolist() == [[3, "row skipped"]]
    assert "has 20 cells, the header has 19" in skipped["Problem"].iloc[0]
    assert r.summary_line().endswith("; 1 row skipped — see why")


def test_rows_without_a_track_name_are_skipped():
    rows = S.current_rows()
    rows[1][1] = "  "
    r = import_files([("mix.csv", S.exportify_current(rows).encode())])
    p = r.skipped_frame().iloc[0]
    assert (p["Row"], p["Column"], p["Problem"]) == (3, "Track Name", "no track name")


# -- the library stays exactly as it was ---------------------------------------------------------
BAD_INPUTS = {
    "unknown.csv": b"a,b\n1,2\n",
    "missing.csv": S.exportify_current().replace('"Track Name"', '"Song"', 1).encode(),
    "empty.csv": b"",
    "Streaming_History_Audio_2023_0.json": S.json_bytes(S.extended_history())[:300],
    "nothing.zip": S.zip_bytes({"Userdata.json": b"{}"}),
    "binary.csv": b"\x00\x01\x02\x03" * 50,
}


@pytest.fixture
def local_store(tmp_path, monkeypatch):
    """A store at $LABELSCOPE_DB whose 'local' library holds a small import."""
    path = tmp_path / "lib.duckdb"
    monkeypatch.setenv("LABELSCOPE_DB", str(path))
    store = Store(path)
    write_import(store, "local", import_files([
        ("liked_songs.csv", S.exportify_current().encode()),
        ("Streaming_History_Audio_2023_0.json", S.json_bytes(S.extended_history()))]), "replace")
    store.close()
    return path


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
@pytest.mark.parametrize("mode", ["--replace", "--merge"])
def test_cli_bad_input_leaves_the_library_as_it_was(local_store, tmp_path, capsys, name, mode):
    before = S.snapshot(Store(local_store), "local")
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    good = tmp_path / "good.csv"
    good.write_text(S.exportify_old())
    assert main(["import", str(good), str(path), mode]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and name in err and "unchanged" in err
    assert S.snapshot(Store(local_store), "local") == before


@pytest.mark.parametrize("mode", ["--replace", "--merge"])
def test_files_without_tracks_write_nothing(local_store, tmp_path, capsys, mode):
    before = S.snapshot(Store(local_store), "local")
    path = tmp_path / "header_only.csv"
    path.write_text(",".join(S.EXPORTIFY_HEADER) + "\n")
    assert main(["import", str(path), mode]) == 2
    assert "hold no tracks" in capsys.readouterr().err
    assert S.snapshot(Store(local_store), "local") == before


def test_failed_write_rolls_back(local_store, monkeypatch):
    store = Store(local_store)
    before = S.snapshot(store, "local")
    result = import_files([("road_trip.csv", S.exportify_old().encode()),
                           ("StreamingHistory_music_0.json", S.json_bytes(S.account_history()))])
    import lib.store.db as store_module
    real = store_module._insert

    def broken(cur, table, *args, **kwargs):
        if table == "scores":  # after tracks, albums, artists… were written
            raise RuntimeError("disk full")
        return real(cur, table, *args, **kwargs)

    monkeypatch.setattr(store_module, "_insert", broken)
    for mode in ("replace", "merge"):
        with pytest.raises(StoreError, match="disk full"):
            write_import(store, "local", result, mode)
        assert S.snapshot(store, "local") == before
