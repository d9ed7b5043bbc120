"""Negators and intensifiers, and how they bend the feeling word that follows them.

The words and factors live in `data/modifiers.csv` (written for moodtune). Reading back
from a feeling word, at most `WINDOW` tokens and never across punctuation:

- an odd number of negators negates the word (see `negation.py`); an even number
  ("不是不开心", "not that I'm not happy") cancels out;
- intensifiers multiply the word's weight ("非常开心", "very happy");
- an intensifier *between* a negator and the word hedges the negation instead of
  strengthening it: "不太开心" / "not very happy" is "a bit unhappy", so the negation
  holds at half strength and the intensifier is dropped;
- a weakener *before* a negator is part of an emphatic negation ("一点也不快乐",
  "not a bit"): it is dropped rather than weakening the result;
- a listed word is never read as a feeling word itself ("pretty", "不是").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from moodtune.emotion_engines.text import data
from moodtune.emotion_engines.text.negation import Profile, negate

WINDOW = 3
HEDGED_NEGATION = 0.5


@dataclass(frozen=True, slots=True)
class Modification:
    """What the words before a feeling word do to it."""

    negated: bool = False
    negation_strength: float = 1.0
    intensity: float = 1.0

    def apply(self, profile: Profile) -> Profile:
        if self is UNCHANGED:
            return profile
        scaled = tuple((code, weight * self.intensity) for code, weight in profile)
        return negate(scaled, self.negation_strength) if self.negated else scaled


UNCHANGED = Modification()


@dataclass(frozen=True)
class Modifiers:
    """One language's negators and intensifiers, word -> factor."""

    negators: dict[str, float]
    intensifiers: dict[str, float]
    words: frozenset[str] = field(init=False)  # both, for a quick test

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", frozenset(self.negators) | frozenset(self.intensifiers))

    def __contains__(self, token: str) -> bool:
        return token in self.words

    def before(
        self, tokens: Sequence[str], position: int, is_break: Callable[[str], bool]
    ) -> Modification:
        """How the tokens just before `tokens[position]` modify it."""
        window = tokens[max(0, position - WINDOW) : position]
        if self.words.isdisjoint(window):
            return UNCHANGED  # the common case, decided in C
        negations = 0
        negation_strength = 1.0
        between = 1.0  # intensifiers between the nearest negator and the word
        outside = 1.0  # intensifiers further away than a negator
        for token in reversed(window):
            if is_break(token):
                break
            if token in self.negators:
                negations += 1
                negation_strength = min(negation_strength, self.negators[token])
            elif token in self.intensifiers:
                if negations:
                    outside *= self.intensifiers[token]
                else:
                    between *= self.intensifiers[token]
        if negations % 2 == 0:
            intensity = between * outside
            return UNCHANGED if intensity == 1.0 else Modification(intensity=intensity)
        if between > 1:
            negation_strength *= HEDGED_NEGATION
        return Modification(True, negation_strength, max(outside, 1.0))


@functools.cache
def load(lang: str) -> Modifiers:
    """The modifiers of "zh" or "en"."""
    negators: dict[str, float] = {}
    intensifiers: dict[str, float] = {}
    for row in data.rows("modifiers.csv"):
        if row["lang"] == lang:
            table = negators if row["kind"] == "negator" else intensifiers
            table[row["word"]] = float(row["factor"])
    return Modifiers(negators, intensifiers)
