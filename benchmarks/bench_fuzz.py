"""Fuzzing the neutral handlers: generated inputs per modality, through a real App.

    python -m benchmarks fuzz                          # 10,000 inputs per modality
    python -m benchmarks fuzz --per-modality 500 --seed 7
    python -m benchmarks fuzz --quick                  # 100 per modality

Each input (benchmarks/fuzz_inputs.py: random, truncated, bit-flipped, header boundary
values, bombs, huge, empty, unicode junk, and valid ones) goes to the handlers'
conversation as a person's message would (words, a photo, a voice note, a document with
a declared type and name), from people writing in English and in Chinese, over an App on
a temporary SQLite database with the bundled catalog, a few at a time as concurrent chats
do. Counted: exceptions that escape the handlers, hangs (no reply within the per-input
timeout), empty replies; measured: the process's peak resident memory, the slowest input,
and the lines written straight to stderr instead of to the log. The last line is
``fuzz: N inputs, E exceptions, H hangs``.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.fuzz_inputs import MODALITIES, FuzzInput, inputs
from benchmarks.table import Row

OPTIONS = {
    "--per-modality": {"type": int, "help": "inputs per modality (default 10,000)"},
    "--seed": {"type": int, "help": "which inputs (default 16)"},
    "--timeout": {"type": float, "help": "seconds an input may take before it is a hang"},
}
PER_MODALITY, QUICK_PER_MODALITY = 10_000, 100
SEED = 16
TIMEOUT_SECONDS = 60.0  # ffmpeg alone may take 30 s before it gives up on a stalled file
CONCURRENT = 4  # inputs in flight at once, as messages from several chats are
PEOPLE = 40  # half write in English, half in Chinese
PROGRESS = 1000  # inputs between two progress lines on stderr
TARGET_PEAK_MB = 1024.0
MB = 1024 * 1024
NAME = "fuzz the handlers"


@dataclass
class Tally:
    """What one modality's inputs did."""

    inputs: int = 0
    exceptions: int = 0
    hangs: int = 0
    empty: int = 0
    refused: int = 0  # a clear "I can't use this" reply: the expected answer to bad input
    slowest: tuple[float, str] = (0.0, "")
    seconds: list[float] = field(default_factory=list)


@dataclass
class Report:
    tallies: dict[str, Tally]
    peak_rss_mb: float
    rss_before_mb: float
    rss_after_mb: float
    stderr_lines: list[str]
    log_counts: dict[str, int]
    wall_seconds: float
    failures: list[str]

    @property
    def inputs(self) -> int:
        return sum(t.inputs for t in self.tallies.values())

    @property
    def exceptions(self) -> int:
        return sum(t.exceptions for t in self.tallies.values())

    @property
    def hangs(self) -> int:
        return sum(t.hangs for t in self.tallies.values())

    @property
    def empty(self) -> int:
        return sum(t.empty for t in self.tallies.values())


async def fuzz(
    handlers: Any,
    per_modality: int,
    seed: int = SEED,
    timeout: float = TIMEOUT_SECONDS,
    modalities: Iterable[str] = MODALITIES,
    progress_every: int = 0,
) -> Report:
    """Every modality's inputs through ``handlers`` (moodtune.handlers.dispatch.Handlers);
    every ``progress_every`` inputs a line on stderr says how far it got."""
    tallies = {modality: Tally() for modality in modalities}
    failures: list[str] = []
    log = _CountingHandler()
    root = logging.getLogger()
    root.addHandler(log)
    level, root.level = root.level, logging.INFO
    logging.captureWarnings(True)  # as `moodtune run` does (bot/redaction.configure_logging)
    before = _reset_peak()
    start = time.perf_counter()
    try:
        with _raw_stderr() as (stderr_lines, tell):
            for modality in tallies:
                pending: set[asyncio.Task[None]] = set()
                for item in inputs(modality, per_modality, seed):
                    if progress_every and item.number % progress_every == 0:
                        tally = tallies[modality]
                        tell(f"fuzz {modality} {item.number:,}/{per_modality:,}: "
                             f"{tally.exceptions} exceptions, {tally.hangs} hangs")  # fmt: skip
                    if len(pending) >= CONCURRENT:
                        _, pending = await asyncio.wait(pending, return_when="FIRST_COMPLETED")
                    task = _one(handlers, item, timeout, tallies[modality], failures)
                    pending.add(asyncio.create_task(task))
                if pending:
                    await asyncio.wait(pending)
    finally:
        root.removeHandler(log)
        root.setLevel(level)
        logging.captureWarnings(False)
    wall = time.perf_counter() - start
    peak, after = _status("VmHWM"), _status("VmRSS")
    return Report(
        tallies, peak / MB, before / MB, after / MB, stderr_lines, dict(log.counts), wall, failures
    )


async def _one(
    handlers: Any, item: FuzzInput, timeout: float, tally: Tally, failures: list[str]
) -> None:
    tally.inputs += 1
    start = time.perf_counter()
    try:
        reply = await asyncio.wait_for(_send(handlers, item), timeout)
    except TimeoutError:
        tally.hangs += 1
        failures.append(f"hang: {_label(item)}")
        return
    except Exception:
        tally.exceptions += 1
        failures.append(f"exception: {_label(item)}\n{traceback.format_exc()}")
        return
    finally:
        seconds = time.perf_counter() - start
        tally.seconds.append(seconds)
        if seconds > tally.slowest[0]:
            tally.slowest = (seconds, _label(item))
    if reply is None or not reply.text.strip():
        tally.empty += 1
        failures.append(f"empty reply: {_label(item)}")
    elif not reply.ok:
        tally.refused += 1


EVENTS = itertools.count(1)


async def _send(handlers: Any, item: FuzzInput) -> Any:
    """The input as a connector hands it to the core's front door (handlers.on_message): a
    message, or a file announced with its size and fetched when the core asks."""
    from moodtune.handlers.incoming import Media, Message
    from moodtune.handlers.replies import Chat, Sender

    person = item.number % PEOPLE
    sender = Sender("local", f"fuzz_{person}", f"Fuzz {person}", "zh-hans" if person % 2 else "en")
    chat, event = Chat("local", sender.user_id), str(next(EVENTS))  # each input a new event
    if item.modality == "text":
        return await handlers.on_message(Message(event, sender, chat, str(item.data)))
    data = bytes(item.data) if isinstance(item.data, bytes) else str(item.data).encode()

    async def fetch(limit: int) -> bytes:
        return data

    kind = item.modality if item.modality in ("photo", "voice") else "document"
    media = Media(kind, len(data), fetch, item.media_type, item.filename)  # type: ignore[arg-type]
    return await handlers.on_message(Message(event, sender, chat, item.caption, media))


def _label(item: FuzzInput) -> str:
    return f"{item.modality} #{item.number} ({item.category}): {item.description}"[:300]


class _CountingHandler(logging.Handler):
    """The log, counted by level, instead of printed."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: collections.Counter[str] = collections.Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1


@contextmanager
def _raw_stderr() -> Iterator[tuple[list[str], Callable[[str], None]]]:
    """Descriptor 2 captured for the run: the lines written there, not through the log;
    and a way to write a line to the real stderr meanwhile."""
    lines: list[str] = []
    sys.stderr.flush()
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)

        def tell(line: str) -> None:
            os.write(saved, f"{line}\n".encode())

        try:
            yield lines, tell
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            lines += sink.read().decode("utf-8", "replace").splitlines()


def _status(field_name: str) -> int:
    """A /proc/self/status memory field in bytes (Linux); the peak from getrusage elsewhere."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1]) * 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _reset_peak() -> int:
    """Start the peak from what is resident now (Linux; elsewhere it counts from the start)."""
    clear = Path("/proc/self/clear_refs")
    if clear.exists():
        clear.write_text("5")
    return _status("VmRSS")


async def open_handlers(data_dir: Path) -> Any:
    """The neutral handlers over an App on a new SQLite database in ``data_dir``."""
    from moodtune.bot.app import App
    from moodtune.config import Settings
    from moodtune.handlers.dispatch import Handlers

    # No flood guard: the fuzz sends far faster than any person would.
    settings = Settings(_env_file=None, data_dir=data_dir, messages_per_minute=0)  # type: ignore[call-arg]
    return Handlers(await App.open(settings))


async def _measure(per_modality: int, seed: int, timeout: float) -> Report:
    data_dir = Path(tempfile.mkdtemp(prefix="moodtune-fuzz-"))
    try:
        handlers = await open_handlers(data_dir)
        try:
            warm_up = min(9, per_modality)  # engines, samples, bombs: one of each kind
            await fuzz(handlers, warm_up, seed + 1, timeout)
            return await fuzz(handlers, per_modality, seed, timeout, progress_every=PROGRESS)
        finally:
            await handlers.app.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(
    quick: bool = False,
    per_modality: int | None = None,
    seed: int = SEED,
    timeout: float = TIMEOUT_SECONDS,
) -> list[Row]:
    from moodtune.bot import event_loop

    count = per_modality or (QUICK_PER_MODALITY if quick else PER_MODALITY)
    report = event_loop.run(_measure(count, seed, timeout))
    for failure in report.failures[:20]:
        print(failure, file=sys.stderr)
    for line in report.stderr_lines[:20]:
        print(f"raw stderr: {line}", file=sys.stderr)
    return rows(report)


def rows(report: Report) -> list[Row]:
    result = []
    for modality, tally in report.tallies.items():
        name = f"{NAME}: {modality}"
        slowest, which = tally.slowest
        result += [
            Row(name, "inputs", tally.inputs, ""),
            Row(name, "exceptions", tally.exceptions, "", "0", tally.exceptions == 0),
            Row(name, "hangs", tally.hangs, "", "0", tally.hangs == 0),
            Row(name, "empty replies", tally.empty, "", "0", tally.empty == 0),
            Row(name, "refused with a reason", tally.refused, ""),
            Row(name, "median time per input", _median(tally.seconds) * 1e3, "ms"),
            Row(name, f"slowest: {which}", slowest, "s"),
        ]
    peak_ok = report.peak_rss_mb <= TARGET_PEAK_MB
    warnings = report.log_counts.get("WARNING", 0) + report.log_counts.get("ERROR", 0)
    result += [
        Row(NAME, "peak resident memory", report.peak_rss_mb, "MB", "<= 1,024 MB", peak_ok),
        Row(NAME, "resident memory before", report.rss_before_mb, "MB"),
        Row(NAME, "resident memory after", report.rss_after_mb, "MB"),
        Row(NAME, "lines on raw stderr", len(report.stderr_lines), "", "0",
            not report.stderr_lines),
        Row(NAME, "log records (warning and above)", warnings, ""),
        Row(NAME, "inputs per second", report.inputs / max(report.wall_seconds, 1e-9), "/s"),
    ]  # fmt: skip
    return result


def last_line(result: list[Row]) -> str:
    """``fuzz: N inputs, E exceptions, H hangs`` from the rows."""
    total = {case: 0 for case in ("inputs", "exceptions", "hangs")}
    for row in result:
        if row.benchmark.startswith(f"{NAME}: ") and row.case in total:
            total[row.case] += int(row.value)
    inputs, exceptions, hangs = total.values()
    return f"fuzz: {inputs} inputs, {exceptions} exceptions, {hangs} hangs"


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2] if values else 0.0
