"""Events of one chat handled one after another, in the order they arrived; many chats side
by side. Two messages from one person are answered in the order sent, while a photo in one
chat does not hold up the words in another."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable

CONCURRENT_CHATS = 64  # events being handled at once; the rest wait their turn


class ChatOrder:
    def __init__(self, concurrent: int = CONCURRENT_CHATS) -> None:
        self._last: dict[Hashable, asyncio.Task[None]] = {}
        self._slots = asyncio.Semaphore(concurrent)
        self._running: set[asyncio.Task[None]] = set()

    def submit(self, chat: Hashable, work: Callable[[], Awaitable[None]]) -> asyncio.Task[None]:
        """Run `work` after every event submitted before it for `chat` is done (whether it
        succeeded or not: one failure does not stop the chat)."""
        previous = self._last.get(chat)
        task = asyncio.create_task(self._run(previous, work))
        self._last[chat] = task
        self._running.add(task)
        task.add_done_callback(lambda done: self._finished(chat, done))
        return task

    async def _run(
        self, previous: asyncio.Task[None] | None, work: Callable[[], Awaitable[None]]
    ) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        async with self._slots:
            await work()

    def _finished(self, chat: Hashable, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if self._last.get(chat) is task:
            del self._last[chat]

    async def drain(self) -> None:
        """Wait for everything submitted so far."""
        while self._running:
            await asyncio.wait(set(self._running))

    async def cancel(self) -> None:
        for task in list(self._running):
            task.cancel()
        await asyncio.gather(*self._running, return_exceptions=True)
