"""The store: one DuckDB file holding every library, and the frames pages read from it.

- :mod:`.db`: :class:`Store` (schema, migrations, one transaction per write), :class:`LibraryData`;
- :mod:`.library`: :class:`Library` (the frames of one library), :func:`load_library`;
- :mod:`.kinds`: the entity-kind registry :data:`KINDS` (label, artist, playlist, genre);
- :mod:`.scopes`: :class:`Scope` and :func:`scope_tracks` (the tracks a page or clustering sees);
- :mod:`.remote_cache`: cached answers of remote services;
- :mod:`.snapshot`: each library version's frames and page results kept beside the file, so a
  fresh process reads them instead of rebuilding them.

Errors: :class:`StoreError`, :class:`ScopeError`.
"""

from lib import front_door

__getattr__, __all__ = front_door(__name__, {
    "db": ("AUDIO_FEATURES", "DEFAULT_DB_PATH", "LOCAL_LIBRARY_ID", "LibraryData", "LibraryInfo",
           "Store", "StoreError", "db_path"),
    "library": ("Library", "coverage", "load_library"),
    "kinds": ("KINDS", "EntityKind", "Part", "kind_of", "register", "unregister"),
    "scopes": ("NAMED_KINDS", "SCOPE_KINDS", "Scope", "ScopeError", "scope_mask", "scope_names",
               "scope_tracks"),
    "remote_cache": ("RemoteCache",),
    "snapshot": ("read_result", "read_snapshot", "snapshot_root", "wait_for_snapshots",
                 "write_result", "write_result_soon", "write_snapshot"),
})
