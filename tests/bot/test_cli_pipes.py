"""`moodtune … | head`: the real command in its own process, writing into a pipe whose
reader has gone. It ends quietly with exit 1 (click's and Python's convention for EPIPE),
not with a traceback or a "Broken pipe" usage error."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

MOODTUNE = [sys.executable, "-c", "from moodtune.bot.cli import main; main()"]


def run_into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run moodtune with stdout a pipe whose read end is already closed, as after
    `| head -1` has read its line and gone: every write fails with EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [*MOODTUNE, *args], stdout=write_end, stderr=subprocess.PIPE, timeout=120
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        ("analyze", "--help"),
        ("analyze", "I am so happy today"),
        ("recommend", "I feel happy", "-k", "50"),
        ("recommend", "I feel happy", "-k", "50", "--json"),
    ],
)
def test_output_cut_short_ends_quietly(args: tuple[str, ...]) -> None:
    finished = run_into_a_closed_pipe(*args)
    assert finished.stderr.decode() == ""
    assert finished.returncode == 1


def test_a_usage_error_still_speaks_when_stdout_is_gone() -> None:
    finished = run_into_a_closed_pipe("analyze", "--photo", "no-such-photo.jpg")
    assert finished.returncode == 2
    assert finished.stderr.decode().strip() == "moodtune: no such file: no-such-photo.jpg"


def test_the_whole_pipeline_with_head() -> None:
    """The shell's own `| head -1`: the first line arrives and the command ends cleanly."""
    pipeline = subprocess.run(
        ["bash", "-o", "pipefail", "-c", '"$@" recommend "I feel happy" -k 50 | head -1',
         "moodtune", *MOODTUNE],
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert pipeline.stdout.decode().startswith("mood")
    assert pipeline.stderr.decode() == ""
    assert pipeline.returncode in (0, 1)  # 1 if head left before the last line was written
