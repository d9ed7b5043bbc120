"""Events already handled: platforms deliver some twice (webhook retries, a double-tapped
button, a reconnect replaying), and each must be answered once."""

from __future__ import annotations

from collections import deque

SEEN_EVENTS = 50_000  # event ids remembered per process


class SeenEvents:
    """The last `size` (platform, event id) pairs."""

    def __init__(self, size: int = SEEN_EVENTS) -> None:
        self._order: deque[tuple[str, str]] = deque()
        self._ids: set[tuple[str, str]] = set()
        self._size = size

    def first_time(self, platform: str, event_id: str) -> bool:
        key = (platform, event_id)
        if key in self._ids:
            return False
        self._ids.add(key)
        self._order.append(key)
        if len(self._order) > self._size:
            self._ids.discard(self._order.popleft())
        return True
