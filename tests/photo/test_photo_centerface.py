"""CenterFace, the bundled face detector: real photos, group photos, collages, a crowd."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import onnxruntime
import pytest
from photo_samples import (
    ASTRONAUT_FACE,
    HOPPER_FACE,
    astronaut,
    collage,
    crowd,
    each_head_found_once,
    grace_hopper,
    group_photo,
    landscapes,
    overlap,
)

from moodtune.emotion_engines.lazy import load_shared
from moodtune.emotion_engines.photo.centerface import CenterFaceDetector
from moodtune.emotion_engines.photo.onnx_graph import OnnxGraphError, free_input_sizes


@pytest.fixture(scope="module")
def detector(centerface_weights: Path) -> CenterFaceDetector:
    return load_shared(CenterFaceDetector, centerface_weights)  # the engine's instance


@pytest.mark.parametrize("side", [256, 512, 1500])
def test_the_astronauts_face_is_found_where_it_is(detector: CenterFaceDetector, side: int) -> None:
    picture = cv2.resize(astronaut(), (side, side), interpolation=cv2.INTER_AREA)
    (face,) = detector.detect(picture)
    expected = tuple(round(v * side / 512) for v in ASTRONAUT_FACE)
    assert overlap(face.box, expected) > 0.6 and face.confidence > 0.8


def test_grace_hopper_in_her_cap_and_glasses_is_found(detector: CenterFaceDetector) -> None:
    (face,) = detector.detect(grace_hopper())
    assert overlap(face.box, HOPPER_FACE) > 0.8


@pytest.mark.parametrize("width", [1600, 800, 640])
def test_six_people_are_six_faces_at_any_size(detector: CenterFaceDetector, width: int) -> None:
    picture, heads = group_photo()
    scale = width / picture.shape[1]
    small = cv2.resize(picture, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    placed = [tuple(round(v * scale) for v in head) for head in heads]
    assert each_head_found_once(detector.detect(small), placed)


def test_faces_from_3_to_15_percent_of_the_long_side_are_all_found(
    detector: CenterFaceDetector,
) -> None:
    picture, heads = collage((0.03, 0.04, 0.05, 0.07, 0.10, 0.15))
    faces = detector.detect(picture)
    assert each_head_found_once(faces, heads)
    assert faces[-1].box[3] < 0.05 * picture.shape[1]  # the smallest really is small


def test_faces_of_30_15_and_5_percent_together(detector: CenterFaceDetector) -> None:
    # (A 3 % face right beside a 30 % one was missed in trials: detection at 640 pixels
    # sees it at 19 pixels, next to a face 600 pixels tall.)
    picture, heads = collage((0.30, 0.15, 0.05))
    faces = detector.detect(picture)
    assert each_head_found_once(faces, heads) and faces[0].area > 20 * faces[-1].area


def test_a_crowd_of_sixty_is_sixty_faces(detector: CenterFaceDetector) -> None:
    picture, heads = crowd(60)
    assert each_head_found_once(detector.detect(picture), heads)


@pytest.mark.parametrize("name", ["china", "flower"])
def test_landscapes_have_no_face(detector: CenterFaceDetector, name: str) -> None:
    assert detector.detect(landscapes()[name]) == []


def test_a_cat_a_rocket_coins_and_blank_pictures_have_no_face(
    detector: CenterFaceDetector,
) -> None:
    from skimage import data

    grey = cv2.cvtColor(data.coins(), cv2.COLOR_GRAY2RGB)
    for picture in (data.chelsea(), data.coffee(), data.rocket(), grey):
        assert detector.detect(picture) == []
    for blank in (np.zeros((5, 5, 3), np.uint8), np.full((600, 800, 3), 128, np.uint8)):
        assert detector.detect(blank) == []


def test_the_graph_is_freed_for_any_input_size(centerface_weights: Path) -> None:
    freed = free_input_sizes(centerface_weights.read_bytes())
    session = onnxruntime.InferenceSession(freed, providers=["CPUExecutionProvider"])
    (only,) = session.get_inputs()  # the weights are no longer listed as inputs
    assert only.name == "input.1" and not only.shape
    heatmap = session.run(["537"], {"input.1": np.zeros((1, 3, 96, 160), np.float32)})[0]
    assert heatmap.shape == (1, 1, 24, 40)


@pytest.mark.parametrize("data", [b"", b"\x00" * 100, b"not an onnx file at all"])
def test_bytes_that_are_not_a_model_are_refused(data: bytes) -> None:
    with pytest.raises(OnnxGraphError):
        free_input_sizes(data)
