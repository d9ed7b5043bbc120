"""A serving process keeps the garbage collector off what start-up built."""

from __future__ import annotations

import gc

from moodtune.bot.app import freeze_startup_objects


def test_startup_objects_are_frozen_and_garbage_is_not() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector can free it

    garbage = Node()
    collected_before = gc.get_stats()[2]["collected"]
    del garbage
    try:
        frozen = freeze_startup_objects()
        assert frozen > 1000 and frozen == gc.get_freeze_count()
        assert gc.get_stats()[2]["collected"] > collected_before  # the cycle went first
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
