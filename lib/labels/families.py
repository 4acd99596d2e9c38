"""Label families: where a record label sits among its parents, imprints and siblings.

MusicBrainz keeps label-to-label relations (``label/{mbid}?inc=label-rels``): ``imprint`` and
``label ownership`` link a parent (``entity0``) to the label it owns (``entity1``); seen from the
owned label the relation's ``direction`` is ``backward``. :func:`parent_relation` reads the
current parent from such an answer. :func:`family_table` joins those answers (cached by the
MusicBrainz provider in ``remote_cache``) with a library's labels: one row per label with its
MusicBrainz id, type and chain of parents.
"""

from __future__ import annotations

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
