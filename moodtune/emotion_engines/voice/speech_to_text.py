"""Which speech-to-text model hears a note, in which language, and what came of it.

The person's language decides: a model is tried only when it knows that language (a
configured model is taken to know any; Whisper tiny.en knows English). Without a known
language the models are tried as they are, and a transcript with no letters in it ("1, 2,
1, 1" from an English model hearing Mandarin) counts as no words. Models are tried in
order, a configured one first; one that cannot load or fails leaves the next to try.
The outcome is one Hearing, kept as the voice reading's evidence, from which a reply says
what was heard, or why only the tone was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, Protocol

import numpy as np

from moodtune.emotion_engines.lazy import LazyModel
from moodtune.emotion_engines.reading import Evidence

Unheard = Literal["", "language", "no model", "no words", "failed"]
SHOWN_CHARS: Final = 120  # of a transcript, in the evidence's label

_WHY: Final = {
    "language": "no speech-to-text model for {language} here, so only the tone was read",
    "no model": "no speech-to-text model installed, so only the tone was read",
    "no words": "no words made out, so only the tone was read",
    "failed": "speech-to-text failed, so only the tone was read",
}


class Transcriber(Protocol):
    name: str

    def transcribe(self, samples: np.ndarray, rate: int) -> str: ...


@dataclass(frozen=True)
class Recogniser:
    """A speech-to-text model loaded on first use, and the languages it knows (None: any)."""

    model: LazyModel[Transcriber]
    languages: frozenset[str] | None = None

    def knows(self, language: str | None) -> bool:
        return self.languages is None or language is None or language in self.languages


@dataclass(frozen=True)
class Hearing:
    """The words of a note, or why there are none (``unheard``)."""

    words: str = ""
    recogniser: str = ""
    unheard: Unheard = ""
    language: str | None = None

    def evidence(self) -> Evidence:
        """The transcript as evidence: its label readable as it is, its detail for replies."""
        detail: dict[str, object] = {"transcript": self.words}
        if self.recogniser:
            detail["recogniser"] = self.recogniser
        if self.language:
            detail["language"] = self.language
        if self.unheard:
            detail["unheard"] = self.unheard
            label = _WHY[self.unheard].format(language=self.language)
        else:
            shown = self.words[:SHOWN_CHARS] + ("…" if len(self.words) > SHOWN_CHARS else "")
            label = f"heard: “{shown}”"
        return Evidence(label, 0.0, (), detail)


class Listener:
    def __init__(self, recognisers: Sequence[Recogniser]) -> None:
        self.recognisers = tuple(recognisers)

    def hear(self, samples: np.ndarray, rate: int, language: str | None) -> Hearing:
        if not self.recognisers:
            return Hearing(unheard="no model", language=language)
        fitting = [r for r in self.recognisers if r.knows(language)]
        if not fitting:
            return Hearing(unheard="language", language=language)
        for recogniser in fitting:
            heard = recogniser.model.use(lambda m: (m.transcribe(samples, rate), m.name))
            if heard is None:
                continue  # could not load, or failed on this note: the next one tries
            words, name = " ".join(heard[0].split()), heard[1]
            if not any(character.isalpha() for character in words):
                return Hearing(recogniser=name, unheard="no words", language=language)
            return Hearing(words, name, language=language)
        none_loaded = all(recogniser.model.failed for recogniser in fitting)
        return Hearing(unheard="no model" if none_loaded else "failed", language=language)
