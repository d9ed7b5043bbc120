"""`moodtune catalog import` with a file it cannot import: one clear line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run


@pytest.mark.parametrize(
    ("name", "shown"),
    [("tracks.json", ".json"), ("tracks.txt", ".txt"), ("tracks", "no extension")],
)
def test_a_file_of_another_kind_is_named_in_one_line(tmp_path: Path, name: str, shown: str) -> None:
    path = tmp_path / name
    path.write_text(json.dumps([{"title": "Song", "artists": "Someone"}]), encoding="utf-8")
    result = run("catalog", "import", "--quiet", str(path))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert name in lines[0] and shown in lines[0] and ".jsonl" in lines[0]
    assert "Traceback" not in result.output


def test_a_missing_file_is_named_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    result = run("catalog", "import", str(missing))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and str(missing) in lines[0], result.output
