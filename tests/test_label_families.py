"""Label families: relations read from MusicBrainz answers, the user's edits, pages, the demo."""

from __future__ import annotations


from lib.enrichment import EnrichContext, enrich
from lib.labels.families import build_families, load_families, parent_relation, rolled_up
from lib.labels.standardize import build_label_index, label_key
from lib.spotify.config import SpotifyConfig
from lib.store.library import load_library
from tests.fakes.catalogue import FAMILIES, musicbrainz_for, synthetic
from tests.fakes.musicbrainz import FakeMusicBrainz, mbid

LIB = "local"


def _answers(fake: FakeMusicBrainz) -> tuple[dict, dict]:
    return ({label["name"]: lid for lid, label in fake.labels.items()}, dict(fake.labels))


def test_aftermath_sits_under_interscope_under_universal() -> None:
    fake = FakeMusicBrainz()
    fake.add_label("Universal Music Group", "Holding")
    fake.add_label("Interscope Records", "Original Production", parent="Universal Music Group",
                   relation="label ownership")
    fake.add_label("Aftermath Entertainment", "Imprint", parent="Interscope Records")
    fake.add_label("Shady Records", "Imprint", parent="Interscope Records")
    fake.add_label("Sony Music", "Distributor")
    fake._relate(mbid("label", "Sony Music"), mbid("label", "Shady Records"),
                 "label distribution")
    assert parent_relation(fake.labels[mbid("label", "Aftermath Entertainment")])["name"] == \
        "Interscope Records"
    assert parent_relation(fake.labels[mbid("label", "Universal Music Group")]) is None
    index = build_label_index({"Aftermath": 5, "Aftermath Entertainment": 3,
                               "Interscope Records": 4, "Shady Records": 2, "Quiet Acre": 1})
    families = build_families(index, *_answers(fake))
    aftermath = families["Aftermath"]  # "Aftermath Entertainment" is standardised into it
    assert aftermath.chain() == ("Aftermath → imprint of Interscope Records → owned by "
                                 "Universal Music Group")
    assert aftermath.type == "Imprint" and aftermath.top == "Universal Music Group"
    assert [s.name for s in aftermath.siblings] == ["Shady Records"]
    interscope = families["Interscope Records"]
    assert [i.name for i in interscope.imprints] == ["Aftermath", "Shady Records"]
    assert [d.name for d in families["Shady Records"].distributors] == ["Sony Music"]
    assert families["Quiet Acre"].known is False  # no answer: unknown, not guessed


def test_an_ended_relation_is_not_a_parent() -> None:
    fake = FakeMusicBrainz()
    fake.add_label("Old Owner", "Holding")
    fake.add_label("Sold Label", parent="Old Owner", relation="label ownership")
    for rel in fake.labels[mbid("label", "Sold Label")]["relations"]:
        rel["ended"] = True
    assert parent_relation(fake.labels[mbid("label", "Sold Label")]) is None


def test_user_merges_win_over_musicbrainz() -> None:
    fake = FakeMusicBrainz()
    fake.add_label("Big Parent", "Holding")
    fake.add_label("Small Imprint", "Imprint", parent="Big Parent")
    raw = {"Small Imprint": 3, "Other Label": 2}
    index = build_label_index(raw)
    assert build_families(index, *_answers(fake))["Small Imprint"].known
    # The user merged "Small Imprint" into "Other Label": the family follows their grouping.
    merged = build_label_index(raw, {label_key("Small Imprint"): label_key("Other Label")})
    families = build_families(merged, *_answers(fake))
    assert "Small Imprint" not in families
    assert families["Other Label"].parents[0].name == "Big Parent"


def test_musicbrainz_run_fetches_families_and_the_roll_up_counts_them(tmp_path, monkeypatch):
    from lib.store.db import Store
    monkeypatch.setenv("LABELSCOPE_CONTACT", "labelscope-tests@example.org")
    data, plan = synthetic(400)
    store = Store(tmp_path / "f.duckdb")
    store.replace_library(LIB, data, name="Imported", kind="local")
    assert not any(f.known for f in load_families(store, LIB, load_library(store, LIB)
                                                  .label_index).values())
    with musicbrainz_for(plan) as fake:
        ctx = EnrichContext(store, LIB, SpotifyConfig(None, musicbrainz_url=fake.base_url),
                            sleep=lambda s: None)
        [result] = enrich(ctx, ["musicbrainz"])
        label_paths = [p for p in fake.paths() if p.startswith("/ws/2/label/")]
    assert len(label_paths) == len(set(label_paths))  # each label asked once
    assert result.added["label families"] == len(set(label_paths))
    library = load_library(store, LIB)
    families = load_families(store, LIB, library.label_index)
    assert families["Northlight"].parents[0].name == "Halcyon Music Group"
    assert families["Northlight"].top == "Halcyon Music Group"
    assert families["Lantern House"].known and not families["Lantern House"].parents
    table = rolled_up(library.tracks, families).set_index("label")
    members = set(table.loc["Halcyon Music Group", "members"])
    assert members == set(FAMILIES["Halcyon Music Group"]) & set(library.labels["label"])
    assert table.loc["Halcyon Music Group", "tracks"] == library.tracks["label"].isin(
        members).sum()
    store.close()


def test_demo_label_page_shows_its_family(app):
    at = app("app_pages/labels.py", label="Kestrel Sound")
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(m.value for m in at.markdown)
    assert "Kestrel Sound → owned by Meridian Records → owned by Concordia Music Holdings" in text
    family = next(df.value for df in at.dataframe if "Relation" in df.value.columns)
    assert {"parent", "same parent"} <= set(family["Relation"])
    at.toggle(key="label_family_rollup").set_value(True).run()
    assert any(m.label == "Tracks in the Concordia Music Holdings family" for m in at.metric)


def test_label_index_groups_by_parent(app):
    at = app("app_pages/labels.py")
    at.toggle(key="label_index_by_parent").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    grouped = next(df.value for df in at.dataframe if "Head" in df.value.columns)
    assert {"Concordia Music Holdings", "Keystone Media Group"} <= set(grouped["Head"])


def test_unknown_family_is_said(app, store):
    data, _ = synthetic(20)
    store.replace_library(LIB, data, name="Imported", kind="local")
    store.merge_library(LIB, type(data)({"albums": data.get("albums").assign(
        label_raw="Nobody Knows Records")}), name="Imported", kind="local")
    at = app("app_pages/labels.py", label="Nobody Knows Records")
    assert not at.exception, [e.value for e in at.exception]
    assert any("Family unknown" in c.value for c in at.caption)
