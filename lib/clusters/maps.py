"""Cluster maps you keep: a clustering stored under a name in the library, reopened exactly.

:func:`save_map` stores the view of the Clusters page — scope, features, scaling (with the
scaler's per-column centre and divisor), k, seed, algorithm, the cluster centres (scaled) and
centroids (raw), the cluster names — and every clustered track's cluster, in one transaction
(tables ``cluster_maps`` and ``cluster_map_tracks``; replacing or merging the library's data
leaves them alone, like label edits).

:func:`open_map` reopens it against the library as it is now: every track the map holds keeps
its saved cluster; tracks of the scope added since are placed in the nearest saved centre (in the
saved scaling) and marked new; tracks that left the scope (or the library) are counted; new tracks
lacking a feature are counted as not placed. Names and centres are the saved ones, so the map
reads the same as the day it was kept.

:func:`list_maps`, :func:`rename_map` and :func:`delete_map` manage them (each write one
transaction). Names are 1–80 characters, unique per library.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from lib.clusters.features import CATALOG, FeatureMatrix, _numeric
from lib.clusters.kmeans import ClusterResult
from lib.store.db import Store
from lib.store.library import Library
from lib.store.scopes import Scope, ScopeError, scope_mask

MAX_NAME = 80
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class MapError(ValueError):
    """A map name that is empty, too long, taken or unknown (the message says which)."""


@dataclass(frozen=True)
class SavedMap:
    """A stored map: ``definition`` (see :func:`save_map`) and ``assignments`` (track_id,
    cluster — 0-based) as saved."""

    map_id: int
    name: str
    created_at: datetime
    definition: dict
    assignments: pd.DataFrame

    @property
    def scope(self) -> Scope:
        s = self.definition["scope"]
        return Scope(s["kind"], s.get("name"))

    @property
    def k(self) -> int:
        return int(self.definition["k"])

    def query_params(self) -> dict[str, str]:
        """The live Clusters view the map was kept from (scope, features, k, scaling, seed)."""
        d = self.definition
        out = self.scope.query_params()
        out.update({"k": str(d["k"]), "features": ",".join(d["features"])})
        if d.get("scaling_param", "auto") != "auto":
            out["scaling"] = d["scaling_param"]
        if d.get("algorithm_param", "auto") != "auto":
            out["algorithm"] = d["algorithm_param"]
        if int(d.get("seed", 42)) != 42:
            out["seed"] = str(d["seed"])
        return out


def clean_name(name: object) -> str:
    """The name as stored: control characters removed, spaces collapsed; raises MapError."""
    text = " ".join(_CONTROL.sub(" ", str(name or "")).split())
    if not text:
        raise MapError("Give the map a name.")
    if len(text) > MAX_NAME:
        raise MapError(f"A map name has at most {MAX_NAME} characters ({len(text)} given).")
    return text


def _json_floats(values: np.ndarray) -> list:
    return np.asarray(values, dtype=float).tolist()


def map_definition(result: ClusterResult, matrix: FeatureMatrix, scope: Scope, *,
                   scaling_param: str = "auto", algorithm_param: str = "auto",
                   library_version: int | None = None) -> dict:
    """The JSON-able definition of a clustering (what :func:`save_map` stores)."""
    return {
        "scope": {"kind": scope.kind, "name": scope.name},
        "features": list(result.features), "scaling": result.scaling,
        "scaling_param": scaling_param, "algorithm": result.algorithm,
        "algorithm_param": algorithm_param, "seed": int(result.seed), "k": int(result.k),
        "k_mode": result.k_mode, "columns": list(matrix.columns),
        "column_feature": list(matrix.column_feature),
        "column_titles": list(matrix.column_title),
        "center": _json_floats(matrix.center), "scale": _json_floats(matrix.scale),
        "centres": _json_floats(result.centres_scaled),
        "centroids": _json_floats(result.centroids.to_numpy()),
        "names": [c.name for c in result.clusters],
        "traits": [list(c.traits) for c in result.clusters],
        "sizes": [int(c.size) for c in result.clusters], "n_used": int(result.n_used),
        "library_version": library_version,
    }


def list_maps(store: Store, library_id: str) -> pd.DataFrame:
    """The library's maps, newest first: map_id, name, created_at, scope_kind, scope_name, k,
    tracks."""
    frame = store.query_while_unchanged(
        "SELECT m.map_id, m.name, m.created_at, m.definition, "
        "(SELECT count(*) FROM cluster_map_tracks t WHERE t.library_id = m.library_id "
        " AND t.map_id = m.map_id) AS tracks "
        "FROM cluster_maps m WHERE m.library_id = ? ORDER BY m.created_at DESC, m.map_id DESC",
        [library_id])
    defs = [json.loads(d) for d in frame["definition"]]
    return pd.DataFrame({
        "map_id": frame["map_id"].astype(int), "name": frame["name"],
        "created_at": frame["created_at"],
        "scope_kind": [d["scope"]["kind"] for d in defs],
        "scope_name": [d["scope"].get("name") for d in defs],
        "k": [int(d["k"]) for d in defs], "tracks": frame["tracks"].astype(int)})


def save_map(store: Store, library_id: str, name: str, definition: dict,
             track_ids: np.ndarray | list[str], labels: np.ndarray) -> int:
    """Store a map under ``name`` (one transaction); returns its map id. Raises MapError when
    the name is empty, too long or already used in this library."""
    name = clean_name(name)
    rows = pd.DataFrame({"track_id": np.asarray(track_ids, dtype=object),
                         "cluster": np.asarray(labels, dtype=np.int32)})
    with store.cursor() as cur:
        cur.execute("BEGIN TRANSACTION")
        try:
            taken = cur.execute("SELECT count(*) FROM cluster_maps WHERE library_id = ? AND "
                                "name = ?", [library_id, name]).fetchone()[0]
            if taken:
                raise MapError(f"A map called '{name}' already exists: choose another name.")
            map_id = int(cur.execute("SELECT coalesce(max(map_id), 0) + 1 FROM cluster_maps "
                                     "WHERE library_id = ?", [library_id]).fetchone()[0])
            cur.execute("INSERT INTO cluster_maps VALUES (?, ?, ?, ?, ?)",
                        [library_id, map_id, name, datetime.now(timezone.utc),
                         json.dumps(definition)])
            cur.register("_map_rows", rows)
            cur.execute("INSERT INTO cluster_map_tracks SELECT ?, ?, track_id, cluster "
                        "FROM _map_rows", [library_id, map_id])
            cur.unregister("_map_rows")
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise
    return map_id


def _map_id(cur, library_id: str, name: str) -> int:
    row = cur.execute("SELECT map_id FROM cluster_maps WHERE library_id = ? AND name = ?",
                      [library_id, name]).fetchone()
    if row is None:
        raise MapError(f"No saved map called '{name}' in this library.")
    return int(row[0])


def load_map(store: Store, library_id: str, name: str) -> SavedMap:
    """The stored map called ``name`` (raises MapError when there is none)."""
    with store.cursor() as cur:
        map_id = _map_id(cur, library_id, name)
        row = cur.execute("SELECT name, created_at, definition FROM cluster_maps WHERE "
                          "library_id = ? AND map_id = ?", [library_id, map_id]).fetchone()
        assignments = cur.execute(
            "SELECT track_id, cluster FROM cluster_map_tracks WHERE library_id = ? AND "
            "map_id = ? ORDER BY track_id", [library_id, map_id]).df()
    return SavedMap(map_id=map_id, name=row[0], created_at=row[1],
                    definition=json.loads(row[2]), assignments=assignments)


def rename_map(store: Store, library_id: str, old: str, new: str) -> str:
    """Rename a map (one transaction); returns the cleaned new name."""
    new = clean_name(new)
    with store.cursor() as cur:
        cur.execute("BEGIN TRANSACTION")
        try:
            map_id = _map_id(cur, library_id, old)
            if new != old and cur.execute(
                    "SELECT count(*) FROM cluster_maps WHERE library_id = ? AND name = ?",
                    [library_id, new]).fetchone()[0]:
                raise MapError(f"A map called '{new}' already exists: choose another name.")
            cur.execute("UPDATE cluster_maps SET name = ? WHERE library_id = ? AND map_id = ?",
                        [new, library_id, map_id])
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise
    return new


def delete_map(store: Store, library_id: str, name: str) -> None:
    """Delete a map and its track assignments (one transaction)."""
    with store.cursor() as cur:
        cur.execute("BEGIN TRANSACTION")
        try:
            map_id = _map_id(cur, library_id, name)
            cur.execute("DELETE FROM cluster_map_tracks WHERE library_id = ? AND map_id = ?",
                        [library_id, map_id])
            cur.execute("DELETE FROM cluster_maps WHERE library_id = ? AND map_id = ?",
                        [library_id, map_id])
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise


# -- reopening -----------------------------------------------------------------------------------
def raw_columns(tracks: pd.DataFrame, columns: list[str], column_feature: list[str]) -> np.ndarray:
    """The tracks' raw values for saved matrix columns (NaN where a track lacks a feature;
    one-hot columns ``genres:x`` are 1 when the track has category x)."""
    out = np.full((len(tracks), len(columns)), np.nan)
    for j, (column, feature) in enumerate(zip(columns, column_feature)):
        spec = CATALOG.get(feature)
        if spec is None or spec.column not in tracks:
            continue
        if spec.onehot:
            category = column.split(":", 1)[1]
            out[:, j] = [1.0 if category in values else 0.0 for values in tracks[spec.column]]
        else:
            out[:, j] = _numeric(tracks, spec)
    return out


@dataclass(frozen=True)
class MapView:
    """A saved map against the library now.

    ``members``: one row per placed track — ``row`` (position in ``library.tracks``),
    ``track_id``, ``cluster`` (0-based), ``new`` (added since the map was kept); kept tracks first
    in each cluster. ``clusters``: number, name, traits, size (now), new, saved_size.
    ``left``: saved tracks no longer in the scope; ``unplaced``: new tracks lacking a feature.
    """

    saved: SavedMap
    members: pd.DataFrame
    clusters: pd.DataFrame
    left: int
    unplaced: int
    scope_missing: bool

    def cluster_rows(self, i: int) -> np.ndarray:
        """Positions in ``library.tracks`` of cluster ``i``'s tracks (kept first, then new)."""
        return self.members.loc[self.members["cluster"] == i, "row"].to_numpy()

    def cluster_track_ids(self, i: int) -> list[str]:
        return self.members.loc[self.members["cluster"] == i, "track_id"].tolist()


def open_map(saved: SavedMap, library: Library) -> MapView:
    """Reopen ``saved`` against ``library`` (see the module docstring)."""
    d = saved.definition
    k = int(d["k"])
    tracks = library.tracks
    try:
        mask = scope_mask(library, saved.scope)
        scope_missing = False
    except ScopeError:
        mask = np.zeros(len(tracks), dtype=bool)
        scope_missing = True
    rows = np.flatnonzero(mask)
    ids = tracks["track_id"].to_numpy()[rows]
    cluster_of = pd.Series(saved.assignments["cluster"].to_numpy(),
                           index=saved.assignments["track_id"].to_numpy())
    saved_cluster = pd.Index(cluster_of.index).get_indexer(ids)
    kept = saved_cluster >= 0
    kept_clusters = cluster_of.to_numpy()[saved_cluster[kept]]
    new_rows = rows[~kept]
    raw = raw_columns(tracks.iloc[new_rows], d["columns"], d["column_feature"])
    complete = ~np.isnan(raw).any(axis=1) if raw.size else np.zeros(len(new_rows), dtype=bool)
    scaled = (raw[complete] - np.asarray(d["center"])) / np.asarray(d["scale"])
    centres = np.asarray(d["centres"])
    if len(scaled):
        dist = ((scaled[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new_clusters = dist.argmin(axis=1)
    else:
        new_clusters = np.zeros(0, dtype=int)
    members = pd.DataFrame({
        "row": np.concatenate([rows[kept], new_rows[complete]]),
        "track_id": np.concatenate([ids[kept], ids[~kept][complete]]),
        "cluster": np.concatenate([kept_clusters, new_clusters]).astype(int),
        "new": np.concatenate([np.zeros(kept.sum(), bool), np.ones(complete.sum(), bool)])})
    members = members.sort_values(["cluster", "new"], kind="stable", ignore_index=True)
    size = np.bincount(members["cluster"], minlength=k)
    new = np.bincount(members.loc[members["new"], "cluster"], minlength=k)
    clusters = pd.DataFrame({
        "number": np.arange(1, k + 1), "name": d["names"], "traits": d["traits"],
        "size": size[:k], "new": new[:k], "saved_size": d["sizes"]})
    left = int(len(saved.assignments) - kept.sum())
    return MapView(saved=saved, members=members, clusters=clusters, left=left,
                   unplaced=int((~complete).sum()), scope_missing=scope_missing)
