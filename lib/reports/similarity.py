"""Report sections of lib.analysis.similarity: "Labels that sound like …" (label and artist
reports) and "Labels you love most" / "Labels you may be overlooking" (the overview report)."""

from __future__ import annotations

import pandas as pd

from lib.analysis.similarity import SoundsLike
from lib.reports import markdown as md
from lib.reports.document import Doc

_PLURALS = {"label": "Labels", "artist": "Artists"}


def add_sounds_like(doc: Doc, answer: SoundsLike) -> None:
    """"## Labels that sound like X": the closest ones with similarity, words and why."""
    heading = f"## {_PLURALS[answer.kind]} that sound like {md.text(answer.name)}"
    if answer.message:
        doc.add(heading, md.text(answer.message))
        return
    rows = [[doc.page_link(answer.kind, r.name), f"{r.similarity:.0%}", md.text(r.words),
             md.text(r.alike), md.text(r.apart), f"{int(r.tracks):,}"]
            for r in answer.closest.itertuples(index=False)]
    doc.add(heading,
            "Compared on the whole distribution of each audio feature (earth mover's distance in "
            "library standard deviations), not only the averages.",
            md.table([_PLURALS[answer.kind][:-1], "Similarity", "In words", "Alike in",
                      "What sets it apart", "Tracks"], rows,
                     ["left", "right", "left", "left", "left", "right"]))


def add_loved_labels(doc: Doc, loved: pd.DataFrame, overlooked: pd.DataFrame) -> None:
    """The overview's "Labels you love most" and "Labels you may be overlooking"."""
    if not loved.empty:
        rows = [[doc.page_link("label", r.label), f"{r.liked_share:.0%}",
                 f"{r.score_per_track:.1f}", f"{int(r.tracks):,}"]
                for r in loved.itertuples(index=False)]
        doc.add("## Labels you love most", "By liked share and listening per track together.",
                md.table(["Label", "Liked", "Minutes per track", "Tracks"], rows,
                         ["left", "right", "right", "right"]))
    if not overlooked.empty:
        rows = [[doc.page_link("label", r.label), doc.page_link("label", r.like),
                 f"{r.similarity:.0%}", f"{r.liked_share:.0%}", f"{int(r.tracks):,}"]
                for r in overlooked.itertuples(index=False)]
        doc.add("## Labels you may be overlooking",
                "Close in sound to a label you love, liked and played less than most labels.",
                md.table(["Label", "Sounds like", "Similarity", "Liked", "Tracks"], rows,
                         ["left", "left", "right", "right", "right"]))
