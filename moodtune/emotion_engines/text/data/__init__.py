"""Tables written for moodtune: modifiers, extra chat words, emoji (CSV, one row a line)."""

from __future__ import annotations

import csv
from importlib import resources


def rows(name: str) -> list[dict[str, str]]:
    """The rows of `name` (a CSV in this folder), skipping blank and `#` comment lines."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))
