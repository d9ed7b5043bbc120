import logging

import numpy as np
import pytest

from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.fusion import MAX_CONFIDENCE, fuse
from moodtune.emotion_engines.reading import Reading

JOY = EmotionVector.from_scores({"PA": 1})
SORROW = EmotionVector.from_scores({"NB": 1})
WEIGHTS = {"text": 1.0, "photo": 0.5}


def test_weights_are_confidence_times_modality_weight() -> None:
    caption = Reading(JOY, 0.4, modality="text", engine="lexicon")
    photo = Reading(SORROW, 0.8, modality="photo", engine="faces")
    fused = fuse([caption, photo], WEIGHTS)
    # 0.4 × 1.0 against 0.8 × 0.5: equal weights.
    assert fused.vector.as_dict()["PA"] == pytest.approx(0.5)
    assert fused.vector.as_dict()["NB"] == pytest.approx(0.5)
    assert fused.confidence == pytest.approx(1 - 0.6 * 0.2)
    assert [e.label for e in fused.evidence] == ["text", "photo"]
    assert fused.parts == (caption, photo)


def test_zero_confidence_readings_do_not_count_and_all_zero_is_empty() -> None:
    silent = Reading.empty("voice", "prosody", "I could not hear anything")
    text = Reading(JOY, 0.3, modality="text")
    assert fuse([silent, text], WEIGHTS).vector == JOY
    empty = fuse([silent, Reading.empty("text", "lexicon")], WEIGHTS)
    assert not empty.has_signal and empty.vector.is_zero
    assert "could not hear" in empty.note


def test_confidence_is_capped() -> None:
    strong = [Reading(JOY, 1.0, modality="text"), Reading(JOY, 1.0, modality="photo")]
    assert fuse(strong, WEIGHTS).confidence == MAX_CONFIDENCE


def test_invalid_reading_is_dropped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    bad = Reading(JOY, 0.5, modality="photo", engine="broken")
    object.__setattr__(bad.vector, "values", np.full(21, np.nan))  # an engine gone wrong
    with caplog.at_level(logging.WARNING):
        fused = fuse([bad, Reading(SORROW, 0.5, modality="text")], WEIGHTS)
    assert fused.vector == SORROW
    assert "invalid photo reading" in caplog.text
