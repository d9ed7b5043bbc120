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
def single_threaded_torch() -> None:
    """Once per process: torch computes on the calling thread alone. The engine pool runs
    analyses side by side; torch's own pool on top of it spun, on a busy two-core machine,
    20x the CPU of a small network's work (2.7 ms became 50 ms of CPU, 200 ms of wall)."""
    import torch

    torch.set_num_threads(1)


@functools.cache
def _pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="moodtune-engine")


async def run_blocking(func: Callable[..., T], *args: object, workers: int = 2) -> T:
    """Run CPU-heavy work in a bounded pool so one big photo never stalls other chats."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool(workers), functools.partial(func, *args))
