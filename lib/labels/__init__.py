"""Record labels: messy raw label strings merged into one label each (:mod:`.standardize`), and
the user's stored corrections of that grouping (:mod:`.edits`).

    index = build_label_index(raw_counts(tracks["label_raw"]), load_label_edits(store, "local"))
    index.labels("YG Entertainment/Interscope Records")   # the two labels it names
    merge_labels(store, "local", index, "Interscope", "Interscope Geffen A&M")

Errors: :class:`LabelEditError` (an edit that cannot be applied).
"""

from lib.labels.edits import (
    EDIT_ACTIONS, LabelEdit, LabelEditError, clear_edits, load_label_edits, merge_labels,
    rename_label, split_alias, undo_edit,
)
from lib.labels.standardize import (
    LabelIndex, build_label_index, choose_name, display_spelling, label_key, raw_counts,
    split_label, standardize_label,
)

__all__ = [
    "EDIT_ACTIONS", "LabelEdit", "LabelEditError", "LabelIndex", "build_label_index",
    "choose_name", "clear_edits", "display_spelling", "label_key", "load_label_edits",
    "merge_labels", "raw_counts", "rename_label", "split_alias", "split_label",
    "standardize_label", "undo_edit",
]
