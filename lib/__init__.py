"""labelscope's plain-Python core (no Streamlit here: the caching wrappers live in ``ui/cache.py``).

Data flows one way, sources → store → analysis → pages:

====================  =============================================================================
package               what lives there
====================  =============================================================================
:mod:`lib.store`      the DuckDB store (libraries, migrations), Library frames, scopes, the
                      entity-kind registry (label, artist, playlist, genre), the remote cache
:mod:`lib.labels`     label merging: raw label strings → standardised labels, and the user's edits
:mod:`lib.importers`  reading the files people have: Exportify CSVs, Spotify's privacy export,
                      track data sets
:mod:`lib.spotify`    Spotify sign-in (PKCE), client, library sync, saving playlists
:mod:`lib.enrichment` providers filling audio features, labels and genres (Spotify, ReccoBeats,
                      MusicBrainz, imported files)
:mod:`lib.demo`       the offline demo library generator
:mod:`lib.analysis`   what pages show: entity pages, the overview, display tables, charts
:mod:`lib.clusters`   the feature catalog, k-means and its charts
:mod:`lib.reports`    Markdown escaping and building blocks, page and cluster reports, the static
                      site export
:mod:`lib.cli`        ``python -m lib`` commands, one module each
====================  =============================================================================

Each package's ``__init__`` is its front door: its public names (errors included) can be imported
from the package itself, e.g. ``from lib.clusters import cluster_view, ClusteringError``.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable


def front_door(package: str, exports: dict[str, tuple[str, ...]]
               ) -> tuple[Callable[[str], Any], list[str]]:
    """A package's ``__getattr__`` and ``__all__`` re-exporting its modules' public names.

    ``exports`` maps a module of the package to the names it exports. A name is imported from its
    module on first use, so importing one module of a package does not import all of them (and
    two packages can use each other's modules without an import cycle)::

        __getattr__, __all__ = front_door(__name__, {"kmeans": ("cluster_view",)})
    """
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{where[name]}"), name)

    return __getattr__, sorted(where)
