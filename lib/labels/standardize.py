"""Record-label standardisation: many messy raw album label strings → one label each.

Spotify's album ``label`` field mixes co-labels ("YG Entertainment/Interscope Records"),
distribution notes ("X, distributed through Y"), years and copyright marks ("℗ 2019 X"),
legal and generic suffixes ("Records", "Ltd.") and case. :func:`split_label` cuts a raw string into
the labels it names, :func:`label_key` reduces one such part to a grouping key, and
:func:`build_label_index` groups a library's raw strings and names each group after its most
common readable spelling ("THE BLACK LABEL", not "THEBLACKLABEL"; "Foxglove Recordings", not
"Foxglove Recordings Ltd").

:func:`build_label_index` also applies the user's corrections (:class:`lib.labels.edits.LabelEdit`:
merges, split aliases, renames); :mod:`lib.labels.edits` stores and reads them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from lib.labels.edits import LabelEdit

# Phrases that join two labels: "X, distributed through Y", "X under exclusive licence to Y".
_JOINERS = re.compile(
    r",?\s*\b(?:(?:exclusively\s+)?distributed\s+(?:through|by)|"
    r"under\s+(?:exclusive\s+)?licen[cs]e\s+(?:to|from)|exclusively\s+licen[cs]ed\s+to|"
    r"licen[cs]ed\s+to|marketed\s+(?:and\s+distributed\s+)?by|"
    r"manufactured\s+(?:and\s+distributed\s+)?by|in\s+association\s+with|a\s+division\s+of)\b\s*",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*[/;,|]\s*")
# "Republic Records - X": a sub-label written after its parent folds into the parent.
_SUB_LABEL = re.compile(r"\s+[-–—]\s+.*$")
_MARK = r"(?:\(c\)|\(p\)|©|℗|Ⓟ|copyright|\bc\b|\bp\b)"
_PREFIXES = re.compile(
    rf"^(?:{_MARK}\s*(?:(?:&|and)\s*)?)*"
    r"(?:(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?\b[\s,.]*)?"
    rf"(?:{_MARK}\s*)*",
    re.IGNORECASE,
)
# Legal forms: never part of a label's name ("Sony Music Entertainment Co., Ltd.").
_LEGAL = ("ltd", "limited", "llc", "l l c", "inc", "incorporated", "co", "corp", "corporation",
          "gmbh", "sa", "s a", "bv", "b v", "plc", "pty", "ab", "kk", "k k", "srl", "sl", "oy")
# Generic words at the end of a label name that do not tell labels apart. "Label" is kept on
# purpose: "THE BLACK LABEL" is a name, not "The Black" plus a suffix.
_GENERIC = ("records", "record", "recordings", "recording", "music", "music group", "musicgroup",
            "entertainment", "ent", "group", "company")
_SUFFIXES = _LEGAL + _GENERIC


def _words_re(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_SUFFIX_RE = re.compile(rf"(?:\s+(?:{_words_re(_SUFFIXES)}))+\s*$", re.IGNORECASE)
_LEGAL_TAIL = re.compile(rf"(?:[\s,]+(?:{_words_re(_LEGAL)})\.?)+\s*$", re.IGNORECASE)
_LEGAL_ONLY = re.compile(rf"^(?:(?:{_words_re(_LEGAL)})\.?\s*)+$", re.IGNORECASE)
# Suffixes glued on, as in "YELLOWDOORRECORDS/Parent Records".
_GLUED_SUFFIX = re.compile(r"(?:RECORDS|RECORDINGS|MUSICGROUP|MUSIC|ENTERTAINMENT)$")
_GLUED_WORDS = re.compile(r"^(\w{3,}?)(RECORDS|RECORDINGS|MUSIC|ENTERTAINMENT)$")


def split_label(raw: str | None) -> list[str]:
    """The label names in one raw label string, cleaned of prefixes and trailing marks.

    >>> split_label("2018 YG Entertainment, distributed through Interscope Records")
    ['YG Entertainment', 'Interscope Records']
    >>> split_label("Republic Records - Nightshift")
    ['Republic Records']
    >>> split_label("℗ 2019 Big Machine Records, LLC")
    ['Big Machine Records']
    """
    if raw is None:
        return []
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text:
        return []
    text = _JOINERS.sub("/", text)
    parts: list[str] = []
    for part in _SEPARATORS.split(text):
        part = _PREFIXES.sub("", part.strip()).strip()
        part = _SUB_LABEL.sub("", part)
        part = part.strip(" *.,;:-–—\"'").strip()
        if not part or _LEGAL_ONLY.match(part):  # "X, Inc." splits off a bare "Inc."
            continue
        part = _LEGAL_TAIL.sub("", part).strip(" *.,") or part
        if label_key(part) and part not in parts:
            parts.append(part)
    return parts


def label_key(part: str) -> str:
    """The grouping key of one label name: case, punctuation, spaces and generic suffixes dropped.

    >>> label_key("Interscope Records*") == label_key("INTERSCOPE") == "INTERSCOPE"
    True
    >>> label_key("THE BLACK LABEL") == label_key("THEBLACKLABEL")
    True
    """
    text = unicodedata.normalize("NFKC", part).strip().rstrip("*").strip()
    text = re.sub(r"[.,]", " ", text)
    stripped = _SUFFIX_RE.sub("", text).strip()
    if stripped:
        text = stripped
    key = "".join(ch for ch in text.casefold() if ch.isalnum()).upper()
    glued = _GLUED_SUFFIX.sub("", key)
    return glued if len(glued) >= 3 else key


def standardize_label(raw: str | None) -> list[str]:
    """The grouping keys of the labels a raw string names (see :func:`split_label`)."""
    keys: list[str] = []
    for part in split_label(raw):
        key = label_key(part)
        if key not in keys:
            keys.append(key)
    return keys


def display_spelling(part: str) -> str:
    """How one spelling of a label is shown: legal forms dropped, glued suffixes spaced.

    >>> display_spelling("Foxglove Recordings Ltd.")
    'Foxglove Recordings'
    >>> display_spelling("QUARRYRECORDS")
    'QUARRY RECORDS'
    """
    text = " ".join(part.split())
    text = _LEGAL_TAIL.sub("", text).strip(" ,.") or text
    glued = _GLUED_WORDS.match(text)
    if glued and text.isupper():
        text = f"{glued.group(1)} {glued.group(2)}"
    return text


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def choose_name(spellings: Mapping[str, int]) -> str:
    """The display name of a group of spellings (with track counts).

    Spellings that differ only in spaces and case form one family; the family with the most tracks
    wins, and within it the spelling with the most words ("THE BLACK LABEL" over
    "THEBLACKLABEL"), then the most tracks, then mixed case over ALL CAPS. Stable on ties.
    """
    families: dict[str, Counter] = defaultdict(Counter)
    for spelling, count in spellings.items():
        shown = display_spelling(spelling)
        families[_squash(shown)][shown] += int(count)
    best = min(families.values(), key=lambda c: (-sum(c.values()), -len(max(c, key=len)),
                                                   min(c)))
    return min(best.items(), key=lambda kv: (-len(kv[0].split()), -kv[1], kv[0].isupper(),
                                             kv[0]))[0]


@dataclass
class LabelIndex:
    """How a library's raw label strings map to labels.

    ``labels_of_raw[raw]`` is the list of label display names a raw string stands for (first named
    first); ``aliases[name]`` counts, per raw string, the tracks that appear under that label;
    ``name_of_key``/``key_of_name`` translate between grouping keys and display names.
    """

    labels_of_raw: dict[str, list[str]] = field(default_factory=dict)
    aliases: dict[str, Counter] = field(default_factory=dict)
    name_of_key: dict[str, str] = field(default_factory=dict)
    edits: tuple["LabelEdit", ...] = ()

    def labels(self, raw: str | None) -> list[str]:
        return self.labels_of_raw.get(raw, []) if raw is not None else []

    @property
    def key_of_name(self) -> dict[str, str]:
        return {name: key for key, name in self.name_of_key.items()}


def _as_edits(overrides: Mapping[str, str] | Sequence["LabelEdit"] | None
              ) -> tuple["LabelEdit", ...]:
    from lib.labels.edits import LabelEdit  # edits imports this module

    if not overrides:
        return ()
    if isinstance(overrides, Mapping):  # plain key → key merges
        return tuple(LabelEdit("merge", k, v) for k, v in overrides.items())
    return tuple(sorted(overrides, key=lambda e: e.edit_id))


def build_label_index(raw_counts: Mapping[str, int],
                      overrides: Mapping[str, str] | Sequence["LabelEdit"] | None = None
                      ) -> LabelIndex:
    """Group raw label strings (with their track counts) into labels.

    ``overrides`` are user edits (:class:`LabelEdit`, applied in ``edit_id`` order) or a plain
    mapping of grouping key → grouping key (merges). Each group is named by :func:`choose_name`
    from its own spellings (a merged-away label's spellings name the group only when the target
    has none left), unless the user renamed it; names are unique.
    """
    edits = _as_edits(overrides)
    merges: dict[str, str] = {}
    splits: dict[tuple[str, str], tuple[str, str]] = {}
    renames: dict[str, str] = {}
    for e in edits:
        if e.action == "merge" and e.target_key:
            merges[e.source_key] = e.target_key
        elif e.action == "split" and e.raw is not None and e.name:
            splits[(e.raw, e.source_key)] = (e.name, e.target_key or label_key(e.name))
        elif e.action == "rename" and e.name:
            renames[e.source_key] = e.name

    own: dict[str, Counter] = defaultdict(Counter)      # spellings whose own key is the group's
    merged: dict[str, Counter] = defaultdict(Counter)   # spellings merged in from other keys
    weak: dict[str, Counter] = defaultdict(Counter)     # names given to split-out aliases
    keys_of_raw: dict[str, list[str]] = {}
    for raw, count in raw_counts.items():
        keys: list[str] = []
        for part in split_label(raw):
            chain = merge_chain(label_key(part), merges)
            moved = next((splits[(raw, k)] for k in chain if (raw, k) in splits), None)
            if moved is not None:
                moved_name, moved_key = moved
                key = merge_chain(moved_key, merges)[-1]
                weak[key][moved_name] += int(count)
            else:
                key = chain[-1]
                (own if key == chain[0] else merged)[key][part] += int(count)
            if key not in keys:
                keys.append(key)
        keys_of_raw[raw] = keys

    name_of_key: dict[str, str] = {}
    used: set[str] = set()
    all_keys = sorted(set(own) | set(merged) | set(weak),
                      key=lambda k: (k not in renames, -sum((own[k] + merged[k] + weak[k]).values()), k))
    for key in all_keys:
        name = renames.get(key) or choose_name(own[key] or merged[key] or weak[key])
        base, i = name, 2
        while name.casefold() in used:
            name, i = f"{base} ({i})", i + 1
        used.add(name.casefold())
        name_of_key[key] = name
    index = LabelIndex(name_of_key=name_of_key, edits=edits)
    for raw, keys in keys_of_raw.items():
        names = [name_of_key[k] for k in keys]
        index.labels_of_raw[raw] = names
        for name in names:
            index.aliases.setdefault(name, Counter())[raw] += int(raw_counts[raw])
    return index


def merge_chain(key: str, merges: Mapping[str, str]) -> list[str]:
    """The key followed by every key it is merged into, in order.

    A cycle of merges (A into B, later B into A) ends on the cycle's smallest key, so every key
    in it lands in one group.
    """
    chain = [key]
    while chain[-1] in merges:
        nxt = merges[chain[-1]]
        if nxt in chain:
            cycle = chain[chain.index(nxt):]
            root = min(cycle)
            if chain[-1] != root:
                chain.append(root)
            break
        chain.append(nxt)
    return chain


def raw_counts(raws: Iterable[str | None]) -> Counter:
    """Track counts per raw label string (None and empty strings are skipped)."""
    return Counter(r for r in raws if r)
