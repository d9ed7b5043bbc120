"""Choosing the text engine from the settings."""

from __future__ import annotations

from typing import Protocol

from moodtune.config import Settings, get_settings
from moodtune.emotion_engines.reading import Reading
from moodtune.emotion_engines.text.lexicon_engine import LexiconTextEngine
from moodtune.emotion_engines.text.transformer_engine import TransformerTextEngine


class TextEngine(Protocol):
    """What every text engine offers: a name, and a reading of one message."""

    name: str
    modality: str

    def analyze_sync(self, text: str) -> Reading: ...

    async def analyze(self, text: str) -> Reading: ...


def build_text_engine(settings: Settings | None = None) -> TextEngine:
    """The lexicon engine, or the transformer engine (lexicon as fallback) when
    `settings.text_model` is set. A configured but unusable DLUT file raises
    `LexiconError` here, at start-up, not on the first message."""
    settings = settings or get_settings()
    lexicon = LexiconTextEngine.from_settings(settings)
    if settings.text_model:
        return TransformerTextEngine(
            settings.text_model,
            lexicon,
            max_chars=settings.max_text_chars,
            workers=settings.analysis_workers,
        )
    return lexicon
