"""Record-label standardisation: many messy raw album label strings → one label each.

Spotify's album ``label`` field mixes co-labels ("YG Entertainment/Interscope Records"),
distribution notes ("X, distributed through Y"), years and copyright marks ("℗ 2019 X"),
legal and generic suffixes ("Records", "Ltd.") and case. :func:`split_label` cuts a raw string into
the labels it names, :func:`label_key` reduces one such part to a grouping key, and
:func:`build_label_index` groups a library's raw strings and names each group after its most
common spelling.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

# Phrases that join two labels: "X, distributed through Y", "X under exclusive licence to Y".
_JOINERS = re.compile(
    r",?\s*\b(?:distributed\s+(?:through|by)|under\s+exclusive\s+licen[cs]e\s+to|"
    r"exclusively\s+licen[cs]ed\s+to|licen[cs]ed\s+to|marketed\s+(?:and\s+distributed\s+)?by|"
    r"manufactured\s+(?:and\s+distributed\s+)?by|in\s+association\s+with|under\s+licen[cs]e\s+to)\b\s*",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*[/;,|]\s*")
# "Republic Records - X": a sub-label written after its parent folds into the parent.
_SUB_LABEL = re.compile(r"\s+[-–—]\s+.*$")
_PREFIXES = re.compile(
    r"^(?:(?:\(c\)|\(p\)|©|℗|copyright|\bc\b|\bp\b)\s*)*(?:(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?\b[\s,.]*)?"
    r"(?:(?:\(c\)|\(p\)|©|℗)\s*)*",
    re.IGNORECASE,
)
# Generic words at the end of a label name that do not tell labels apart. "Label" is kept on
# purpose: "THE BLACK LABEL" is a name, not "The Black" plus a suffix.
_SUFFIXES = (
    "records", "record", "recordings", "recording", "music", "music group", "musicgroup",
    "ltd", "limited", "llc", "inc", "incorporated", "co", "corp", "gmbh", "sa", "s a", "bv",
    "plc", "pty", "ab", "kk", "k k",
)
_SUFFIX_RE = re.compile(r"(?:\s+(?:" + "|".join(re.escape(s) for s in sorted(_SUFFIXES, key=len, reverse=True))
                        + r"))+\s*$", re.IGNORECASE)


_GLUED_SUFFIX = re.compile(r"(?:RECORDS|RECORDINGS|MUSICGROUP|MUSIC)$")


def split_label(raw: str | None) -> list[str]:
    """The label names in one raw label string, cleaned of prefixes and trailing marks.

    >>> split_label("2018 YG Entertainment, distributed through Interscope Records")
    ['YG Entertainment', 'Interscope Records']
    >>> split_label("Republic Records - Nightshift")
    ['Republic Records']
    """
    if raw is None:
        return []
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text:
        return []
    text = _JOINERS.sub("/", text)
    parts: list[str] = []
    for part in _SEPARATORS.split(text):
        part = _SUB_LABEL.sub("", part.strip())
        part = _PREFIXES.sub("", part).strip()
        part = part.strip(" *.,;:-–—\"'").strip()
        if part and label_key(part) and part not in parts:
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
    # Suffixes glued on, as in "YELLOWDOORRECORDS/Parent Records".
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


@dataclass
class LabelIndex:
    """How a library's raw label strings map to labels.

    ``labels_of_raw[raw]`` is the list of label display names a raw string stands for (first named
    first); ``aliases[name]`` counts, per raw string, the tracks that appear under that label.
    """

    labels_of_raw: dict[str, list[str]] = field(default_factory=dict)
    aliases: dict[str, Counter] = field(default_factory=dict)
    name_of_key: dict[str, str] = field(default_factory=dict)

    def labels(self, raw: str | None) -> list[str]:
        return self.labels_of_raw.get(raw, []) if raw is not None else []


def build_label_index(raw_counts: Mapping[str, int],
                      overrides: Mapping[str, str] | None = None) -> LabelIndex:
    """Group raw label strings (with their track counts) into labels.

    ``overrides`` maps a grouping key to another key (user merges), applied before naming.
    Each group is named after its most common spelling, counted in tracks; ties go to the longer,
    then alphabetically first spelling, so results are stable.
    """
    overrides = dict(overrides or {})
    spellings: dict[str, Counter] = defaultdict(Counter)
    keys_of_raw: dict[str, list[str]] = {}
    for raw, count in raw_counts.items():
        keys: list[str] = []
        for part in split_label(raw):
            key = _resolve(label_key(part), overrides)
            spellings[key][part] += int(count)
            if key not in keys:
                keys.append(key)
        keys_of_raw[raw] = keys
    name_of_key = {key: min(c.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]
                   for key, c in spellings.items()}
    index = LabelIndex(name_of_key=name_of_key)
    for raw, keys in keys_of_raw.items():
        names = [name_of_key[k] for k in keys]
        index.labels_of_raw[raw] = names
        for name in names:
            index.aliases.setdefault(name, Counter())[raw] += int(raw_counts[raw])
    return index


def _resolve(key: str, overrides: Mapping[str, str]) -> str:
    seen = {key}
    while key in overrides and overrides[key] not in seen:
        key = overrides[key]
        seen.add(key)
    return key


def raw_counts(raws: Iterable[str | None]) -> Counter:
    """Track counts per raw label string (None and empty strings are skipped)."""
    return Counter(r for r in raws if r)
