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

``keep_big_blocks_apart()`` goes to the cause: it fixes malloc's mmap threshold at 1 MB
(setting it also stops glibc from raising it), so every block of 1 MB or more (a decoded
picture, an audio buffer, a model's activations) is mapped on its own and unmapped the
moment it is freed, instead of staying in a heap. Fuzzing the handlers, that kept 120 MB
less resident and lowered the peak by 130 MB (benchmarks/bench_fuzz.py); a mapping costs
a page fault per 4 KB touched, about 0.2 ms for a working-size photo.
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


M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h
MMAP_THRESHOLD = 1024 * 1024


def keep_big_blocks_apart() -> bool:
    """Blocks of 1 MB or more each get a mapping of their own, given back when freed;
    whether the C library took the setting (False without glibc)."""
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None) if libc is not None else None
    if mallopt is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c"))
    except OSError:
        return None


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    libc = _libc()
    if libc is None:
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
