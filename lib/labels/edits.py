"""The user's corrections of the label grouping, stored per library in the ``label_edits`` table.

A :class:`LabelEdit` merges one label into another, splits a raw alias out of a label (into a new
label or another existing one), or renames a label; :func:`lib.labels.standardize.build_label_index`
applies them. :func:`load_label_edits` reads them (``lib.store.library.load_library`` applies them
on every load); :func:`merge_labels`, :func:`split_alias`, :func:`rename_label`, :func:`undo_edit`
and :func:`clear_edits` write them, each in one transaction with the bump of the library version
that makes cached libraries reload (:meth:`lib.store.db.Store.changing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from lib.labels.standardize import LabelIndex, label_key, merge_chain

if TYPE_CHECKING:  # pragma: no cover
    from lib.store.db import Store

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
    with store.changing(library_id) as cur:
        edit_id = int(cur.execute("SELECT coalesce(max(edit_id), 0) + 1 FROM label_edits "
                                  "WHERE library_id = ?", [library_id]).fetchone()[0])
        now = datetime.now(timezone.utc)
        cur.execute("INSERT INTO label_edits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [library_id, edit_id, edit.action, edit.source_key, edit.target_key,
                     edit.raw, edit.name, edit.source_name, edit.target_name, now])
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
    if merge_chain(target_key, merges)[-1] == key:
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
    with store.changing(library_id) as cur:
        cur.execute("DELETE FROM label_edits WHERE library_id = ? AND edit_id = ?",
                    [library_id, edit.edit_id])
    return edit


def clear_edits(store: "Store", library_id: str) -> int:
    """Remove every label edit of the library; returns how many there were."""
    n = len(load_label_edits(store, library_id))
    if n:
        with store.changing(library_id) as cur:
            cur.execute("DELETE FROM label_edits WHERE library_id = ?", [library_id])
    return n
