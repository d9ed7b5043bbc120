import logging

import numpy as np
import pytest

from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.fusion import (
    MAX_CONFIDENCE,
    NO_MOOD_NOTE,
    FusionError,
    explain,
    fuse,
)
from moodtune.emotion_engines.photo.combine import face_part, photo_reading
from moodtune.emotion_engines.photo.faces import Face
from moodtune.emotion_engines.reading import Reading

JOY = EmotionVector.from_scores({"PA": 1})
SORROW = EmotionVector.from_scores({"NB": 1})
CALM = EmotionVector.from_scores({"PE": 1})
WEIGHTS = {"text": 1.0, "photo": 0.5}


def test_weights_are_confidence_times_modality_weight() -> None:
    caption = Reading(JOY, 0.4, modality="text", engine="lexicon")
    photo = Reading(SORROW, 0.8, modality="photo", engine="faces")
    fused = fuse([caption, photo], WEIGHTS)
    # 0.4 × 1.0 against 0.8 × 0.5: equal weights.
    assert fused.vector.as_dict()["PA"] == pytest.approx(0.5)
    assert fused.vector.as_dict()["NB"] == pytest.approx(0.5)
    assert fused.confidence == pytest.approx(1 - 0.6 * 0.2)
    assert {e.label for e in fused.evidence} == {"text", "photo"}
    assert fused.parts == (caption, photo)


def test_a_more_confident_reading_counts_more() -> None:
    unsure = Reading(JOY, 0.2, modality="text")
    sure = Reading(SORROW, 0.6, modality="text")
    fused = fuse([unsure, sure], WEIGHTS)
    assert fused.vector.as_dict()["NB"] == pytest.approx(0.75)
    assert fused.vector.top(1)[0][0] == "NB"


def test_modality_weights_are_configurable() -> None:
    caption = Reading(JOY, 0.5, modality="text")
    photo = Reading(SORROW, 0.5, modality="photo")
    assert fuse([caption, photo], {"text": 1.0, "photo": 3.0}).vector.top(1)[0][0] == "NB"
    assert fuse([caption, photo], {"text": 1.0, "photo": 0.0}).vector == JOY
    # A modality the table does not name weighs 1.
    assert fuse([Reading(CALM, 0.5, modality="gesture")], {}).vector == CALM


def test_zero_confidence_readings_do_not_count_and_all_zero_is_empty() -> None:
    silent = Reading.empty("voice", "prosody", "I could not hear anything")
    text = Reading(JOY, 0.3, modality="text")
    assert fuse([silent, text], WEIGHTS).vector == JOY
    empty = fuse([silent, Reading.empty("text", "lexicon")], WEIGHTS)
    assert not empty.has_signal and empty.vector.is_zero and empty.confidence == 0
    assert "could not hear" in empty.note
    assert fuse([], WEIGHTS).note == NO_MOOD_NOTE
    assert fuse([Reading.empty("text", "lexicon")], WEIGHTS).note == NO_MOOD_NOTE


def test_confidence_is_capped() -> None:
    strong = [Reading(JOY, 1.0, modality="text"), Reading(JOY, 1.0, modality="photo")]
    assert fuse(strong, WEIGHTS).confidence == MAX_CONFIDENCE


def test_faces_weigh_by_area_share_times_confidence_then_fuse_with_the_caption() -> None:
    # A big smiling face in front (3/4 of the face area) and a small sad one behind.
    big = face_part(Face((0, 0, 60, 60), 1.0), 0.75, Reading(JOY, 0.8, engine="fer"))
    small = face_part(Face((0, 0, 30, 30), 1.0), 0.25, Reading(SORROW, 0.8, engine="fer"))
    photo = photo_reading([big, small], Reading.empty("photo", "scene"), engine="fer")
    assert photo.vector.as_dict()["PA"] == pytest.approx(0.75)
    # The same faces with the small one read far more surely than the big one.
    unsure_big = face_part(Face((0, 0, 60, 60), 1.0), 0.75, Reading(JOY, 0.1, engine="fer"))
    flipped = photo_reading([unsure_big, small], Reading.empty("photo", "scene"), engine="fer")
    assert flipped.vector.top(1)[0][0] == "NB"

    caption = Reading(CALM, 0.6, modality="text", engine="lexicon")
    fused = fuse([caption, photo], {"text": 1.0, "photo": 0.8})
    shares = {e.label: e.weight for e in fused.evidence}
    photo_weight = photo.confidence * 0.8
    assert shares["photo"] == pytest.approx(photo_weight / (photo_weight + 0.6))
    assert fused.vector.as_dict()["PE"] == pytest.approx(shares["text"])
    assert fused.vector.as_dict()["PA"] == pytest.approx(0.75 * shares["photo"])
    assert fused.parts == (caption, photo)


def test_an_album_is_several_photo_readings_explained_as_one_modality() -> None:
    album = [Reading(JOY, 0.5, modality="photo", engine="fer") for _ in range(3)]
    caption = Reading(SORROW, 0.5, modality="text", engine="lexicon")
    fused = fuse([*album, caption], {"text": 1.0, "photo": 1.0})
    assert [e.label for e in fused.evidence] == ["photo", "text"]
    assert fused.evidence[0].weight == pytest.approx(0.75)
    assert fused.evidence[0].detail["readings"] == 3
    assert fused.evidence[0].categories[0] == "PA"
    assert explain(fused) == "photo 75% (joy) · text 25% (sorrow)"
    assert explain(fused, "zh") == "照片 75% (快乐) · 文字 25% (悲伤)"


def _broken(values: np.ndarray, modality: str = "photo") -> Reading:
    vector = EmotionVector.from_scores({"PA": 1})  # its own: about to be broken
    reading = Reading(vector, 0.5, modality=modality, engine="broken")
    object.__setattr__(vector, "values", values)  # an engine gone wrong
    return reading


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (_broken(np.full(21, np.nan)), "NaN"),
        (_broken(np.array([np.nan, 1.0] + [0.0] * 19)), "NaN"),
        (_broken(np.array([np.inf, 1.0] + [0.0] * 19)), "infinite"),
        (_broken(np.array([-0.5, 1.5] + [0.0] * 19)), "negative"),
        (_broken(np.full(21, 0.5)), "sums to"),
        (_broken(np.ones(3)), "shape"),
        ({"vector": [1.0] * 21, "confidence": 0.9}, "expected a Reading"),
        (None, "expected a Reading"),
    ],
)
def test_invalid_reading_is_dropped_and_logged(
    bad: object, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        fused = fuse([bad, Reading(SORROW, 0.5, modality="text")], WEIGHTS)
    assert fused.vector == SORROW
    assert fused.parts == (Reading(SORROW, 0.5, modality="text"),)
    assert "dropping an invalid" in caplog.text and reason in caplog.text


def test_a_confidence_outside_the_rules_is_dropped(caplog: pytest.LogCaptureFixture) -> None:
    for confidence in (float("nan"), 1.5, -0.1):
        bad = Reading(JOY, 0.5, modality="voice", engine="broken")
        object.__setattr__(bad, "confidence", confidence)
        with caplog.at_level(logging.WARNING):
            assert not fuse([bad], WEIGHTS).has_signal
    assert caplog.text.count("dropping an invalid voice reading from broken") == 3


@pytest.mark.parametrize("weight", [-1.0, float("nan"), float("inf"), "heavy"])
def test_bad_modality_weights_are_a_clear_error(weight: object) -> None:
    with pytest.raises(FusionError, match="weight of the photo modality"):
        fuse([Reading(JOY, 0.5)], {"text": 1.0, "photo": weight})  # type: ignore[dict-item]
