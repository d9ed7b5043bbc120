"""The engine interface, and running blocking analysis off the event loop."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from moodtune.emotion_engines.reading import Reading

T = TypeVar("T")
InputT = TypeVar("InputT", contravariant=True)


class EmotionEngine(Protocol[InputT]):
    """An engine reads one modality: ``await engine.analyze(data) -> Reading``."""

    name: str
    modality: str

    async def analyze(self, data: InputT) -> Reading: ...


@functools.cache
def _pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="moodtune-engine")


async def run_blocking(func: Callable[..., T], *args: object, workers: int = 2) -> T:
    """Run CPU-heavy work in a bounded pool so one big photo never stalls other chats."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool(workers), functools.partial(func, *args))
