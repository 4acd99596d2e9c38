"""Label families on the label pages and the label index (data: lib.labels.families).

:func:`family_section` shows where a label sits (parents up to the family's head, its imprints,
its siblings in the library) with a roll-up toggle; :func:`family_index_section` groups the label
index by family head. Families come from stored MusicBrainz answers (or the demo's fictional
ones); without them the page says the family is unknown instead of guessing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.labels.families import LabelFamily, load_families, rolled_up
from lib.store.library import Library
from ui.cache import get_library, get_store
from ui.tables import show_linked_table
from lib.reports.markdown import streamlit_text as md

RELATIONS = {"imprint": "imprint", "label ownership": "owned", "sibling": "same parent",
             "parent": "parent", "label distribution": "distributes it"}


@st.cache_resource(max_entries=6, show_spinner=False)
def _families(library_id: str, version: int) -> dict[str, LabelFamily]:
    return load_families(get_store(), library_id, get_library(library_id).label_index)


def families_of(library_id: str) -> dict[str, LabelFamily]:
    """The library's label families, computed once per library version."""
    return _families(library_id, get_store().version(library_id))


def _members(library: Library, family: LabelFamily) -> pd.DataFrame:
    """Label | Relation | Type | Tracks (Label names a label of the library, else is empty and
    the family member's name is under Member)."""
    rows = [(p.in_library or p.name, "parent" if i == 0 else "above the parent", p.type)
            for i, p in enumerate(family.parents)]
    rows += [(r.name, RELATIONS["imprint"], r.type) for r in family.imprints]
    rows += [(r.name, RELATIONS["sibling"], r.type) for r in family.siblings]
    rows += [(r.in_library or r.name, RELATIONS["label distribution"], r.type)
             for r in family.distributors]
    counts = library.labels.set_index("label")["tracks"]
    return pd.DataFrame({
        "Label": [n for n, _, _ in rows],
        "Relation": [r for _, r, _ in rows],
        "Type": [t for _, _, t in rows],
        "Tracks": [int(counts[n]) if n in counts.index else None for n, _, _ in rows]})


def family_section(library: Library, library_id: str, label: str) -> None:
    """The label's family (parents, imprints, siblings) and the roll-up toggle."""
    st.subheader("Label family", anchor=False)
    family = families_of(library_id).get(label)
    if family is None or not family.known:
        st.caption("Family unknown: MusicBrainz has not told us who owns this label or which "
                   "imprints it has. Fetch record labels from MusicBrainz on the Data page.")
        return
    kind = f" · {md(family.type)}" if family.type else ""
    st.markdown(f"**{md(family.chain())}**{kind}")
    if not (family.parents or family.imprints or family.siblings or family.distributors):
        st.caption("MusicBrainz knows this label but no parent or imprint of it.")
        return
    members = _members(library, family)
    in_library = members["Tracks"].notna()
    # Only labels of the library have a page: the others' names open nothing.
    show_linked_table(members.assign(Label=members["Label"].where(in_library)).assign(
        Member=members["Label"])[["Member", "Relation", "Type", "Tracks", "Label"]].rename(
        columns={"Label": "Page"}), key="label_family", links={"Page": "label"},
        column_config={
            "Member": st.column_config.TextColumn("Label"),
            "Tracks": st.column_config.NumberColumn("Tracks", format="localized",
                                                    help="Tracks in your library (empty: none)"),
            "Page": st.column_config.TextColumn("Page", help="Select to open the label's page")})
    if st.toggle("Count imprints under their parent", key="label_family_rollup",
                 help="Tracks of the whole family (this label's head and every label under it "
                      "in your library), each track once."):
        table = rolled_up(library.tracks, families_of(library_id))
        row = table[table["label"] == family.top]
        if len(row):
            r = row.iloc[0]
            st.metric(f"Tracks in the {family.top} family", f"{int(r['tracks']):,}",
                      help=f"{len(r['members'])} labels in your library: "
                           + ", ".join(r["members"]))


def family_index_section(library: Library, library_id: str) -> None:
    """A toggle on the label index: the labels grouped under their family's head."""
    if not st.toggle("Group by parent", key="label_index_by_parent",
                     help="Count imprints and owned labels under the head of their family "
                          "(MusicBrainz label relations)."):
        return
    families = families_of(library_id)
    if not any(f.known for f in families.values()):
        st.caption("Families unknown: fetch record labels from MusicBrainz on the Data page.")
        return
    table = rolled_up(library.tracks, families)
    grouped = table[table["members"].map(len) > 1]
    show_linked_table(pd.DataFrame({
        "Family": [n if n in families else None for n in grouped["label"]],
        "Head": grouped["label"].to_numpy(),
        "Tracks": grouped["tracks"].to_numpy(), "💚": grouped["liked"].to_numpy(),
        "Labels": grouped["members"].to_numpy()}),
        key="label_index_families", links={"Family": "label"}, column_config={
            "Family": st.column_config.TextColumn("Family", help="Select to open its page"),
            "Labels": st.column_config.ListColumn("Labels in your library")})
    st.caption(f"{len(grouped):,} families with more than one label; "
               f"{len(table) - len(grouped):,} labels stand alone.")
