"""The fuzz benchmark's inputs through the handlers, a small fixed-seed set: nothing raises,
nothing hangs, every input gets a reply, nothing is written straight to stderr.

The full run is ``python -m benchmarks fuzz`` (10,000 inputs per modality).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from benchmarks.bench_fuzz import fuzz, last_line, rows
from benchmarks.fuzz_inputs import CATEGORIES, MODALITIES, inputs
from moodtune.handlers.dispatch import Handlers

ROOT = Path(__file__).resolve().parents[2]
PER_MODALITY = 18  # every category twice


def test_inputs_are_the_same_for_the_same_seed_and_cover_every_category() -> None:
    for modality in MODALITIES:
        first = [(i.category, i.description, i.data) for i in inputs(modality, 9, seed=3)]
        again = [(i.category, i.description, i.data) for i in inputs(modality, 9, seed=3)]
        assert first == again
        assert {category for category, _, _ in first} == set(CATEGORIES[modality])
    other = [i.data for i in inputs("photo", 9, seed=4)]
    assert other != [i.data for i in inputs("photo", 9, seed=3)]


async def test_a_fixed_seed_set_through_the_handlers(handlers: Handlers) -> None:
    report = await fuzz(handlers, PER_MODALITY, seed=16, timeout=60)
    assert report.inputs == PER_MODALITY * len(MODALITIES)
    assert report.failures == []  # no exception, hang or empty reply, each named if any
    assert (report.exceptions, report.hangs, report.empty) == (0, 0, 0)
    assert report.stderr_lines == []  # decoder noise went to the log
    refused = sum(tally.refused for tally in report.tallies.values())
    assert refused > report.inputs / 2  # bad input got a reason, not tracks
    line = last_line(rows(report))
    assert line == f"fuzz: {report.inputs} inputs, 0 exceptions, 0 hangs"


def test_the_command_takes_its_option_and_ends_with_the_summary(tmp_path: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "MOODTUNE_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "fuzz", "--per-modality", "2", "--seed", "5"],
        capture_output=True, text=True, cwd=tmp_path, env=environment, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    *table, last = done.stdout.strip().splitlines()
    assert last == "fuzz: 8 inputs, 0 exceptions, 0 hangs"
    assert any(re.search(r"peak resident memory .* yes", line) for line in table)
