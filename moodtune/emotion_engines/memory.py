"""How much memory decoding media may hold at once, and giving it back afterwards.

``DECODING`` is shared by the photos being decoded on the engines' worker threads: each
holds its estimated cost while it decodes, and one that would take the total past the
limit waits, so a burst of big photos peaks at what one costs.

glibc's malloc keeps what a thread frees for that thread's next allocations. After a
burst of big photos on the worker threads the bot held 600 MB it no longer used (see
tests/photo/test_photo_memory.py): Pillow's 16 MB image blocks and the tiles' arrays
come from malloc's heaps once its mmap threshold has risen (glibc raises it to the
largest block freed, up to 32 MB), and a heap is only given back from its top.
``malloc_trim(0)`` returns every free page of every heap; it took about 0.1 s after
500 MB had been freed, and nothing when nothing was, so it is called only after a big
picture or voice note, on the worker thread. Other C libraries have no such call (musl
gives big blocks back by itself): there this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def return_freed_memory() -> bool:
    """Give free heap pages back to the system; whether any were (False without glibc)."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


class SharedLimit:
    """Bytes that decoders may hold at once across the engines' worker threads.

    A decoder whose cost would take the total past the limit waits until others are done;
    one alone always runs (its cost was held against the limit before). So four big
    photos at once take what one takes, not four times that.
    """

    def __init__(self) -> None:
        self._held = 0
        self._changed = threading.Condition()

    @contextmanager
    def holding(self, cost: int, limit: int) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: self._held == 0 or self._held + cost <= limit)
            self._held += cost
        try:
            yield
        finally:
            with self._changed:
                self._held -= cost
                self._changed.notify_all()


DECODING = SharedLimit()  # what photos being decoded hold
