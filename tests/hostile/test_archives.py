"""Issue 11 cases 2, 3 and 8 (and what came next): zip bombs, many-member zips, damaged zips,
odd member names, CSV rows and headers no track list has. Each file is refused with a message
naming it (and the row), or read; nothing is written before a button, the library is unchanged."""

from __future__ import annotations

import zipfile

import pytest

from lib.importers import ImportFileError, import_files
from lib.importers.common import MAX_ZIP_MEMBERS, MAX_ZIP_RATIO
from tests import importers_samples as S
from tests.hostile import corpus as C


def refused(item, match: str | None = None) -> ImportFileError:
    with pytest.raises(ImportFileError, match=match) as info:
        import_files([item])
    assert str(info.value).startswith(item[0])
    return info.value


def test_zip_bomb_is_refused_from_the_directory_before_inflating(monkeypatch):
    name, data = C.zip_bomb()

    def no_inflating(*args, **kwargs):
        raise AssertionError("a bomb must be refused before any member is read")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    assert len(data) < 2 * C.MB
    err = refused((name, data), f"more than the {MAX_ZIP_RATIO} times an export compresses")
    assert "my_spotify_data.zip › 0.csv: inflates from" in str(err) and "zip bomb" in str(err)


def test_a_real_export_compresses_far_less_than_the_ratio_cap():
    result = import_files([("my_spotify_data.zip", S.privacy_zip())])
    assert result.counts["tracks"] > 0
    plays = [C.play(ts=f"2020-01-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
                    ms_played=30_000 + i * 7919 % 200_000,
                    master_metadata_track_name=f"Song {i * 31 % 997}") for i in range(20_000)]
    history = S.json_bytes(plays)  # 5 MB, far more alike than a real history
    assert len(history) > 4 * C.MB
    assert import_files([("e.zip", C.zip_of({C.HISTORY: history}))]).counts["plays"] == 20_000


def test_many_members_are_capped_and_the_archive_is_opened_once(monkeypatch):
    err = refused(C.many_members(4000), f"holds 4,000 files, more than the {MAX_ZIP_MEMBERS:,}")
    assert "unzip it" in str(err)
    opened = []
    real_init = zipfile.ZipFile.__init__

    def counting_init(self, *args, **kwargs):
        opened.append(args[0] if args else None)
        real_init(self, *args, **kwargs)

    members = {f"MyData/Playlist{i}.json": S.json_bytes(S.playlists_json()) for i in range(50)}
    data = C.zip_of(members)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_init)
    result = import_files([("my_spotify_data.zip", data)])
    assert len(result.files) == 50 and result.counts["tracks"] > 0
    assert len(opened) == 1


@pytest.mark.parametrize("item", C.truncated_zips(), ids=lambda item: item[0])
def test_truncated_zips_say_so(item):
    err = refused(item)
    assert "seek" not in str(err) and "magic" not in str(err).lower()
    assert ("cut off or damaged" in str(err) or "the archive is damaged" in str(err)
            or "ends early" in str(err)), str(err)


def test_member_longer_than_its_directory_entry_is_damaged():
    data = bytearray(C.zip_of({"YourLibrary.json": S.json_bytes(S.your_library())},
                              compression=zipfile.ZIP_STORED))
    # Shrink the declared size in the central directory only (offset 24 of its entry).
    cd = data.rfind(b"PK\x01\x02")
    declared = int.from_bytes(data[cd + 24:cd + 28], "little")
    data[cd + 24:cd + 28] = (declared - 5).to_bytes(4, "little")
    err = refused(("my_spotify_data.zip", bytes(data)))
    assert "damaged" in str(err) or "cut off" in str(err)


def test_path_traversal_names_are_only_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = import_files([C.traversal_names()])
    assert result.counts["playlists"] == 2 and result.counts["tracks"] == 1
    assert list(tmp_path.iterdir()) == []  # nothing extracted anywhere


def test_nested_zips_are_not_opened():
    result = import_files([C.nested_zip()])
    assert [f.format for f in result.files] == ["ignored", "your-library"]


def test_gzip_named_json_is_not_text():
    refused(C.gzip_as_json(), "not a text file")


def test_nul_bytes_in_a_csv():
    text = S.exportify_current()
    refused(("liked.csv", text.replace(",", ",\x00", 3).encode()), "NUL")


def test_a_row_longer_than_8_mb_names_the_row():
    err = refused(C.giant_field_csv(20 * C.MB), r"row 2: a row is longer than 8 MB")
    assert "straddl" not in str(err)
    refused(C.giant_line_csv(20 * C.MB), r"liked.csv, row 2: a row is longer than 8 MB")


def test_a_million_columns_are_refused():
    refused(C.many_columns_csv(), r"liked.csv|wide.csv")
    err = refused(C.many_columns_csv(), r"the header has more than 1,000 columns")
    assert err.row == 1
