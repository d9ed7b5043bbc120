"""Expressions of face crops: the smile cue and a tiny image-classification model."""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
import pytest
from photo_samples import ASTRONAUT_FACE, astronaut, build_tiny_expression_model

from moodtune.emotion_engines.photo.expression import SMILE_CONFIDENCE, SmileReader
from moodtune.emotion_engines.photo.expression_model import (
    ExpressionModelError,
    load_expression_model,
    model_expression_reader,
)


def face_crop(picture: np.ndarray | None = None) -> np.ndarray:
    x, y, w, h = ASTRONAUT_FACE
    return (astronaut() if picture is None else picture)[y : y + h, x : x + w]


def blurred_mouth() -> np.ndarray:
    """The astronaut with her mouth blurred away: a face with no smile to see."""
    picture = astronaut().copy()
    picture[120:170, 190:260] = cv2.GaussianBlur(picture[120:170, 190:260], (31, 31), 10)
    return picture


def test_the_astronauts_smile_reads_as_joy_with_low_confidence() -> None:
    (reading,) = SmileReader().read([face_crop()])
    assert reading.engine == "face:smile" and reading.modality == "photo"
    assert reading.vector.top(1)[0][0] == "PA"
    assert reading.confidence == SMILE_CONFIDENCE <= 0.35
    assert reading.evidence[0].label == "smile"


@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0])
def test_the_smile_is_seen_at_any_face_size(scale: float) -> None:
    crop = cv2.resize(face_crop(), None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    (reading,) = SmileReader().read([crop])
    assert reading.has_signal


def test_no_smile_is_no_signal_not_a_mood() -> None:
    crops = [face_crop(blurred_mouth()), np.full((90, 90, 3), 128, np.uint8)]
    for reading in SmileReader().read(crops):
        assert not reading.has_signal and reading.vector.is_zero
        assert "no smile" in reading.note


def test_tiny_and_empty_crops_are_no_signal() -> None:
    readings = SmileReader().read([np.zeros((4, 4, 3), np.uint8), np.zeros((0, 0, 3), np.uint8)])
    assert [r.has_signal for r in readings] == [False, False]


def test_a_tiny_model_reads_faces_through_the_fer_label_map(happy_model: Path) -> None:
    reader = model_expression_reader(str(happy_model), SmileReader())
    readings = reader.read([face_crop(), face_crop(blurred_mouth()), np.zeros((7, 5, 3), np.uint8)])
    assert reader.name == "model"
    for reading in readings:
        assert reading.engine == "face:model"
        assert reading.vector.top(1)[0][0] == "PA"
        assert 0.5 < reading.confidence <= 1.0
        assert reading.evidence[0].label == "happy" and reading.evidence[0].categories == ("PA",)


def test_a_model_that_mostly_says_neutral_is_not_confident(tmp_path: Path) -> None:
    model = build_tiny_expression_model(tmp_path / "neutral", favour="neutral")
    (reading,) = model_expression_reader(str(model), SmileReader()).read([face_crop()])
    assert reading.confidence < 0.05


def test_a_model_that_cannot_decide_gives_no_signal(tmp_path: Path) -> None:
    model = build_tiny_expression_model(tmp_path / "flat", favour=None)  # uniform output
    (reading,) = model_expression_reader(str(model), SmileReader()).read([face_crop()])
    assert not reading.has_signal and reading.vector.is_zero


def test_other_spellings_of_fer_labels_map_too(tmp_path: Path) -> None:
    labels = ("Angry", "Disgusted", "Fearful", "Happy", "Neutral", "Sad", "Surprised")
    model = build_tiny_expression_model(tmp_path / "caps", labels=labels, favour="Surprised")
    (reading,) = model_expression_reader(str(model), SmileReader()).read([face_crop()])
    assert reading.vector.top(1)[0][0] == "PC"


def test_a_missing_model_is_reported_once_and_the_smile_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reader = model_expression_reader(str(tmp_path / "no-such-model"), SmileReader())
    with caplog.at_level(logging.WARNING):
        first = reader.read([face_crop()])
        second = reader.read([face_crop()])
    assert first[0].engine == second[0].engine == "face:smile"
    assert first[0].has_signal and reader.name == "smile"
    reports = [r for r in caplog.records if "could not be loaded" in r.getMessage()]
    assert len(reports) == 1 and "no-such-model" in reports[0].getMessage()


def test_a_model_that_is_not_about_faces_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model = build_tiny_expression_model(tmp_path / "pets", labels=("cat", "dog"), favour="cat")
    with pytest.raises(ExpressionModelError, match="not facial expressions"):
        load_expression_model(str(model))
    reader = model_expression_reader(str(model), SmileReader())
    with caplog.at_level(logging.WARNING):
        (reading,) = reader.read([face_crop()])
    assert reading.engine == "face:smile"
    assert any("not facial expressions" in r.getMessage() for r in caplog.records)


def test_a_corrupt_model_directory_falls_back(tmp_path: Path) -> None:
    model = build_tiny_expression_model(tmp_path / "corrupt")
    (model / "model.safetensors").write_bytes(b"\x00" * 100)
    reader = model_expression_reader(str(model), SmileReader())
    assert reader.read([face_crop()])[0].engine == "face:smile"


def test_no_faces_need_no_model(tmp_path: Path) -> None:
    reader = model_expression_reader(str(tmp_path / "never-loaded"), SmileReader())
    assert reader.read([]) == []
    assert reader.name == "model"  # nothing was loaded, nothing failed
