"""Label families: where a record label sits among its parents, imprints and siblings.

MusicBrainz keeps label-to-label relations (``label/{mbid}?inc=label-rels``): ``imprint`` and
``label ownership`` link a parent (``entity0``) to the label it owns (``entity1``); seen from the
owned label the relation's ``direction`` is ``backward``. :func:`parent_relation` reads the
current parent from such an answer. :func:`family_table` joins those answers (cached by the
MusicBrainz provider in ``remote_cache``) with a library's labels: one row per label with its
MusicBrainz id, type and chain of parents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping

from lib.labels.standardize import LabelIndex, label_key, merge_chain

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from lib.store.db import Store

PARENT_RELATIONS = ("imprint", "label ownership")


def parent_relation(label: dict) -> dict | None:
    """The label owning ``label`` (a MusicBrainz label answer with relations), or None.

    Returns ``{"id", "name", "type", "relation"}``; ended relations (a sold label's former owner)
    are skipped, ``imprint`` wins over ``label ownership``.
    """
    best = None
    for rel in label.get("relations") or []:
        if (rel or {}).get("target-type") != "label" or rel.get("direction") != "backward" \
                or rel.get("type") not in PARENT_RELATIONS or rel.get("ended"):
            continue
        target = rel.get("label") or {}
        if not target.get("id") or target.get("id") == label.get("id"):
            continue
        candidate = {"id": target["id"], "name": target.get("name") or "",
                     "type": target.get("type"), "relation": rel["type"]}
        if best is None or (candidate["relation"] == "imprint" and best["relation"] != "imprint"):
            best = candidate
    return best


DISTRIBUTION = "label distribution"
MAX_DEPTH = 6


@dataclass(frozen=True)
class Relative:
    """A label related to the one shown: its MusicBrainz name, how, and its name in the library."""

    name: str
    mbid: str
    relation: str            # "imprint", "label ownership", "label distribution"
    type: str | None         # MusicBrainz label type: Imprint, Original Production, Holding…
    in_library: str | None   # the library's label this is (after the user's edits), if any


@dataclass(frozen=True)
class LabelFamily:
    """Where one library label sits. ``known`` is False when MusicBrainz has not answered."""

    label: str
    known: bool
    mbid: str | None = None
    type: str | None = None
    parents: tuple[Relative, ...] = ()      # nearest first, up to the top of the family
    imprints: tuple[Relative, ...] = ()     # labels it owns that are in the library
    siblings: tuple[Relative, ...] = ()     # other library labels with the same parent
    distributors: tuple[Relative, ...] = ()

    @property
    def top(self) -> str:
        """The family's head as a library label name, else its MusicBrainz name, else itself."""
        if not self.parents:
            return self.label
        head = self.parents[-1]
        return head.in_library or head.name

    def chain(self) -> str:
        """"Aftermath → imprint of Interscope Records → label ownership of UMG"-style line."""
        parts = [self.label]
        for p in self.parents:
            parts.append(f"{'imprint' if p.relation == 'imprint' else 'owned by'} "
                         f"{'of ' if p.relation == 'imprint' else ''}{p.in_library or p.name}")
        return " → ".join(parts)


def library_name_resolver(index: LabelIndex) -> Callable[[str], str | None]:
    """MusicBrainz label name → the library's label name (the user's merges and renames win)."""
    merges = {e.source_key: e.target_key for e in index.edits
              if e.action == "merge" and e.target_key}

    def resolve(name: str) -> str | None:
        if name in index.labels_of_raw and len(index.labels_of_raw[name]) == 1:
            return index.labels_of_raw[name][0]  # the raw string itself is in the library
        key = label_key(name)
        return index.name_of_key.get(merge_chain(key, merges)[-1]) if key else None
    return resolve


def build_families(index: LabelIndex, label_ids: Mapping[str, str],
                   answers: Mapping[str, dict]) -> dict[str, LabelFamily]:
    """One :class:`LabelFamily` per library label.

    Parameters
    ----------
    index : the library's label index (its names, after the user's edits).
    label_ids : MusicBrainz label name → label id, as met on the library's releases.
    answers : label id → MusicBrainz label answer with ``relations`` (``inc=label-rels``).
    """
    resolve = library_name_resolver(index)
    mbids_of: dict[str, list[str]] = {}
    for name, mbid in label_ids.items():
        lib_name = resolve(name)
        if lib_name:
            mbids_of.setdefault(lib_name, []).append(mbid)
    lib_of_mbid = {m: n for n, ms in mbids_of.items() for m in ms}

    def relative(target: dict, relation: str) -> Relative:
        return Relative(target.get("name") or "", target["id"], relation, target.get("type"),
                        lib_of_mbid.get(target["id"]))

    def parents_of(mbid: str) -> list[Relative]:
        chain, seen = [], {mbid}
        while len(chain) < MAX_DEPTH:
            parent = parent_relation(answers.get(mbid) or {})
            if not parent or parent["id"] in seen:
                break
            chain.append(relative(parent, parent["relation"]))
            seen.add(parent["id"])
            mbid = parent["id"]
        return chain

    direct_parent: dict[str, str | None] = {}
    chosen: dict[str, str] = {}
    for name, mbids in mbids_of.items():
        known = [m for m in mbids if m in answers]
        if known:  # the MusicBrainz label with the longest known chain speaks for the group
            chosen[name] = max(known, key=lambda m: (len(parents_of(m)), m))
            first = parent_relation(answers[chosen[name]])
            direct_parent[name] = first["id"] if first else None
    families: dict[str, LabelFamily] = {}
    for name in index.name_of_key.values():
        mbid = chosen.get(name)
        if mbid is None:
            families[name] = LabelFamily(name, known=False)
            continue
        answer = answers[mbid]
        parents = tuple(p for p in parents_of(mbid) if p.in_library != name)
        own = set(mbids_of[name])
        imprints = tuple(sorted(
            (Relative(other, chosen[other], "imprint", answers[chosen[other]].get("type"), other)
             for other, parent in direct_parent.items() if parent in own and other != name),
            key=lambda r: r.name))
        parent_id = direct_parent.get(name)
        siblings = tuple(sorted(
            (Relative(other, chosen[other], "sibling", answers[chosen[other]].get("type"), other)
             for other, parent in direct_parent.items()
             if parent_id and parent == parent_id and other != name),
            key=lambda r: r.name))
        distributors = tuple(
            relative(rel["label"], DISTRIBUTION) for rel in answer.get("relations") or []
            if rel.get("type") == DISTRIBUTION and rel.get("direction") == "backward"
            and (rel.get("label") or {}).get("id") and not rel.get("ended"))
        families[name] = LabelFamily(name, True, mbid, answer.get("type"), parents, imprints,
                                     siblings, distributors)
    return families


def family_sources(store: "Store", library_id: str, kind: str) -> tuple[dict[str, str],
                                                                          dict[str, dict]]:
    """(label name → mbid, mbid → label answer) for a library: the demo's own fictional
    families, else what the MusicBrainz provider cached."""
    if kind == "demo":
        from lib.demo.families import label_answers
        return label_answers()
    from lib.enrichment.musicbrainz import PROVIDER, label_ids_in_cache
    from lib.store.remote_cache import OK, RemoteCache
    ids = label_ids_in_cache(store)
    answers: dict[str, dict] = {}
    wave = set(ids.values())
    cache = RemoteCache(store)
    for _ in range(MAX_DEPTH + 1):  # parents of parents, as far as answers go
        found = cache.get_many(PROVIDER, [f"label:{m}" for m in wave if m not in answers])
        new = {k.split(":", 1)[1]: p for k, (status, p) in found.items() if status == OK and p}
        answers.update(new)
        wave = {p["id"] for p in map(parent_relation, new.values()) if p}
        if not wave:
            break
    return ids, answers


def load_families(store: "Store", library_id: str, index: LabelIndex) -> dict[str, LabelFamily]:
    """The families of a library's labels, from what is stored (no network)."""
    info = store.library(library_id)
    ids, answers = family_sources(store, library_id, info.kind if info else "")
    return build_families(index, ids, answers)


def rolled_up(tracks: "pd.DataFrame", families: Mapping[str, LabelFamily]) -> "pd.DataFrame":
    """Labels with their imprints counted under the family's head.

    One row per family head: ``label``, ``tracks`` (distinct), ``liked``, ``members`` (library
    labels in the family, head first), sorted by tracks. Labels with no known family stand alone.
    """
    import pandas as pd
    per = tracks[["track_id", "labels", "liked"]].explode("labels").dropna(subset=["labels"])
    per["family"] = [families[l].top if l in families else l for l in per["labels"]]
    per = per.drop_duplicates(["track_id", "family"])
    g = per.groupby("family")
    out = pd.DataFrame({"tracks": g["track_id"].nunique(),
                        "liked": g["liked"].sum().astype(int),
                        "members": g["labels"].agg(lambda s: sorted(set(s)))})
    out = out.reset_index(names="label")
    out["members"] = [[lab] + [m for m in ms if m != lab] if lab in ms else ms
                      for lab, ms in zip(out["label"], out["members"])]
    return out.sort_values(["tracks", "label"], ascending=[False, True], ignore_index=True)
