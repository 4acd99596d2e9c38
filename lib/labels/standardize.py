"""Record-label standardisation: many messy raw album label strings → one label each.

Spotify's album ``label`` field mixes co-labels ("YG Entertainment/Interscope Records"),
distribution notes ("X, distributed through Y"), years and copyright marks ("℗ 2019 X"),
legal and generic suffixes ("Records", "Ltd.") and case. :func:`split_label` cuts a raw string into
the labels it names, :func:`label_key` reduces one such part to a grouping key, and
:func:`build_label_index` groups a library's raw strings and names each group after its most
common readable spelling ("THE BLACK LABEL", not "THEBLACKLABEL"; "Foxglove Recordings", not
"Foxglove Recordings Ltd").

Users correct the result with *label edits* stored per library in the ``label_edits`` table:
merge one label into another, split a raw alias out of a label (into a new label or another
existing one), or rename a label. :func:`load_label_edits` reads them (``lib.store.library.load_library``
applies them on every load); :func:`merge_labels`, :func:`split_alias`, :func:`rename_label` and
:func:`undo_edit` write them and bump the library version so cached libraries reload.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from lib.store.db import Store

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


# -- user edits ----------------------------------------------------------------------------------
EDIT_ACTIONS: tuple[str, ...] = ("merge", "split", "rename")


class LabelEditError(ValueError):
    """A label edit that cannot be applied (unknown label, nothing would change…)."""


@dataclass(frozen=True)
class LabelEdit:
    """One user correction of the label grouping.

    - ``merge``: the label with key ``source_key`` joins the label with key ``target_key``.
    - ``split``: the raw string ``raw`` no longer counts under the label ``source_key``; its
      tracks go to the label called ``name`` (a new one, or an existing one of that name).
    - ``rename``: the label ``source_key`` is shown as ``name``.

    ``source_name``/``target_name`` are the names shown when the edit was made (for the list).
    """

    action: str
    source_key: str
    target_key: str | None = None
    raw: str | None = None
    name: str | None = None
    source_name: str | None = None
    target_name: str | None = None
    edit_id: int = 0
    created_at: datetime | None = None

    def describe(self) -> str:
        """A one-line, plain-text description: 'Merged "A" into "B"'."""
        if self.action == "merge":
            return f'Merged "{self.source_name or self.source_key}" into ' \
                   f'"{self.target_name or self.target_key}"'
        if self.action == "split":
            return f'Moved alias "{self.raw}" out of "{self.source_name or self.source_key}" ' \
                   f'into "{self.name}"'
        return f'Renamed "{self.source_name or self.source_key}" to "{self.name}"'


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
    edits: tuple[LabelEdit, ...] = ()

    def labels(self, raw: str | None) -> list[str]:
        return self.labels_of_raw.get(raw, []) if raw is not None else []

    @property
    def key_of_name(self) -> dict[str, str]:
        return {name: key for key, name in self.name_of_key.items()}


def _as_edits(overrides: Mapping[str, str] | Sequence[LabelEdit] | None) -> tuple[LabelEdit, ...]:
    if not overrides:
        return ()
    if isinstance(overrides, Mapping):  # plain key → key merges
        return tuple(LabelEdit("merge", k, v) for k, v in overrides.items())
    return tuple(sorted(overrides, key=lambda e: e.edit_id))


def build_label_index(raw_counts: Mapping[str, int],
                      overrides: Mapping[str, str] | Sequence[LabelEdit] | None = None
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
            chain = _chain(label_key(part), merges)
            moved = next((splits[(raw, k)] for k in chain if (raw, k) in splits), None)
            if moved is not None:
                moved_name, moved_key = moved
                key = _chain(moved_key, merges)[-1]
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


def _chain(key: str, merges: Mapping[str, str]) -> list[str]:
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


def _resolve(key: str, overrides: Mapping[str, str]) -> str:
    return _chain(key, overrides)[-1]


def raw_counts(raws: Iterable[str | None]) -> Counter:
    """Track counts per raw label string (None and empty strings are skipped)."""
    return Counter(r for r in raws if r)


# -- stored edits ------------------------------------------------------------------------------
_EDIT_COLUMNS = ("edit_id", "action", "source_key", "target_key", "raw", "name", "source_name",
                 "target_name", "created_at")


def load_label_edits(store: "Store", library_id: str) -> list[LabelEdit]:
    """The library's label edits, oldest first."""
    frame = store.query(f"SELECT {', '.join(_EDIT_COLUMNS)} FROM label_edits "
                        "WHERE library_id = ? ORDER BY edit_id", [library_id])
    out = []
    for row in frame.itertuples(index=False):
        values = {c: (None if _missing(getattr(row, c)) else getattr(row, c))
                  for c in _EDIT_COLUMNS}
        values["edit_id"] = int(values["edit_id"])
        out.append(LabelEdit(**values))
    return out


def _missing(value: object) -> bool:
    try:
        return value is None or bool(value != value)  # NaN / NaT
    except (TypeError, ValueError):
        return False


def _save(store: "Store", library_id: str, edit: LabelEdit) -> LabelEdit:
    if store.version(library_id) < 0:
        raise LabelEditError(f"There is no library '{library_id}'.")
    with store.cursor() as cur:
        cur.execute("BEGIN TRANSACTION")
        try:
            edit_id = int(cur.execute("SELECT coalesce(max(edit_id), 0) + 1 FROM label_edits "
                                      "WHERE library_id = ?", [library_id]).fetchone()[0])
            now = datetime.now(timezone.utc)
            cur.execute("INSERT INTO label_edits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [library_id, edit_id, edit.action, edit.source_key, edit.target_key,
                         edit.raw, edit.name, edit.source_name, edit.target_name, now])
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise
    store.touch(library_id)
    return LabelEdit(**{**edit.__dict__, "edit_id": edit_id, "created_at": now})


def _key(index: LabelIndex, name: str) -> str:
    key = index.key_of_name.get(name)
    if key is None:
        raise LabelEditError(f"No label called '{name}' in this library.")
    return key


def merge_labels(store: "Store", library_id: str, index: LabelIndex, source: str,
                 target: str) -> LabelEdit:
    """Merge the label named ``source`` into the one named ``target`` (which keeps its name)."""
    source_key, target_key = _key(index, source), _key(index, target)
    if source_key == target_key:
        raise LabelEditError(f"'{source}' and '{target}' are already one label.")
    return _save(store, library_id, LabelEdit("merge", source_key, target_key,
                                              source_name=source, target_name=target))


def split_alias(store: "Store", library_id: str, index: LabelIndex, label: str, raw: str,
                new_name: str) -> LabelEdit:
    """Move the raw label string ``raw`` out of ``label`` into the label called ``new_name``.

    ``new_name`` may be a new label or an existing one (the alias then joins it).
    """
    key = _key(index, label)
    if raw not in index.aliases.get(label, {}):
        raise LabelEditError(f"'{raw}' is not an alias of '{label}'.")
    new_name = " ".join(str(new_name or "").split())
    if not new_name or not label_key(new_name):
        raise LabelEditError("Give the label the alias should move to a name.")
    merges = {e.source_key: e.target_key for e in index.edits
              if e.action == "merge" and e.target_key}
    target_key = index.key_of_name.get(new_name) or label_key(new_name)
    if _chain(target_key, merges)[-1] == key:
        raise LabelEditError(f"'{new_name}' is grouped with '{label}' itself: choose another name "
                             "(or rename the label instead).")
    return _save(store, library_id, LabelEdit("split", key, target_key, raw=raw, name=new_name,
                                              source_name=label, target_name=new_name))


def rename_label(store: "Store", library_id: str, index: LabelIndex, label: str,
                 new_name: str) -> LabelEdit:
    """Show the label ``label`` as ``new_name`` from now on."""
    key = _key(index, label)
    new_name = " ".join(str(new_name or "").split())
    if not new_name:
        raise LabelEditError("A label needs a name.")
    if new_name == label:
        raise LabelEditError(f"The label is already called '{label}'.")
    clash = next((n for k, n in index.name_of_key.items()
                  if k != key and n.casefold() == new_name.casefold()), None)
    if clash is not None:
        raise LabelEditError(f"Another label is already called '{clash}': merge the two instead.")
    return _save(store, library_id, LabelEdit("rename", key, raw=None, name=new_name,
                                              source_name=label, target_name=new_name))


def undo_edit(store: "Store", library_id: str, edit_id: int | None = None) -> LabelEdit | None:
    """Remove one edit (the latest when ``edit_id`` is None); returns it, or None if none."""
    edits = load_label_edits(store, library_id)
    if not edits:
        return None
    edit = edits[-1] if edit_id is None else next((e for e in edits if e.edit_id == edit_id), None)
    if edit is None:
        raise LabelEditError(f"There is no label edit #{edit_id} in this library.")
    with store.cursor() as cur:
        cur.execute("DELETE FROM label_edits WHERE library_id = ? AND edit_id = ?",
                    [library_id, edit.edit_id])
    store.touch(library_id)
    return edit


def clear_edits(store: "Store", library_id: str) -> int:
    """Remove every label edit of the library; returns how many there were."""
    n = len(load_label_edits(store, library_id))
    if n:
        with store.cursor() as cur:
            cur.execute("DELETE FROM label_edits WHERE library_id = ?", [library_id])
        store.touch(library_id)
    return n
