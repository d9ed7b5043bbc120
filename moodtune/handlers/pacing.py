"""Spacing out messages the bot sends on its own, under a platform's rate limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class Pace:
    """At most `per_second` starts a second, evenly spaced: each `wait()` returns at the
    next free slot. Waiters are served in the order they came (one lock), and a pace left
    idle does not save up a burst for later."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if not per_second > 0:
            raise ValueError(f"a pace needs a positive rate, got {per_second!r}")
        self.interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
            if slot > now:
                await self._sleep(slot - now)
