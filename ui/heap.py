"""Keep the server's long-lived objects out of Python's garbage collector.

A loaded library holds a Python list per track in each of its list columns (artists, genres,
labels): at 300k tracks, with the server's modules, about 350,000 objects the cyclic collector
walks on every full collection. A page rerun allocates enough to start one, so every slider move
on the Clusters page paid a 200–300 ms pause (measured with ``gc.callbacks`` in a server on
300k generated tracks: every move had one, the seen-k moves took 0.55 s in Chromium instead of
0.43 s). ``gc.freeze`` moves the objects alive at that moment to a generation the collector
skips; reference counting still frees them when they are dropped.

What is frozen is never collected as a cycle: a cycle in a library evicted from the cache is
freed at the next :func:`freeze_long_lived`, which collects everything first (every freeze but
a process's first).
"""

from __future__ import annotations

import gc

# Below this many tracks a library adds too few objects to be worth a full collection.
FREEZE_FROM_TRACKS = 20_000


def freeze_long_lived() -> None:
    """Collect everything (frozen objects included), then freeze what is left.

    The first freeze of a process collects nothing: nothing frozen can have been dropped yet, and
    a full collection walks every object (220 ms after reading 300k tracks, 0.5–0.9 s in
    serve.py's warm-up while a first visitor's page waits for those tracks; py-spy). A cycle
    already unreachable then is frozen with the rest and freed at the next freeze.
    """
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def freeze_after_large(read_tracks):
    """``read_tracks`` (a :class:`lib.store.library.Library` reader) that freezes the heap after
    reading a frame of :data:`FREEZE_FROM_TRACKS` tracks or more."""
    def read():
        tracks = read_tracks()
        if len(tracks) >= FREEZE_FROM_TRACKS:
            freeze_long_lived()
        return tracks
    return read
