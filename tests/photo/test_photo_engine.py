"""The photo engine end to end, on real photos and on bad input."""

from __future__ import annotations

import asyncio
import functools
import tracemalloc
from pathlib import Path

import cv2
import numpy as np
import pytest
from photo_samples import (
    ASTRONAUT_FACE,
    HOPPER_FACE,
    astronaut,
    crowd,
    encode,
    grace_hopper,
    group_photo,
    inside,
    overlap,
    png_declaring,
    two_heads,
)
from PIL import Image

from moodtune.config import Settings
from moodtune.emotion_engines.photo import PhotoEngine, PhotoInputError, build_photo_engine
from moodtune.emotion_engines.photo.combine import SCENE_SHARE_WITH_FACES
from moodtune.emotion_engines.photo.engine import MAX_FACES_READ
from moodtune.emotion_engines.photo.scene import REGIONS, SCENE_CONFIDENCE


def face_parts(reading):
    return [part for part in reading.parts if part.engine.startswith("face:")]


def test_the_astronaut_reads_as_joy_with_confidence(
    engine: PhotoEngine, astronaut_jpeg: bytes
) -> None:
    reading = engine.analyze_sync(astronaut_jpeg)
    assert reading.modality == "photo" and reading.engine == "centerface+mini-xception"
    (face,) = face_parts(reading)
    detail = face.evidence[0].detail
    assert overlap(tuple(detail["box"]), ASTRONAUT_FACE) > 0.6
    assert detail["area_share"] == 1.0 and detail["detection_confidence"] > 0.8
    assert face.engine == "face:mini-xception" and face.evidence[1].label == "happy"
    assert face.evidence[1].weight > 0.9  # the softmax share of "happy"
    assert reading.vector.top(1)[0][0] == "PA" and reading.confidence >= 0.5
    labels = [e.label for e in reading.evidence]
    assert labels[0] == "face 1: joy (happy)" and labels[1].startswith("scene colours")
    assert sum(e.weight for e in reading.evidence) == pytest.approx(1.0)


def test_landscapes_have_no_face_and_only_a_broad_scene_reading(
    engine: PhotoEngine, landscape_jpegs: dict[str, bytes]
) -> None:
    for name, data in landscape_jpegs.items():
        reading = engine.analyze_sync(data)
        assert face_parts(reading) == [], name
        (scene,) = reading.parts
        assert scene.engine == "scene"
        assert 0 < reading.confidence <= SCENE_CONFIDENCE
        assert np.allclose(reading.vector.values, scene.vector.values)
        assert {code for code, _ in reading.vector.top(21)} <= set(REGIONS)  # never shame
        assert "no face found" in reading.note


def test_a_straight_face_is_no_strong_mood(engine: PhotoEngine) -> None:
    reading = engine.analyze_sync(encode(grace_hopper(), "JPEG", quality=92))
    (face,) = face_parts(reading)
    assert overlap(tuple(face.evidence[0].detail["box"]), HOPPER_FACE) > 0.6
    assert "neutral" in [e.label for e in face.evidence[1:]]
    assert reading.confidence < 0.5


def test_without_bundled_models_the_smile_cue_answers(
    heuristic_engine: PhotoEngine, astronaut_jpeg: bytes
) -> None:
    reading = heuristic_engine.analyze_sync(astronaut_jpeg)
    assert reading.engine == "haar+smile"
    (face,) = face_parts(reading)
    assert overlap(tuple(face.evidence[0].detail["box"]), ASTRONAUT_FACE) > 0.6
    assert face.engine == "face:smile" and reading.vector.top(1)[0][0] == "PA"
    assert 0 < reading.confidence < 0.5  # a smile cue and colours: honestly low
    assert reading.evidence[0].label == "face 1: joy (smile)"
    assert [p.engine for p in reading.parts] == ["face:smile", "scene"]


@pytest.mark.parametrize("width", [1600, 800])
def test_six_faces_are_counted_in_a_group_photo(engine: PhotoEngine, width: int) -> None:
    picture, heads = group_photo()
    scale = width / picture.shape[1]
    picture = cv2.resize(picture, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    reading = engine.analyze_sync(encode(picture, "JPEG", quality=90))
    faces = face_parts(reading)
    assert len(faces) == 6 and reading.note.startswith("6 faces, 6 with a readable expression")
    found = [tuple(face.evidence[0].detail["box"]) for face in faces]
    placed = [tuple(round(v * scale) for v in head) for head in heads]
    assert sorted(sum(inside(box, head) for box in found) for head in placed) == [1] * 6
    assert reading.vector.groups()["happiness"] > 0.3  # three of the six smile


def test_a_crowd_is_read_from_its_largest_faces_and_says_so(engine: PhotoEngine) -> None:
    picture, _ = crowd(60)
    data = encode(picture, "JPEG", quality=90)
    engine.analyze_sync(data)  # models loaded before measuring
    tracemalloc.start()
    try:
        reading = engine.analyze_sync(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20  # arrays: the photo at working size and 20 small crops
    assert len(face_parts(reading)) == MAX_FACES_READ
    (note,) = [e for e in reading.evidence if e.detail.get("found")]
    assert note.detail == {"found": 60, "read": MAX_FACES_READ} and note.weight == 0
    assert "60 faces found, the 20 largest read" in reading.note


def test_two_faces_are_weighted_by_area(engine: PhotoEngine) -> None:
    reading = engine.analyze_sync(encode(two_heads(90, 0.5), "PNG"))
    big, small = face_parts(reading)
    big_share = big.evidence[0].detail["area_share"]
    small_share = small.evidence[0].detail["area_share"]
    assert big_share + small_share == pytest.approx(1.0, abs=1e-3)
    assert big_share > 2.5 * small_share  # the small head is half as wide: ~¼ of the area
    big_weight, small_weight = (e.weight for e in reading.evidence[:2])
    assert big_weight > small_weight > 0


def test_a_face_without_a_smile_leaves_the_scene_to_speak(heuristic_engine: PhotoEngine) -> None:
    picture = astronaut().copy()
    picture[120:170, 190:260] = cv2.GaussianBlur(picture[120:170, 190:260], (31, 31), 10)
    reading = heuristic_engine.analyze_sync(encode(picture, "PNG"))
    (face,) = face_parts(reading)
    assert not face.has_signal
    assert reading.evidence[0].label == "face 1: no expression read"
    assert reading.evidence[0].weight == 0.0
    scene = reading.parts[-1]
    assert scene.engine == "scene"
    assert np.allclose(reading.vector.values, scene.vector.values)
    assert reading.confidence == pytest.approx(scene.confidence)


def test_the_scene_counts_less_beside_a_readable_face(
    engine: PhotoEngine, astronaut_jpeg: bytes
) -> None:
    reading = engine.analyze_sync(astronaut_jpeg)
    face, scene = reading.parts
    face_weight, scene_weight = reading.evidence[0].weight, reading.evidence[1].weight
    expected = scene.confidence * SCENE_SHARE_WITH_FACES / face.confidence
    assert scene_weight / face_weight == pytest.approx(expected, rel=1e-6)


def test_a_12_megapixel_photo_reports_boxes_in_its_own_pixels(engine: PhotoEngine) -> None:
    big = Image.fromarray(astronaut()).resize((3464, 3464), Image.Resampling.BICUBIC)
    reading = engine.analyze_sync(encode(big, "JPEG", quality=85))
    (face,) = face_parts(reading)
    expected = tuple(round(v * 3464 / 512) for v in ASTRONAUT_FACE)
    assert overlap(tuple(face.evidence[0].detail["box"]), expected) > 0.6


def test_a_rotated_phone_photo_is_read_upright(engine: PhotoEngine) -> None:
    stored = np.ascontiguousarray(np.rot90(astronaut(), k=1))  # as a sideways sensor saves it
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90° clockwise
    reading = engine.analyze_sync(encode(stored, "JPEG", quality=92, exif=exif))
    (face,) = face_parts(reading)
    assert overlap(tuple(face.evidence[0].detail["box"]), ASTRONAUT_FACE) > 0.6


def test_the_model_path_reads_faces_with_the_tiny_model(
    happy_model: Path, astronaut_jpeg: bytes
) -> None:
    engine = build_photo_engine(Settings(photo_model=str(happy_model), bundled_models=False))
    reading = engine.analyze_sync(astronaut_jpeg)
    assert reading.engine == "haar+model"
    (face,) = face_parts(reading)
    assert face.engine == "face:model" and face.evidence[1].label == "happy"
    assert reading.vector.top(1)[0][0] == "PA" and reading.confidence > 0.5


def test_a_configured_expression_model_wins_over_the_bundled_one(
    happy_model: Path, astronaut_jpeg: bytes, engine: PhotoEngine
) -> None:
    configured = build_photo_engine(Settings(photo_model=str(happy_model)))
    assert configured.analyze_sync(astronaut_jpeg).engine == "centerface+model"


def test_a_configured_model_that_cannot_load_leaves_the_next_one_to_answer(
    tmp_path: Path, astronaut_jpeg: bytes, engine: PhotoEngine
) -> None:
    missing = str(tmp_path / "missing")
    bundled = build_photo_engine(Settings(photo_model=missing)).analyze_sync(astronaut_jpeg)
    assert bundled.engine == "centerface+mini-xception" and face_parts(bundled)[0].has_signal
    settings = Settings(photo_model=missing, bundled_models=False)
    heuristic = build_photo_engine(settings).analyze_sync(astronaut_jpeg)
    assert heuristic.engine == "haar+smile" and face_parts(heuristic)[0].has_signal


def test_a_missing_yunet_model_leaves_the_next_detector_to_detect(
    tmp_path: Path, astronaut_jpeg: bytes
) -> None:
    engine = build_photo_engine(Settings(yunet_model=tmp_path / "yunet.onnx"))
    assert len(face_parts(engine.analyze_sync(astronaut_jpeg))) == 1


async def test_analyze_runs_off_the_event_loop(
    engine: PhotoEngine, astronaut_jpeg: bytes, landscape_jpegs: dict[str, bytes]
) -> None:
    readings = await asyncio.gather(
        engine.analyze(astronaut_jpeg), *(engine.analyze(d) for d in landscape_jpegs.values())
    )
    assert [len(face_parts(r)) for r in readings] == [1, 0, 0]


def test_settings_limits_apply(astronaut_jpeg: bytes) -> None:
    small = build_photo_engine(Settings(max_photo_bytes=1000))
    with pytest.raises(PhotoInputError, match=r"The file is \d+ KB; the limit is 1000 bytes\."):
        small.analyze_sync(astronaut_jpeg)
    few = build_photo_engine(Settings(max_photo_pixels=10_000))
    with pytest.raises(PhotoInputError, match="512 × 512 pixels; the limit is 10,000 pixels"):
        few.analyze_sync(astronaut_jpeg)


@functools.cache
def bad_inputs() -> dict[str, object]:
    jpeg = encode(astronaut(), "JPEG")
    return {
        "zero bytes": b"",
        "random bytes": np.random.default_rng(5).bytes(10_000),
        "truncated JPEG": jpeg[: len(jpeg) // 3],
        "100000 × 100000 PNG": png_declaring(100_000, 100_000),
        "50 MB file": b"\x89PNG\r\n\x1a\n" + bytes(50 * 1024 * 1024),
        "text instead of bytes": "astronaut.jpg",
        "nothing": None,
    }


@pytest.mark.parametrize("case", list(bad_inputs()))
async def test_bad_input_is_a_clear_error(engine: PhotoEngine, case: str) -> None:
    data = bad_inputs()[case]
    with pytest.raises(PhotoInputError) as caught:
        await engine.analyze(data)  # type: ignore[arg-type]
    message = str(caught.value)
    assert message[0].isupper() and message.endswith(".") and "Traceback" not in message


@functools.cache
def odd_images() -> dict[str, bytes]:
    frames = [Image.fromarray(astronaut()), Image.new("RGB", (512, 512), "blue")]
    return {
        "animated GIF": encode(frames[0], "GIF", save_all=True, append_images=frames[1:]),
        "animated WebP": encode(frames[0], "WEBP", save_all=True, append_images=frames[1:]),
        "CMYK JPEG": encode(Image.fromarray(astronaut()).convert("CMYK"), "JPEG"),
        "GIF": encode(astronaut(), "GIF"),
        "WebP": encode(astronaut(), "WEBP"),
    }


@pytest.mark.parametrize("case", list(odd_images()))
def test_animated_cmyk_and_gif_images_are_read(engine: PhotoEngine, case: str) -> None:
    reading = engine.analyze_sync(odd_images()[case])
    assert len(face_parts(reading)) == 1 and reading.has_signal
    if case.startswith("animated"):
        assert "first frame of an animated picture" in reading.note


@pytest.mark.parametrize(
    "picture",
    [
        Image.new("RGBA", (300, 200), (0, 0, 0, 0)),  # fully transparent
        Image.new("RGB", (640, 480), "black"),
        Image.new("L", (640, 480), 255),
        Image.new("RGB", (1, 1), "red"),
    ],
    ids=["transparent", "black", "white", "one pixel"],
)
def test_a_picture_with_nothing_to_read_is_zero_confidence(
    engine: PhotoEngine, picture: Image.Image
) -> None:
    reading = engine.analyze_sync(encode(picture, "PNG"))
    assert not reading.has_signal and reading.vector.is_zero
    assert reading.parts == () and "no face found" in reading.note
