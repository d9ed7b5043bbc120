"""OpenCV's Haar cascades (shipped with opencv-python-headless), loaded once and shared.

A CascadeClassifier keeps scratch buffers between calls, so one instance must not run in
two threads at once; each cascade carries its own lock (the engine runs photos in a pool).
"""

from __future__ import annotations

import functools
import threading

import cv2
import numpy as np


class Cascade:
    """One Haar cascade: ``detect(grey)`` → boxes (x, y, w, h) and their final-stage weights."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self._classifier = cv2.CascadeClassifier(cv2.data.haarcascades + filename)
        if self._classifier.empty():
            raise RuntimeError(f"OpenCV could not load its own cascade {filename}")
        self._lock = threading.Lock()

    def detect(
        self,
        grey: np.ndarray,
        *,
        scale_factor: float,
        min_neighbors: int,
        min_size: tuple[int, int],
    ) -> list[tuple[tuple[int, int, int, int], float]]:
        with self._lock:
            boxes, _levels, weights = self._classifier.detectMultiScale3(
                grey,
                scaleFactor=scale_factor,
                minNeighbors=min_neighbors,
                minSize=min_size,
                outputRejectLevels=True,
            )
        return [
            ((int(x), int(y), int(w), int(h)), float(weight))
            for (x, y, w, h), weight in zip(boxes, np.ravel(weights), strict=True)
        ]


@functools.cache
def load_cascade(filename: str) -> Cascade:
    return Cascade(filename)
