"""Annotating an import's batches on every core, in worker processes forked from the importer.

The lexicon engine is pure Python, so threads would share one core (the GIL). Forked
workers start with the engine already loaded: nothing is pickled but the batches (plain
`TrackTexts` tuples going out, one float matrix per batch coming back), and the engine
needs no pickling at all. Forking is only safe for engines without threads of their own,
so the pool is used for engines with the bulk `scores_sync` path (the lexicon engine);
model-backed engines (torch keeps a thread pool, which does not survive a fork) annotate
in the importing process, in a thread.

Small imports never start the pool: a file that fits in one batch (the bundled demo
catalog) is annotated in a thread, which costs less than starting processes.

The fork happens on the event loop's thread while the engine is idle (warmed up first,
so no engine lock is held); the workers run nothing but the annotator. Python 3.12+
warns about forking a process that has threads; that warning is expected here.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

import numpy as np

from moodtune.catalog.annotator import Annotator, TextAnalyzer, TrackTexts

MAX_WORKERS = 4  # each worker's copy-on-write pages grow as it touches the lexicons


class AnnotationWorkerError(RuntimeError):
    """A worker process died while annotating (killed, out of memory); nothing is imported."""


def default_workers(text_engine: TextAnalyzer) -> int:
    """Worker processes for a big import: one per core, for engines with the bulk path.

    None on a single core (pickling batches would only add work) or for other engines
    (see above). As many workers as cores, not one fewer: the importer only reads and
    inserts, about half a core's work, and on a machine busy with other work a second
    worker keeps the import's share of the processors (measured on 2 cores).
    """
    if not hasattr(text_engine, "scores_sync") or "fork" not in _start_methods():
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(MAX_WORKERS, cores or 1) if (cores or 1) > 1 else 0


def _start_methods() -> list[str]:
    if sys.platform == "darwin":  # fork is unsafe there (system frameworks), spawn too slow
        return []
    return multiprocessing.get_all_start_methods()


_worker_annotator: Annotator | None = None  # set in each worker process when it starts


def _start_worker(annotator: Annotator) -> None:
    global _worker_annotator
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importer's to handle
    _worker_annotator = annotator


def _annotate_in_worker(tracks: list[TrackTexts]) -> np.ndarray:
    if _worker_annotator is None:
        raise AnnotationWorkerError("an annotation worker started without its annotator")
    return _worker_annotator.vectors(tracks)


class BatchAnnotator:
    """Annotates batches in a thread, or in forked worker processes once an import proves
    big (a full batch). Use it as a context manager: leaving stops the workers."""

    def __init__(self, text_engine: TextAnalyzer, workers: int | None = None) -> None:
        self.text_engine = text_engine
        self.annotator = Annotator(text_engine)
        self.workers = default_workers(text_engine) if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None

    @property
    def in_flight(self) -> int:
        """How many batches may be annotating at once while the importer reads and inserts."""
        return 2 * self.workers + 1 if self._pool else 1

    async def submit(
        self, tracks: list[TrackTexts], full_batch: bool
    ) -> asyncio.Future[np.ndarray]:
        """Start annotating `tracks`; the future's result is `Annotator.vectors`' matrix."""
        if full_batch and self._pool is None and self.workers > 0:
            self._pool = await self._start_pool()
        loop = asyncio.get_running_loop()
        if self._pool is None:
            return loop.run_in_executor(None, self.annotator.vectors, tracks)
        return loop.run_in_executor(self._pool, _annotate_in_worker, tracks)

    @staticmethod
    async def result(future: asyncio.Future[np.ndarray]) -> np.ndarray:
        try:
            return await future
        except BrokenProcessPool:
            raise AnnotationWorkerError(
                "An annotation worker process stopped unexpectedly (killed, or out of "
                "memory?); the import was rolled back, nothing was written."
            ) from None

    async def _start_pool(self) -> ProcessPoolExecutor:
        warm_up = getattr(self.text_engine, "warm_up", None)
        if warm_up is not None:  # once, here, rather than in every worker
            await asyncio.to_thread(warm_up)
        pool = ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(self.annotator,),  # inherited through the fork, never pickled
        )
        # The workers fork on the first submit. Frozen, the objects they inherit are left
        # alone by their garbage collector: no time spent, no pages copied.
        gc.freeze()
        try:
            started = pool.submit(int)
        finally:
            gc.unfreeze()
        await asyncio.wrap_future(started)
        return pool

    def __enter__(self) -> BatchAnnotator:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
