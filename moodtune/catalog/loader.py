"""Import a catalog file into the database: read, annotate, insert — all or nothing.

The whole import is one transaction: a crash or an error half-way leaves the database as
it was (SQLite and PostgreSQL both handle 100k+ inserted rows in one transaction well).
Reading and annotating run in a worker thread, a batch at a time, so the event loop stays
free; inserting runs on the loop through the async session.

On SQLite that transaction holds the database's single write lock until it commits, so a
running bot's writes wait meanwhile (up to storage.db.SQLITE_BUSY_MS, then fail): import
big catalogs while the bot is stopped, or use PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.catalog.annotator import Annotation, Annotator, TextAnalyzer
from moodtune.catalog.importers import Item, Rejected, open_catalog
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


def track_row(record: TrackRecord, annotation: Annotation, source: str) -> dict[str, Any]:
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
        "vector": annotation.vector.values,
        "has_lyrics": bool(record.lyrics),
        "source": source,
    }


@dataclass(frozen=True, slots=True)
class _Prepared:
    line: int
    row: dict[str, Any]
    recommendable: bool


def _next_batch(
    items: Iterator[Item], annotator: Annotator, report: ImportReport, source: str, size: int
) -> list[_Prepared]:
    """Read and annotate up to `size` accepted rows (runs in a worker thread)."""
    batch: list[_Prepared] = []
    for item in items:
        report.read += 1
        if isinstance(item, Rejected):
            report.reject(item)
            continue
        annotation = annotator.annotate(item.record)
        row = track_row(item.record, annotation, source)
        batch.append(_Prepared(item.line, row, annotation.recommendable))
        if len(batch) >= size:
            break
    return batch


async def import_file(
    path: str | Path,
    session_factory: async_sessionmaker[AsyncSession],
    text_engine: TextAnalyzer,
    progress: bool = True,
    source: str | None = None,
    batch_size: int = BATCH,
) -> ImportReport:
    """Import every valid row of a catalog file; the report says what happened to the rest.

    Raises CatalogFileError when the file cannot be read at all (unknown extension,
    missing). Nothing is written unless the whole import succeeds.
    """
    started = time.perf_counter()
    reader = open_catalog(path, progress)
    source = source or reader.path.name
    report = ImportReport(source)
    annotator = Annotator(text_engine)
    with closing(reader.rows()) as items:  # the file closes even when the import fails
        async with session_factory() as session, session.begin():
            while batch := await asyncio.to_thread(
                _next_batch, items, annotator, report, source, batch_size
            ):
                await _insert(session, batch, report)
    report.notes.extend(reader.notes)
    report.seconds = time.perf_counter() - started
    log.info("catalog import: %s", report.summary(listed=0))
    return report


async def _insert(session: AsyncSession, batch: list[_Prepared], report: ImportReport) -> None:
    result = await tracks.add_many(session, [p.row for p in batch])
    duplicates = set(result.duplicates)
    report.imported += result.inserted
    report.duplicates.extend(batch[i].line for i in result.duplicates)
    report.unannotated.extend(
        p.line for i, p in enumerate(batch) if not p.recommendable and i not in duplicates
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
