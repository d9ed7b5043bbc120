"""A small, exact text engine for checking the annotator's arithmetic.

The real engines' numbers depend on lexicons; this one maps a handful of words to
categories so a test can compute the expected vector by hand. Tests that only need
"some real reading" use the project's own lexicon engine instead.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.reading import Reading

WORDS = {"joy": "PA", "happy": "PA", "sad": "NB", "sorrow": "NB", "fear": "NC", "love": "PB"}


class KeywordEngine:
    """Each known word adds one to its category; confidence = hits / 2, at most 1."""

    name = "keywords"
    modality = "text"

    def __init__(self, max_chars: int = 4000, refuse: str | None = None) -> None:
        self.max_chars = max_chars
        self.refuse = refuse  # a word that makes the engine refuse the text (ValueError)
        self.calls: list[str] = []

    def analyze_sync(self, text: str) -> Reading:
        if len(text) > self.max_chars:
            raise ValueError(f"text longer than {self.max_chars}")
        if self.refuse and self.refuse in text:
            raise ValueError("refused")
        self.calls.append(text)
        hits = [WORDS[w] for w in re.findall(r"\w+", text.lower()) if w in WORDS]
        if not hits:
            return Reading.empty("text", self.name, "no keyword")
        vector = EmotionVector.from_scores(Counter(hits))
        return Reading(vector, min(1.0, len(hits) / 2), engine=self.name)


@pytest.fixture
def keyword_engine() -> KeywordEngine:
    return KeywordEngine()


@pytest.fixture
def make_keyword_engine() -> type[KeywordEngine]:
    return KeywordEngine
