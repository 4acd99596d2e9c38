"""Scopes: the part of a library a page or a clustering looks at.

A scope is the whole library, the liked tracks, or one label, artist, playlist or genre, named the
way URLs name it (``scope=label&name=Kestrel%20Sound``). Every page, the clustering and the
reports select tracks through :func:`scope_tracks`, so "the tracks of a label" means one thing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.store.library import Library

SCOPE_KINDS: tuple[str, ...] = ("library", "liked", "label", "artist", "playlist", "genre")
NAMED_KINDS: tuple[str, ...] = ("label", "artist", "playlist", "genre")


class ScopeError(ValueError):
    """A scope that does not exist in the library (unknown kind or name)."""


@dataclass(frozen=True)
class Scope:
    kind: str = "library"
    name: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ScopeError(f"Unknown scope '{self.kind}': choose one of {', '.join(SCOPE_KINDS)}.")
        if self.kind in NAMED_KINDS and not self.name:
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
    """Names available for a scope kind, biggest first."""
    if kind == "label":
        return library.labels["label"].tolist()
    if kind == "artist":
        return library.artists.loc[library.artists["tracks"] > 0, "name"].tolist()
    if kind == "playlist":
        return library.playlists["name"].tolist()
    if kind == "genre":
        return library.genres["genre"].tolist()
    return []


def scope_mask(library: Library, scope: Scope) -> np.ndarray:
    """Boolean mask over ``lib.tracks`` of the tracks in the scope. Raises ScopeError if unknown."""
    tracks = library.tracks
    if scope.kind == "library":
        return np.ones(len(tracks), dtype=bool)
    if scope.kind == "liked":
        return tracks["liked"].to_numpy(dtype=bool)
    name = scope.name
    if scope.kind == "label":
        if name not in set(library.labels["label"]):
            raise ScopeError(f"No label called '{name}' in this library.")
        return np.fromiter((name in ls for ls in tracks["labels"]), dtype=bool, count=len(tracks))
    if scope.kind == "artist":
        ids = set(library.artists.loc[library.artists["name"] == name, "artist_id"])
        if not ids:
            raise ScopeError(f"No artist called '{name}' in this library.")
        return np.fromiter((not ids.isdisjoint(a) for a in tracks["artist_ids"]), dtype=bool,
                           count=len(tracks))
    if scope.kind == "playlist":
        ids = set(library.playlists.loc[library.playlists["name"] == name, "playlist_id"])
        if not ids:
            raise ScopeError(f"No playlist called '{name}' in this library.")
        members = library.playlist_tracks.loc[library.playlist_tracks["playlist_id"].isin(ids), "track_id"]
        return tracks["track_id"].isin(set(members)).to_numpy()
    if scope.kind == "genre":
        if name not in set(library.genres["genre"]):
            raise ScopeError(f"No genre called '{name}' in this library.")
        return np.fromiter((name in g for g in tracks["genres"]), dtype=bool, count=len(tracks))
    raise ScopeError(f"Unknown scope '{scope.kind}'.")  # pragma: no cover


def scope_tracks(library: Library, scope: Scope) -> pd.DataFrame:
    """The tracks of the scope (a read-only view of ``lib.tracks`` rows, original order)."""
    return library.tracks[scope_mask(library, scope)]
