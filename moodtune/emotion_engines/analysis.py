"""The engines a message needs, built on first use, and one message's analysis."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from moodtune.config import Settings
from moodtune.emotion_engines.fusion import checked, fuse
from moodtune.emotion_engines.reading import Reading
from moodtune.errors import ConfigurationError


@dataclass(frozen=True)
class Inputs:
    """One message's content: any of words, a photo, a voice note."""

    text: str | None = None
    photo: bytes | None = None
    voice: bytes | None = None
    language: str | None = None  # what a voice note is spoken in ('en', 'zh'), when known


@dataclass(frozen=True)
class Analysis:
    readings: tuple[Reading, ...]
    fused: Reading


class Engines:
    """The engines the settings ask for, each built on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def text(self) -> Any:
        from moodtune.emotion_engines.text import LexiconError, build_text_engine

        try:
            return build_text_engine(self.settings)
        except LexiconError as error:
            raise ConfigurationError(str(error)) from error

    @cached_property
    def photo(self) -> Any:
        from moodtune.emotion_engines.photo import build_photo_engine

        return build_photo_engine(self.settings)

    @cached_property
    def voice(self) -> Any:
        from moodtune.emotion_engines.voice import build_voice_engine

        return build_voice_engine(self.settings, self.text)

    @property
    def modality_weights(self) -> dict[str, float]:
        s = self.settings
        return {"text": s.weight_text, "photo": s.weight_photo, "voice": s.weight_voice}

    async def analyze(self, inputs: Inputs) -> Analysis:
        """Read every modality present (concurrently) and fuse them into one mood."""
        jobs = []
        if inputs.text is not None:
            jobs.append(self._analyze_text(inputs.text))
        if inputs.photo is not None:
            jobs.append(self.photo.analyze(inputs.photo))
        if inputs.voice is not None:
            jobs.append(self.voice.analyze(inputs.voice, inputs.language))
        # One modality (most messages) is awaited as it is: gather would wrap it in a task.
        readings = (await jobs[0],) if len(jobs) == 1 else tuple(await asyncio.gather(*jobs))
        # One valid reading stands as it is (its words, faces, cues as evidence); anything
        # else goes through fusion, which also drops a malformed reading at the boundary.
        valid = checked(readings)
        single = len(readings) == 1 and len(valid) == 1
        fused = valid[0] if single else fuse(readings, self.modality_weights)
        return Analysis(readings, fused)

    async def _analyze_text(self, text: str) -> Reading:
        from moodtune.emotion_engines.text import LexiconError

        try:  # the engine cleans and checks the text itself (TextInputError)
            return await self.text.analyze(text)
        except LexiconError as error:
            raise ConfigurationError(str(error)) from error
