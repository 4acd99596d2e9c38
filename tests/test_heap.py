"""ui.heap: the server's long-lived objects are frozen out of the collector's walks, and what was
frozen is still collected at the next freeze."""

from __future__ import annotations

import gc
import weakref

import pandas as pd
import pytest

from ui.heap import FREEZE_FROM_TRACKS, freeze_after_large, freeze_long_lived


@pytest.fixture(autouse=True)
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_large_tracks_frame_is_frozen_once_read() -> None:
    frame = pd.DataFrame({"genres": [["house"] for _ in range(FREEZE_FROM_TRACKS)]})
    read = freeze_after_large(lambda: frame)
    assert gc.get_freeze_count() == 0
    assert read() is frame
    assert gc.get_freeze_count() >= FREEZE_FROM_TRACKS  # the lists are out of the walks


def test_a_small_one_is_not() -> None:
    frame = pd.DataFrame({"genres": [["house"] for _ in range(FREEZE_FROM_TRACKS - 1)]})
    assert freeze_after_large(lambda: frame)() is frame
    assert gc.get_freeze_count() == 0


class _Node:
    pass


def test_a_frozen_cycle_dropped_later_is_collected_at_the_next_freeze() -> None:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    alive = weakref.ref(a)
    freeze_long_lived()
    del a, b
    gc.collect()
    assert alive() is not None  # frozen: the collector skips it
    freeze_long_lived()
    assert alive() is None


def test_the_first_freeze_walks_nothing_and_what_it_froze_is_collected_at_the_next() -> None:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    garbage = weakref.ref(a)
    del a, b  # a cycle already unreachable at the first freeze
    full = []
    callback = lambda phase, info: full.append(phase) if info["generation"] == 2 else None  # noqa: E731
    gc.callbacks.append(callback)
    gc.disable()  # no automatic collection in between
    try:
        freeze_long_lived()
        assert full == [] and gc.get_freeze_count() > 0  # no full walk: everything frozen
        assert garbage() is not None
        freeze_long_lived()
        assert full == ["start", "stop"]
    finally:
        gc.enable()
        gc.callbacks.remove(callback)
    assert garbage() is None
