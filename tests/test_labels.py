"""Record-label standardisation and user label edits (lib/labels/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.labels import (LabelEditError, build_label_index, choose_name, clear_edits,
                        display_spelling, label_key, load_label_edits, merge_labels, split_alias,
                        split_label, standardize_label, undo_edit, rename_label)
from lib.store.library import load_library
from lib.store.db import Store

# The raw label strings seen for Interscope Records in a real library, with track counts
# (docs/original-system.md).
INTERSCOPE = {
    "YG Entertainment/Interscope Records": 21, "Interscope": 17,
    "Darkroom/Interscope Records": 12, "Interscope Records*": 8,
    "YG Entertainment, distributed through Interscope Records": 5,
    "Moulin Rouge / Interscope": 5,
    "2018 YG Entertainment, distributed through Interscope Records": 4,
    "THEBLACKLABEL/Interscope Records": 4, "THE BLACK LABEL/Interscope Records": 3,
    "Kid Ina Korner / Interscope": 3,
    "pgLang/Top Dawg Entertainment/Aftermath/Interscope Records": 2,
    "Bad Boy / Interscope": 2, "Golden Angel/ Interscope Records": 1,
    "LVRN/Interscope Records": 1, "Mosley / Interscope": 1,
    "Friends Keep Secrets/Def Jam Recordings/Interscope Records": 1,
    "Fantasy Soul/Interscope Records": 1, "EMI / Interscope": 1, "Collipark / Interscope": 1,
    "Bichota/Interscope Records": 1, "Interscope Records": 1,
}


def test_interscope_strings_all_land_in_interscope_records() -> None:
    assert len(INTERSCOPE) == 21
    index = build_label_index(INTERSCOPE)
    for raw in INTERSCOPE:
        assert "Interscope Records" in index.labels(raw), raw
    aliases = index.aliases["Interscope Records"]
    assert set(aliases) == set(INTERSCOPE)
    assert sum(aliases.values()) == 95


def test_interscope_co_labels_get_their_own_groups() -> None:
    index = build_label_index(INTERSCOPE)
    expected = {
        "YG Entertainment": 30, "Darkroom": 12, "Moulin Rouge": 5, "THE BLACK LABEL": 7,
        "Kid Ina Korner": 3, "pgLang": 2, "Top Dawg Entertainment": 2, "Aftermath": 2,
        "Bad Boy": 2, "Golden Angel": 1, "LVRN": 1, "Mosley": 1, "Friends Keep Secrets": 1,
        "Def Jam Recordings": 1, "Fantasy Soul": 1, "EMI": 1, "Collipark": 1, "Bichota": 1,
    }
    totals = {name: sum(c.values()) for name, c in index.aliases.items()}
    assert totals == {"Interscope Records": 95, **expected}
    assert index.labels("pgLang/Top Dawg Entertainment/Aftermath/Interscope Records") == [
        "pgLang", "Top Dawg Entertainment", "Aftermath", "Interscope Records"]
    assert index.labels("2018 YG Entertainment, distributed through Interscope Records") == [
        "YG Entertainment", "Interscope Records"]


def test_the_black_label_groups_and_keeps_a_readable_name() -> None:
    # THEBLACKLABEL is the more common spelling, but the spaced one names the group.
    assert label_key("THE BLACK LABEL") == label_key("THEBLACKLABEL") == "THEBLACKLABEL"
    index = build_label_index({"THEBLACKLABEL/Interscope Records": 4,
                               "THE BLACK LABEL/Interscope Records": 3})
    assert index.labels("THEBLACKLABEL/Interscope Records")[0] == "THE BLACK LABEL"
    # "Label" is part of a name, not a suffix: it is not confused with "The Black".
    assert label_key("THE BLACK LABEL") != label_key("The Black")


@pytest.mark.parametrize("raw, expected", [
    ("(C) 2019 Kestrel Sound", ["Kestrel Sound"]),
    ("℗ 2019 Kestrel Sound", ["Kestrel Sound"]),
    ("(P) 2019 Kestrel Sound", ["Kestrel Sound"]),
    ("℗ & © 2021 Kestrel Sound", ["Kestrel Sound"]),
    ("2019-2020 Kestrel Sound", ["Kestrel Sound"]),
    ("2018 YG Entertainment", ["YG Entertainment"]),
    ("Republic Records - Nightshift", ["Republic Records"]),
    ("Republic Records - X", ["Republic Records"]),
    ("Low Tide under exclusive licence to Ironbridge Records", ["Low Tide", "Ironbridge Records"]),
    ("Low Tide under exclusive license to Ironbridge Records", ["Low Tide", "Ironbridge Records"]),
    ("X, distributed by Y", ["X", "Y"]),
    ("Big Machine Records, LLC", ["Big Machine Records"]),
    ("Sony Music Entertainment Co., Ltd.", ["Sony Music Entertainment"]),
    ("Interscope Records*", ["Interscope Records"]),
    ("  ", []),
    (None, []),
])
def test_split_label(raw: str | None, expected: list[str]) -> None:
    assert split_label(raw) == expected


def test_keys_ignore_case_punctuation_and_generic_suffixes() -> None:
    same = ["Interscope Records", "INTERSCOPE", "Interscope Records*", "interscope records ltd.",
            "Interscope Music"]
    assert {label_key(s) for s in same} == {"INTERSCOPE"}
    assert label_key("YELLOWDOORRECORDS") == label_key("Yellow Door Records")
    assert label_key("Sunward") == label_key("Sunward Entertainment")
    assert standardize_label("Moulin Rouge / Interscope") == ["MOULINROUGE", "INTERSCOPE"]
    assert label_key("Kestrel Sound") != label_key("Kestrel")  # "Sound" is part of the name
    assert label_key("소리 Records") == "소리"  # non-Latin names keep their letters


def test_display_names() -> None:
    assert display_spelling("Foxglove Recordings Ltd.") == "Foxglove Recordings"
    assert display_spelling("QUARRYRECORDS") == "QUARRY RECORDS"
    assert display_spelling("Quarryrecords") == "Quarryrecords"  # only shouted glue is spaced
    # The family with most tracks wins; legal forms count for the plain spelling.
    assert choose_name({"Blue Hour": 20, "Blue Hour Ltd.": 5, "BLUE HOUR": 24}) == "Blue Hour"
    assert choose_name({"Interscope": 31, "Interscope Records": 64}) == "Interscope Records"
    # Ties are broken the same way every time.
    assert choose_name({"B Label": 2, "A Label": 2}) == choose_name({"A Label": 2, "B Label": 2})


def test_display_names_are_unique_even_after_a_rename() -> None:
    from lib.labels import LabelEdit
    index = build_label_index({"Alpha": 3, "Beta": 2},
                              [LabelEdit("rename", "BETA", name="Alpha", edit_id=1)])
    names = sorted(index.name_of_key.values())
    assert len(set(names)) == 2 and "Alpha" in names


def test_overrides_mapping_still_merges_keys() -> None:
    index = build_label_index({"Alpha": 3, "Beta": 2}, {"BETA": "ALPHA"})
    assert index.labels("Beta") == ["Alpha"]
    assert sum(index.aliases["Alpha"].values()) == 5


def test_merge_cycle_lands_in_one_group() -> None:
    index = build_label_index({"Alpha": 3, "Beta": 2}, {"BETA": "ALPHA", "ALPHA": "BETA"})
    assert index.labels("Alpha") == index.labels("Beta")


# -- stored edits ----------------------------------------------------------------------------
def _labels(store: Store) -> dict[str, int]:
    library = load_library(store, "demo")
    return dict(zip(library.labels["label"], library.labels["tracks"]))


def test_merge_survives_a_restart_and_undoes_cleanly(db_path: Path) -> None:
    store = Store(db_path)
    before = _labels(store)
    version = store.version("demo")
    index = load_library(store, "demo").label_index
    merge_labels(store, "demo", index, "Hoshizora Records", "Meridian Records")
    assert store.version("demo") > version
    store.close()

    store = Store(db_path)  # a restart: a new process opens the same file
    after = _labels(store)
    assert "Hoshizora Records" not in after
    assert after["Meridian Records"] == before["Meridian Records"] + before["Hoshizora Records"]
    library = load_library(store, "demo")
    assert "Hoshizora Records*" in library.label_index.aliases["Meridian Records"]
    assert [e.action for e in load_label_edits(store, "demo")] == ["merge"]

    undone = undo_edit(store, "demo")
    assert undone is not None and undone.action == "merge"
    assert _labels(store) == before
    assert load_label_edits(store, "demo") == []
    assert undo_edit(store, "demo") is None
    store.close()


def test_a_library_holds_the_edits_it_was_built_with(db_path: Path) -> None:
    """The label page's history lists ``library.label_index.edits`` instead of reading the store
    on every rerun: they are the stored edits, ids and times included, also from a snapshot."""
    from lib.store.snapshot import read_snapshot, write_snapshot

    store = Store(db_path)
    index = load_library(store, "demo").label_index
    merge_labels(store, "demo", index, "Hoshizora Records", "Meridian Records")
    rename_label(store, "demo", load_library(store, "demo").label_index, "Meridian Records",
                 "Meridian")
    stored = load_label_edits(store, "demo")
    library = load_library(store, "demo")
    # The two edits just made, in order, each with its own id and time.
    assert [e.describe() for e in library.label_index.edits] == [
        'Merged "Hoshizora Records" into "Meridian Records"',
        'Renamed "Meridian Records" to "Meridian"']
    assert list(library.label_index.edits) == stored
    assert len({e.edit_id for e in stored}) == 2 and all(e.created_at for e in stored)
    write_snapshot(store, store.library("demo"), library)
    kept = read_snapshot(store, store.library("demo"))
    assert kept is not None and list(kept.label_index.edits) == stored
    assert [e.created_at for e in kept.label_index.edits] == [e.created_at for e in stored]
    store.close()


def test_an_edit_and_its_version_bump_are_one_transaction(db_path: Path, monkeypatch) -> None:
    """Written apart, an edit whose bump failed (a crash, a full disk) stayed in the store under
    the old version, whose cached library and snapshot do not have it: it never showed."""
    import lib.store.db as db

    store = Store(db_path)
    version = store.version("demo")
    index = load_library(store, "demo").label_index

    def failing_clock():
        raise OSError("disk full")

    monkeypatch.setattr(db, "_now", failing_clock)  # the bump's timestamp
    with pytest.raises(OSError):
        merge_labels(store, "demo", index, "Hoshizora Records", "Meridian Records")
    monkeypatch.undo()
    assert load_label_edits(store, "demo") == [] and store.version("demo") == version
    merge_labels(store, "demo", index, "Hoshizora Records", "Meridian Records")
    assert store.version("demo") == version + 1
    with pytest.raises(OSError):
        monkeypatch.setattr(db, "_now", failing_clock)
        undo_edit(store, "demo")
    monkeypatch.undo()
    assert len(load_label_edits(store, "demo")) == 1 and store.version("demo") == version + 1
    store.close()


def test_split_alias_into_new_and_existing_labels(db_path: Path) -> None:
    store = Store(db_path)
    before = _labels(store)
    library = load_library(store, "demo")
    aliases = library.label_index.aliases["Meridian Records"]
    raw = "Meridian Records - Nightshift"
    assert raw in aliases
    moved = aliases[raw]
    split_alias(store, "demo", library.label_index, "Meridian Records", raw, "Nightshift")
    after = _labels(store)
    assert after["Nightshift"] == moved
    assert after["Meridian Records"] == before["Meridian Records"] - moved
    lib2 = load_library(store, "demo")
    assert lib2.label_index.labels(raw) == ["Nightshift"]
    # Split a co-label string's alias into an existing label: it joins it.
    raw2 = next(r for r in lib2.label_index.aliases["Meridian Records"] if "/" in r
                and "Kestrel" in r)
    split_alias(store, "demo", lib2.label_index, "Meridian Records", raw2, "Halcyon Records")
    lib3 = load_library(store, "demo")
    assert "Halcyon Records" in lib3.label_index.labels(raw2)
    assert "Meridian Records" not in lib3.label_index.labels(raw2)
    assert "Kestrel Sound" in lib3.label_index.labels(raw2)
    undo_edit(store, "demo")
    undo_edit(store, "demo")
    assert _labels(store) == before
    store.close()


def test_rename_and_undo_a_middle_edit(db_path: Path) -> None:
    store = Store(db_path)
    before = _labels(store)
    index = load_library(store, "demo").label_index
    first = rename_label(store, "demo", index, "QUARRY RECORDS", "Quarry Records")
    index = load_library(store, "demo").label_index
    merge_labels(store, "demo", index, "Hoshizora Records", "Tokyo Lantern Records")
    after = _labels(store)
    assert "Quarry Records" in after and "QUARRY RECORDS" not in after
    assert after["Tokyo Lantern Records"] == before["Tokyo Lantern Records"] + 1
    undo_edit(store, "demo", first.edit_id)
    after = _labels(store)
    assert "QUARRY RECORDS" in after and "Hoshizora Records" not in after
    assert clear_edits(store, "demo") == 1
    assert _labels(store) == before
    store.close()


def test_edits_are_per_library(db_path: Path) -> None:
    from lib.demo.generator import generate_library
    store = Store(db_path)
    store.replace_library("local", generate_library(200, seed=3), name="Local", kind="local")
    index = load_library(store, "demo").label_index
    merge_labels(store, "demo", index, "Hoshizora Records", "Meridian Records")
    assert load_label_edits(store, "local") == []
    assert load_label_edits(store, "demo") != []
    store.close()


def test_bad_edits_are_refused_with_a_clear_message(db_path: Path) -> None:
    store = Store(db_path)
    index = load_library(store, "demo").label_index
    version = store.version("demo")
    with pytest.raises(LabelEditError, match="No label called 'Nope'"):
        merge_labels(store, "demo", index, "Nope", "Meridian Records")
    with pytest.raises(LabelEditError, match="already one label"):
        merge_labels(store, "demo", index, "Meridian Records", "Meridian Records")
    with pytest.raises(LabelEditError, match="not an alias"):
        split_alias(store, "demo", index, "Meridian Records", "Halcyon Records", "X")
    with pytest.raises(LabelEditError, match="grouped with"):
        split_alias(store, "demo", index, "Meridian Records", "Meridian Records*", "MERIDIAN")
    with pytest.raises(LabelEditError, match="needs a name|Give"):
        split_alias(store, "demo", index, "Meridian Records", "Meridian Records*", "  ")
    with pytest.raises(LabelEditError, match="merge the two"):
        rename_label(store, "demo", index, "Halcyon Records", "meridian records")
    assert store.version("demo") == version
    assert load_label_edits(store, "demo") == []
    store.close()
