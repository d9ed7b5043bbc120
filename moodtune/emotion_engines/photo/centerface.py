"""CenterFace (Xu et al. 2019, arXiv:1911.03599) on onnxruntime: faces as centre points.

The network predicts, on a grid four times coarser than its input, a heatmap of face
centres, each face's size (log scale) and the centre's sub-cell offset. Detection runs on
a copy whose long side is at most 640 pixels (multiples of 32, as the network's strides
need): a 12-megapixel photo costs what a small one does, and faces down to about 3 % of
the long side (19 pixels there) are still found. Boxes come back in the caller's pixels.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Final

import cv2
import numpy as np

from moodtune.emotion_engines.bundled import Weights
from moodtune.emotion_engines.lazy import LazyModel, load_shared
from moodtune.emotion_engines.photo.faces import (
    Face,
    FaceDetector,
    ModelFaceDetector,
    strongest,
)
from moodtune.emotion_engines.photo.onnx_graph import free_input_sizes

DETECTION_SIDE: Final = 640  # the long side detection runs at
STRIDE: Final = 32  # input sides must be multiples of the network's total stride
THRESHOLD: Final = 0.35  # heatmap peak; faces at 3 % of the long side score 0.4-0.7
NMS_OVERLAP: Final = 0.3
OUTPUTS: Final = ("537", "538", "539", "540")  # heatmap, scale, offset, landmarks
# One thread, no spinning: the engine's pool runs photos side by side, and on a busy
# machine onnxruntime's spinning threads cost 2-3x the CPU of the work itself (measured).
THREADS: Final = 1


class CenterFaceDetector:
    name = "centerface"

    def __init__(self, model: Path, detection_side: int = DETECTION_SIDE) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        # No memory arena: with it, a run's activations (about 100 MB at 640 × 640) stayed
        # reserved, and photos of many shapes grew it by 120 MB more; fuzzing the handlers
        # peaked 190 MB higher (benchmarks/bench_fuzz.py). Detection takes ~12 ms longer.
        options.enable_cpu_mem_arena = False
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # the file's exporter left harmless warnings behind
        graph = free_input_sizes(Path(model).read_bytes())
        self._session = onnxruntime.InferenceSession(
            graph, options, providers=["CPUExecutionProvider"]
        )
        self._input = self._session.get_inputs()[0].name
        outputs = [output.name for output in self._session.get_outputs()]
        if outputs != list(OUTPUTS):
            raise ValueError(f"not the CenterFace network: its outputs are {outputs}")
        self._side = detection_side

    def detect(self, rgb: np.ndarray) -> list[Face]:
        height, width = rgb.shape[:2]
        if min(height, width) < 8:
            return []
        size = _detection_size(width, height, self._side)
        blob = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
        blob = np.ascontiguousarray(blob.transpose(2, 0, 1)[None], dtype=np.float32)
        heatmap, scale, offset, _ = self._session.run(list(OUTPUTS), {self._input: blob})
        boxes, scores = _decode(heatmap[0, 0], scale[0], offset[0], size)
        if not len(boxes):
            return []
        keep = cv2.dnn.NMSBoxes(boxes.tolist(), scores.tolist(), THRESHOLD, NMS_OVERLAP)
        factor_x, factor_y = width / size[0], height / size[1]
        faces = [
            Face(_to_picture(boxes[i], factor_x, factor_y, width, height), float(scores[i]))
            for i in np.ravel(keep)
        ]
        return strongest(faces)


def centerface_detector(weights: Weights, fallback: FaceDetector) -> ModelFaceDetector:
    """CenterFace from ``weights``, loaded on the first photo; ``fallback`` without it."""
    model = LazyModel(
        "face detector",
        weights.name,
        lambda _: load_shared(CenterFaceDetector, weights.locate()),
        fallback=f"the {fallback.name} detector",
    )
    return ModelFaceDetector(CenterFaceDetector.name, model, fallback)


def _detection_size(width: int, height: int, side: int) -> tuple[int, int]:
    """(width, height) in multiples of 32 with the long side near ``side`` (never enlarged
    beyond the next multiple)."""
    factor = min(1.0, side / max(width, height))
    return (
        max(STRIDE, math.ceil(width * factor / STRIDE) * STRIDE),
        max(STRIDE, math.ceil(height * factor / STRIDE) * STRIDE),
    )


def _decode(
    heatmap: np.ndarray, scale: np.ndarray, offset: np.ndarray, size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Boxes (x, y, w, h, in detection pixels) and scores of the heatmap's peaks."""
    rows, columns = np.nonzero(heatmap > THRESHOLD)
    face_height = np.exp(scale[0, rows, columns]) * 4
    face_width = np.exp(scale[1, rows, columns]) * 4
    centre_y = (rows + offset[0, rows, columns] + 0.5) * 4
    centre_x = (columns + offset[1, rows, columns] + 0.5) * 4
    left = np.clip(centre_x - face_width / 2, 0, size[0])
    top = np.clip(centre_y - face_height / 2, 0, size[1])
    right = np.minimum(left + face_width, size[0])
    bottom = np.minimum(top + face_height, size[1])
    boxes = np.stack([left, top, right - left, bottom - top], axis=1)
    return boxes, heatmap[rows, columns]


def _to_picture(
    box: np.ndarray, factor_x: float, factor_y: float, width: int, height: int
) -> tuple[int, int, int, int]:
    x, y, w, h = box
    left, top = max(0, round(x * factor_x)), max(0, round(y * factor_y))
    right = min(width, round((x + w) * factor_x))
    bottom = min(height, round((y + h) * factor_y))
    return left, top, max(0, right - left), max(0, bottom - top)
