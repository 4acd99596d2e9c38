"""Scopes: the part of a library a page or a clustering looks at.

A scope is the whole library, the liked tracks, or one label, artist, playlist or genre, named the
way URLs name it (``scope=label&name=Kestrel%20Sound``). Every page, the clustering and the
reports select tracks through :func:`scope_tracks`, so "the tracks of a label" means one thing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.store.kinds import KINDS
from lib.store.library import Library

WHOLE_KINDS: tuple[str, ...] = ("library", "liked")  # scopes without a name
# The kinds registered at import (lib.store.kinds); checks read KINDS itself, so a kind
# registered later is a scope too.
NAMED_KINDS: tuple[str, ...] = tuple(KINDS)
SCOPE_KINDS: tuple[str, ...] = WHOLE_KINDS + NAMED_KINDS


class ScopeError(ValueError):
    """A scope that does not exist in the library (unknown kind or name)."""


@dataclass(frozen=True)
class Scope:
    kind: str = "library"
    name: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in WHOLE_KINDS and self.kind not in KINDS:
            raise ScopeError(f"Unknown scope '{self.kind}': choose one of "
                             f"{', '.join(WHOLE_KINDS + tuple(KINDS))}.")
        if self.kind in KINDS and not self.name:
            raise ScopeError(f"A {self.kind} scope needs a name.")

    @property
    def title(self) -> str:
        """How headings name the scope: "Kestrel Sound", "Liked Songs", "the whole library"."""
        if self.kind == "library":
            return "the whole library"
        if self.kind == "liked":
            return "Liked Songs"
        return str(self.name)

    def query_params(self) -> dict[str, str]:
        params = {"scope": self.kind}
        if self.name:
            params["name"] = self.name
        return params

    @classmethod
    def from_params(cls, params: dict[str, str]) -> "Scope":
        kind = params.get("scope", "library") or "library"
        return cls(kind, params.get("name") or None)


def scope_names(library: Library, kind: str) -> list[str]:
    """Names available for a scope kind, biggest first ([] for the library and liked scopes)."""
    return KINDS[kind].names(library) if kind in KINDS else []


def scope_mask(library: Library, scope: Scope) -> np.ndarray:
    """Boolean mask over ``library.tracks`` of the tracks in the scope. Raises ScopeError if
    unknown."""
    tracks = library.tracks
    if scope.kind == "library":
        return np.ones(len(tracks), dtype=bool)
    if scope.kind == "liked":
        return tracks["liked"].to_numpy(dtype=bool)
    mask = KINDS[scope.kind].track_mask(library, str(scope.name))
    if mask is None:
        raise ScopeError(f"No {scope.kind} called '{scope.name}' in this library.")
    return mask


def scope_tracks(library: Library, scope: Scope) -> pd.DataFrame:
    """The tracks of the scope (a read-only view of ``lib.tracks`` rows, original order)."""
    return library.tracks[scope_mask(library, scope)]
