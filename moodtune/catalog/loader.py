"""Import a catalog file into the database: read, annotate, insert — all or nothing.

The whole import is one transaction: a crash or an error half-way leaves the database as
it was (SQLite and PostgreSQL both handle 100k+ inserted rows in one transaction well).
Reading runs in a thread, a batch at a time, so the event loop stays free; annotating
runs in a thread too, or for a big file in worker processes on the other cores
(`annotation_pool`) while this process reads the next batches; inserting runs on the loop
through the async session, batch after batch in file order (so the first of two
duplicates is the one kept, however the work was spread).

On SQLite that transaction holds the database's single write lock until it commits, so a
running bot's writes wait meanwhile (up to storage.db.SQLITE_BUSY_MS, then fail): import
big catalogs while the bot is stopped, or use PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.catalog.annotation_pool import BatchAnnotator
from moodtune.catalog.annotator import TextAnalyzer, TrackTexts
from moodtune.catalog.importers import Accepted, Item, Rejected, open_catalog
from moodtune.catalog.schema import TrackRecord
from moodtune.storage import tracks

log = logging.getLogger(__name__)

BATCH = 2000
MAX_LISTED = 10_000  # rejections kept with their reasons; beyond that only counted
DEMO_PACKAGE = "moodtune.catalog.demo"
DEMO_FILE = "tracks.csv"


@dataclass
class ImportReport:
    source: str
    read: int = 0  # data rows seen, good or bad
    imported: int = 0
    duplicates: list[int] = field(default_factory=list)  # line numbers
    rejected: list[Rejected] = field(default_factory=list)  # the first MAX_LISTED
    rejected_count: int = 0
    unannotated: list[int] = field(default_factory=list)  # imported with the zero vector
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def reject(self, item: Rejected) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_LISTED:
            self.rejected.append(item)

    def summary(self, listed: int = 20) -> str:
        """A few lines for people: the counts, then the first problems with line numbers."""
        lines = [
            f"{self.source}: imported {self.imported:,} of {self.read:,} rows "
            f"in {self.seconds:.1f} s; {len(self.duplicates):,} duplicates, "
            f"{self.rejected_count:,} rejected, {len(self.unannotated):,} without any mood "
            f"(kept, not recommendable)"
        ]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"  line {r.line}: {r.reason}" for r in self.rejected[:listed]]
        if self.rejected_count > listed:
            lines.append(f"  … and {self.rejected_count - listed:,} more rejected rows")
        if self.unannotated:
            shown = ", ".join(map(str, self.unannotated[:listed]))
            lines.append(f"  no mood found on lines: {shown}")
        return "\n".join(lines)


def track_row(record: TrackRecord, vector: np.ndarray, source: str) -> dict[str, Any]:
    """The columns of a Track for storage.tracks.add_many."""
    return {
        "title": record.title,
        "artists": list(record.artists),
        "album": record.album,
        "language": record.language,
        "year": record.year,
        "genre": record.genre,
        "tags": list(record.tags),
        "link": record.link,
        "valence": record.valence,
        "energy": record.energy,
        "vector": vector,
        "has_lyrics": bool(record.lyrics),
        "source": source,
    }


def _next_batch(items: Iterator[Item], report: ImportReport, size: int) -> list[Accepted]:
    """Read up to `size` accepted rows, counting the rejected ones (runs in a thread)."""
    batch: list[Accepted] = []
    for item in items:
        report.read += 1
        if isinstance(item, Rejected):
            report.reject(item)
            continue
        batch.append(item)
        if len(batch) >= size:
            break
    return batch


Annotating = tuple[list[Accepted], asyncio.Future[np.ndarray]]  # a batch and its vectors


async def import_file(
    path: str | Path,
    session_factory: async_sessionmaker[AsyncSession],
    text_engine: TextAnalyzer,
    progress: bool = True,
    source: str | None = None,
    batch_size: int = BATCH,
    workers: int | None = None,
) -> ImportReport:
    """Import every valid row of a catalog file; the report says what happened to the rest.

    Raises CatalogFileError when the file cannot be read at all (unknown extension,
    missing). Nothing is written unless the whole import succeeds. `workers`: processes
    annotating a big file besides this one (default: one per core when the engine
    allows it, see `annotation_pool`); 0 annotates in this process.
    """
    started = time.perf_counter()
    reader = open_catalog(path, progress)
    source = source or reader.path.name
    report = ImportReport(source)
    pending: deque[Annotating] = deque()  # batches in file order, annotating meanwhile
    with closing(reader.rows()) as items, BatchAnnotator(text_engine, workers) as annotator:
        async with session_factory() as session, session.begin():
            while batch := await asyncio.to_thread(_next_batch, items, report, batch_size):
                tracks = [TrackTexts.of(item.record) for item in batch]
                pending.append((batch, await annotator.submit(tracks, len(batch) == batch_size)))
                while len(pending) >= annotator.in_flight or (pending and pending[0][1].done()):
                    batch, annotating = pending.popleft()
                    await _insert(session, batch, await annotator.result(annotating), report)
            while pending:
                batch, annotating = pending.popleft()
                await _insert(session, batch, await annotator.result(annotating), report)
    report.notes.extend(reader.notes)
    report.seconds = time.perf_counter() - started
    log.info("catalog import: %s", report.summary(listed=0))
    return report


async def _insert(
    session: AsyncSession, batch: list[Accepted], vectors: np.ndarray, report: ImportReport
) -> None:
    rows = [
        track_row(item.record, vector, report.source)
        for item, vector in zip(batch, vectors, strict=True)
    ]
    result = await tracks.add_many(session, rows)
    duplicates = set(result.duplicates)
    recommendable = vectors.any(axis=1).tolist()
    report.imported += result.inserted
    report.duplicates.extend(batch[i].line for i in result.duplicates)
    report.unannotated.extend(
        item.line for i, item in enumerate(batch) if not recommendable[i] and i not in duplicates
    )


async def ensure_demo_catalog(
    session_factory: async_sessionmaker[AsyncSession],
    text_engine: TextAnalyzer,
    progress: bool = False,
) -> ImportReport | None:
    """Import the bundled demo catalog into an empty tracks table; None when not needed."""
    async with session_factory() as session:
        if await tracks.count(session) > 0:
            return None
    try:
        demo = resources.files(DEMO_PACKAGE).joinpath(DEMO_FILE)
    except ModuleNotFoundError:
        demo = None
    if demo is None or not demo.is_file():
        log.warning("the bundled demo catalog %s/%s is missing", DEMO_PACKAGE, DEMO_FILE)
        return None
    with resources.as_file(demo) as path:
        return await import_file(path, session_factory, text_engine, progress, source="demo")
