"""Big imports annotate in worker processes: same result as in-process, all or nothing."""

from __future__ import annotations

import gc
import json
import os
import random
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete, select

from moodtune.catalog import annotation_pool
from moodtune.catalog.annotation_pool import AnnotationWorkerError, BatchAnnotator
from moodtune.catalog.loader import import_file
from moodtune.config import Settings
from moodtune.emotion_engines.text import build_text_engine
from moodtune.storage import tracks
from moodtune.storage.models import Track

WORDS = ("happy", "sad", "love", "lonely", "rain", "night", "the", "song", "开心", "难过", "夜晚")


def write_catalog(path: Path, rows: int, seed: int = 4) -> Path:
    """A CSV with moods in titles and comments, some duplicates, bad rows and moodless rows."""
    rng = random.Random(seed)
    lines = ["title,artists,valence,energy,comments"]
    for i in range(rows):
        if i % 17 == 5:
            lines.append(f",Nobody {i},,,")  # rejected: no title
        elif i % 13 == 7:
            lines.append(lines[rng.randrange(1, len(lines))].split(",")[0] + ",Artist 0,,,")
        elif i % 11 == 3:
            lines.append(f"Opus {i},Artist {i},,,")  # nothing to read: zero vector
        else:
            comments = [{"text": " ".join(rng.choices(WORDS, k=5)), "likes": i % 7}]
            cell = json.dumps(comments, ensure_ascii=False).replace('"', '""')
            lines.append(f'Song {i} {rng.choice(WORDS)},Artist 0,0.{i % 9},,"{cell}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def stored(session_factory) -> dict[tuple[str, tuple[str, ...]], np.ndarray]:
    async with session_factory() as session:
        found = (await session.scalars(select(Track))).all()
    return {(t.title, tuple(t.artists)): np.asarray(t.vector) for t in found}


async def test_workers_store_what_one_process_stores(tmp_path: Path, session_factory) -> None:
    engine = build_text_engine(Settings())
    path = write_catalog(tmp_path / "big.csv", 150)
    alone = await import_file(path, session_factory, engine, False, batch_size=20, workers=0)
    expected = await stored(session_factory)
    async with session_factory() as session, session.begin():
        await session.execute(delete(Track))
    spread = await import_file(path, session_factory, engine, False, batch_size=20, workers=1)
    assert gc.get_freeze_count() == 0  # the collector is left as it was found
    got = await stored(session_factory)
    assert (spread.read, spread.imported, spread.rejected_count) == (
        alone.read, alone.imported, alone.rejected_count,
    )  # fmt: skip
    assert (spread.duplicates, spread.unannotated) == (alone.duplicates, alone.unannotated)
    assert spread.duplicates and spread.unannotated and spread.rejected_count
    assert got.keys() == expected.keys()
    for key, vector in expected.items():
        np.testing.assert_array_equal(got[key], vector)


class ExplodingEngine:
    """The real engine, but one text makes it fail: raise, or kill its process outright."""

    def __init__(self, trigger: str, how: str) -> None:
        self.engine = build_text_engine(Settings())
        self.max_chars = self.engine.max_chars
        self.trigger, self.how = trigger, how

    def analyze_sync(self, text: str):
        if text == self.trigger:
            if self.how == "exit":
                os._exit(3)  # what the OOM killer or a segfault looks like to the importer
            raise RuntimeError("the engine crashed")
        return self.engine.analyze_sync(text)


@pytest.mark.parametrize(
    ("how", "error", "message"),
    [("raise", RuntimeError, "the engine crashed"), ("exit", AnnotationWorkerError, "rolled back")],
)
async def test_a_failing_worker_leaves_the_database_as_it_was(
    tmp_path: Path, session_factory, how: str, error: type[Exception], message: str
) -> None:
    path = write_catalog(tmp_path / "big.csv", 120)
    with path.open("a", encoding="utf-8") as file:
        file.write("Boom,Somebody,,,\n")
    engine = ExplodingEngine("Boom", how)
    with pytest.raises(error, match=message):
        await import_file(path, session_factory, engine, False, batch_size=20, workers=1)
    async with session_factory() as session:
        assert await tracks.count(session) == 0


async def test_a_file_of_one_batch_starts_no_process(
    tmp_path: Path, session_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[BatchAnnotator] = []
    start_pool = BatchAnnotator._start_pool

    async def recording(self: BatchAnnotator):
        started.append(self)
        return await start_pool(self)

    monkeypatch.setattr(BatchAnnotator, "_start_pool", recording)
    engine = build_text_engine(Settings())
    path = write_catalog(tmp_path / "small.csv", 30)
    report = await import_file(path, session_factory, engine, False, batch_size=50, workers=1)
    assert report.imported > 0 and not started
    await import_file(path, session_factory, engine, False, batch_size=10, workers=1)
    assert len(started) == 1


def test_one_worker_per_core_and_none_on_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = build_text_engine(Settings())
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    assert annotation_pool.default_workers(engine) == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0}, raising=False)
    assert annotation_pool.default_workers(engine) == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: set(range(64)), raising=False)
    assert annotation_pool.default_workers(engine) == annotation_pool.MAX_WORKERS


def test_engines_without_the_bulk_path_annotate_in_process(keyword_engine) -> None:
    assert annotation_pool.default_workers(keyword_engine) == 0
