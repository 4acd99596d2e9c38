"""The demo library's label families, fictional like the rest, in MusicBrainz's answer shape.

The demo's majors belong to two holding groups; its sub-labels ("Parent - Sub" on the albums)
are imprints of their major; every third indie with a major is owned by it (label ownership), the
other indies and the Korean agencies are only distributed by it (label distribution); the
Japanese labels stand alone. :func:`label_answers` returns what the MusicBrainz provider would
have cached for them (``label/{mbid}?inc=label-rels``), so the family code reads one shape.
"""

from __future__ import annotations

import uuid

HOLDINGS = {
    "Concordia Music Holdings": ["Meridian Records", "Northwind Recordings", "Bluebell Music",
                                 "Sunward Entertainment"],
    "Keystone Media Group": ["Atlasphere Music Group", "Halcyon Records", "Crownpoint Records",
                             "Ironbridge Records"],
}


def demo_mbid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"labelscope-demo-label:{name}"))


def _relations() -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Label name → MusicBrainz type, and (parent, child, relation) triples."""
    from lib.demo.generator import _label_catalog  # the demo's own label list
    types: dict[str, str] = {h: "Holding" for h in HOLDINGS}
    links: list[tuple[str, str, str]] = []
    for holding, majors in HOLDINGS.items():
        links += [(holding, major, "label ownership") for major in majors]
    indie_with_parent = 0
    for label in _label_catalog():
        if label.kind == "parent":
            types[label.name] = "Original Production"
        elif label.kind == "sub":
            types[label.name] = "Imprint"
            links.append((label.parent, label.name, "imprint"))
        elif label.parent and label.kind == "indie":
            owned = indie_with_parent % 3 == 0
            indie_with_parent += 1
            types[label.name] = "Imprint" if owned else "Original Production"
            links.append((label.parent, label.name,
                          "label ownership" if owned else "label distribution"))
        elif label.parent:
            types[label.name] = "Original Production"
            links.append((label.parent, label.name, "label distribution"))
        else:
            types[label.name] = "Original Production"
    return types, links


def label_answers() -> tuple[dict[str, str], dict[str, dict]]:
    """(label name → mbid, mbid → label answer with ``relations``) for the demo's labels."""
    types, links = _relations()
    answers = {demo_mbid(name): {"id": demo_mbid(name), "name": name, "type": t,
                                 "relations": []} for name, t in types.items()}

    def target(name: str) -> dict:
        a = answers[demo_mbid(name)]
        return {"id": a["id"], "name": a["name"], "type": a["type"]}
    for parent, child, relation in links:
        for owner, other, direction in ((parent, child, "forward"), (child, parent, "backward")):
            answers[demo_mbid(owner)]["relations"].append({
                "type": relation, "target-type": "label", "direction": direction,
                "ended": False, "label": target(other)})
    return {name: demo_mbid(name) for name in types}, answers

