"""One message's analysis: a malformed reading from an engine is stopped at the boundary."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from moodtune.config import get_settings
from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.analysis import Engines, Inputs
from moodtune.emotion_engines.reading import Reading


class BrokenEngine:
    """An engine gone wrong: it hands over a vector with NaN in it."""

    name = "broken"
    modality = "text"

    async def analyze(self, data: str) -> Reading:
        reading = Reading(EmotionVector.from_scores({"PA": 1}), 0.9, engine=self.name)
        object.__setattr__(reading.vector, "values", np.full(21, np.nan))
        return reading


async def test_a_single_malformed_reading_is_dropped_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    engines = Engines(get_settings())
    engines.__dict__["text"] = BrokenEngine()  # the cached engine, replaced
    with caplog.at_level(logging.WARNING):
        analysis = await engines.analyze(Inputs(text="I am happy"))
    assert not analysis.fused.has_signal and analysis.fused.vector.is_zero
    assert "dropping an invalid text reading from broken" in caplog.text


async def test_a_single_good_reading_keeps_its_own_evidence() -> None:
    analysis = await Engines(get_settings()).analyze(Inputs(text="I am so happy today"))
    assert analysis.fused is analysis.readings[0]
    assert analysis.fused.modality == "text"
    assert any(e.label == "happy" for e in analysis.fused.evidence)
