"""Writing an import: a preview of each choice (no write), then one transaction.

- ``replace``: the library becomes exactly what the files hold.
- ``merge``: tracks are deduplicated by id (name-based ids are first matched to the library's
  tracks, artists and albums by name); new rows are added and known rows only get their gaps
  filled — a merge never erases a value (:meth:`lib.store.db.Store.merge_library`).
- ``features``: the files are only a feature source: audio features are written for tracks the
  library already has (by track id) and never overwrite known ones. Nothing else changes.

A failed write raises :class:`lib.store.db.StoreError` and leaves the library as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import pandas as pd

from lib.importers.build import Built, Known
from lib.store.db import AUDIO_FEATURES, LOCAL_LIBRARY_ID, LibraryData, Store

if TYPE_CHECKING:
    from lib.importers import ImportResult

Mode = Literal["replace", "merge", "features"]
MODES: tuple[str, ...] = ("replace", "merge", "features")
# Features that make a track count as "with audio features" (as lib.store.library's has_features).
CORE_FEATURES = list(AUDIO_FEATURES[:7])


def library_identity(store: Store, library_id: str) -> tuple[str, str]:
    """(name, kind) to write the library under: its current ones if it exists."""
    info = store.library(library_id)
    if info is not None:
        return info.name, info.kind
    if library_id == LOCAL_LIBRARY_ID or library_id.startswith(("session:", "user:")):
        return "Imported files", "import"  # hosted instances: one per session or user
    if library_id.startswith("spotify:"):
        return f"Spotify ({library_id.removeprefix('spotify:')})", "spotify"
    return library_id, "import"


def _lacking_features(store: Store, library_id: str) -> set[str]:
    missing = " OR ".join(f"af.{f} IS NULL" for f in CORE_FEATURES)
    rows = store.query(
        "SELECT t.track_id FROM tracks t LEFT JOIN audio_features af "
        "ON af.library_id = t.library_id AND af.track_id = t.track_id "
        f"WHERE t.library_id = ? AND (af.track_id IS NULL OR {missing})", [library_id])
    return set(rows["track_id"])


def _features_for(result: "ImportResult", track_ids: set[str]) -> pd.DataFrame:
    features = result.data.get("audio_features")
    features = features[features["track_id"].isin(track_ids)]
    return features[features[CORE_FEATURES].notna().any(axis=1)]


@dataclass
class Preview:
    """What each choice would do to the target library (computed without writing)."""

    library_id: str
    library_name: str
    current_tracks: int
    replace_tracks: int
    merge_new: int
    merge_known: int
    lacking_features: int
    fillable_features: int
    version: int = -1  # the library's version the preview was computed on
    merged: Built | None = field(default=None, repr=False)  # the import resolved for a merge

    def lines(self, name: str | None = None) -> list[str]:
        """One sentence per choice (Markdown bold); pass ``name`` already escaped for Markdown."""
        name = self.library_name if name is None else name
        out = [f"**Replace library**: “{name}” ({self.current_tracks:,} tracks now) becomes these "
               f"{self.replace_tracks:,} tracks.",
               f"**Merge into library**: {self.merge_new:,} new tracks are added; "
               f"{self.merge_known:,} already in “{name}” only get their gaps filled."]
        if self.fillable_features or self.lacking_features:
            out.append(f"**Fill missing audio features**: {self.lacking_features:,} tracks of "
                       f"“{name}” lack audio features; these files have them for "
                       f"{self.fillable_features:,}.")
        return out


def preview(result: "ImportResult", store: Store, library_id: str) -> Preview:
    """What Replace, Merge and Fill features would do to ``library_id``. Writes nothing."""
    name, _ = library_identity(store, library_id)
    version = store.version(library_id)
    current = store.counts(library_id)["tracks"] if version >= 0 else 0
    if current:
        merged = result.rebuild(Known.from_store(store, library_id))
        lacking = _lacking_features(store, library_id)
        fillable = len(_features_for(result, lacking)) if result.has_features else 0
    else:
        merged, lacking, fillable = result.built, set(), 0
    return Preview(library_id, name, current, result.built.stats["tracks"],
                   merged.stats["tracks_new"], merged.stats["tracks_known"], len(lacking),
                   fillable, version, merged)


@dataclass
class WriteReport:
    """The outcome of a write: the library's new version and counts."""

    library_id: str
    mode: str
    version: int
    tracks: int
    playlists: int
    features_filled: int = 0

    def message(self, name: str) -> str:
        if self.mode == "features":
            return (f"Filled audio features of {self.features_filled:,} tracks in “{name}” "
                    f"(version {self.version}).")
        verb = "Replaced" if self.mode == "replace" else "Merged into"
        return (f"{verb} “{name}”: now {self.tracks:,} tracks and {self.playlists:,} playlists "
                f"(version {self.version}).")


def write_import(store: Store, library_id: str, result: "ImportResult", mode: Mode, *,
                 plan: Preview | None = None) -> WriteReport:
    """Write the import into ``library_id`` as one transaction (see the module docstring).

    ``plan``, the :func:`preview` shown to the user, saves resolving the files again for a merge
    when the library has not changed since.

    Raises ``ValueError`` for an unknown mode or a features-only import with nothing to fill,
    :class:`lib.store.db.StoreError` when the write fails (the library is then unchanged).
    """
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}; use one of {', '.join(MODES)}")
    name, kind = library_identity(store, library_id)
    filled = 0
    if mode == "features":
        if not result.has_features:
            raise ValueError("these files carry no audio features to fill in")
        if store.version(library_id) < 0 or not store.counts(library_id)["tracks"]:
            raise ValueError(f"the library “{name}” has no tracks whose features could be filled;"
                             " import it first (Replace or Merge)")
        lacking = _lacking_features(store, library_id)
        features = _features_for(result, lacking)
        filled = len(features)
        version = store.merge_library(library_id, LibraryData({"audio_features": features}),
                                      name=name, kind=kind)
    elif result.built.stats["tracks"] == 0:
        raise ValueError("these files hold no tracks (only headers, podcasts or skipped rows); "
                         f"{'replacing' if mode == 'replace' else 'merging'} would change "
                         "nothing useful, so nothing was written")
    elif mode == "replace":
        version = store.replace_library(library_id, result.data, name=name, kind=kind)
    else:
        if (plan is not None and plan.merged is not None and plan.library_id == library_id
                and plan.version == store.version(library_id)):
            data = plan.merged.data
        elif store.version(library_id) >= 0:
            data = result.rebuild(Known.from_store(store, library_id)).data
        else:
            data = result.data
        version = store.merge_library(library_id, data, name=name, kind=kind)
    counts = store.counts(library_id)
    return WriteReport(library_id, mode, version, counts["tracks"], counts["playlists"], filled)
