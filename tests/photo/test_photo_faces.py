"""Face detection on real photos; YuNet configuration and its fallback."""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
import pytest
from photo_samples import ASTRONAUT_FACE, astronaut, landscapes, overlap, two_heads

from moodtune.emotion_engines.photo.faces import (
    HaarFaceDetector,
    build_face_detector,
    downscale,
    scale_box,
)


@pytest.mark.parametrize("side", [256, 512, 1500])
def test_the_astronauts_face_is_found_where_it_is(side: int) -> None:
    picture = cv2.resize(astronaut(), (side, side), interpolation=cv2.INTER_AREA)
    faces = HaarFaceDetector().detect(picture)
    assert len(faces) == 1
    expected = tuple(round(v * side / 512) for v in ASTRONAUT_FACE)
    assert overlap(faces[0].box, expected) > 0.6
    assert faces[0].confidence > 0.7


@pytest.mark.parametrize("name", ["china", "flower"])
def test_landscapes_have_no_face(name: str) -> None:
    assert HaarFaceDetector().detect(landscapes()[name]) == []


def test_a_cat_and_an_empty_picture_have_no_face() -> None:
    from skimage import data

    detector = HaarFaceDetector()
    assert detector.detect(data.coffee()) == []
    assert detector.detect(np.zeros((10, 10, 3), np.uint8)) == []
    assert detector.detect(np.full((600, 800, 3), 128, np.uint8)) == []


@pytest.mark.parametrize(("background", "small_scale"), [(90, 0.5), (200, 0.7), ("china", 0.6)])
def test_two_faces_come_largest_first(background: int | str, small_scale: float) -> None:
    faces = HaarFaceDetector().detect(two_heads(background, small_scale))
    assert len(faces) == 2
    big, small = faces
    assert big.area > small.area
    assert big.box[0] < 200 and small.box[0] > 500
    assert big.box[2] / small.box[2] == pytest.approx(1 / small_scale, rel=0.35)


def test_no_yunet_configured_means_haar() -> None:
    assert build_face_detector(None).name == "haar"


def test_a_missing_yunet_file_is_reported_once_and_haar_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "face_detection_yunet_2023mar.onnx"
    with caplog.at_level(logging.WARNING):
        first, second = build_face_detector(missing), build_face_detector(missing)
    assert first.name == second.name == "haar"
    reports = [r for r in caplog.records if "YuNet" in r.getMessage()]
    assert len(reports) == 1 and str(missing) in reports[0].getMessage()
    assert len(first.detect(astronaut())) == 1


def test_a_broken_yunet_file_is_reported_once_and_haar_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "yunet.onnx"
    broken.write_bytes(b"this is not an onnx model")
    with caplog.at_level(logging.WARNING):
        detectors = [build_face_detector(broken) for _ in range(3)]
    assert {d.name for d in detectors} == {"haar"}
    assert sum("could not be loaded" in r.getMessage() for r in caplog.records) == 1


def test_downscale_keeps_the_shape_and_never_enlarges() -> None:
    picture = np.zeros((3000, 4000, 3), np.uint8)
    small, factor = downscale(picture, 160_000)
    assert small.shape[0] * small.shape[1] <= 161_000
    assert small.shape[1] / small.shape[0] == pytest.approx(4 / 3, rel=0.01)
    assert factor == pytest.approx(small.shape[1] / 4000, rel=0.01)
    tiny = np.zeros((10, 10, 3), np.uint8)
    assert downscale(tiny, 160_000) == (tiny, 1.0)


def test_scale_box_maps_back_and_stays_inside() -> None:
    assert scale_box((10, 20, 30, 40), 0.5, (1000, 1000)) == (20, 40, 60, 80)
    assert scale_box((90, 90, 30, 30), 0.5, (200, 200)) == (180, 180, 20, 20)
