"""Models on demand: loaded on first use, once; a model that cannot load is logged once
and skipped, and one that fails on a note is logged and skipped for that note."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

logger = logging.getLogger(__name__)


class LazyModel(Generic[T]):
    """`get()` returns the loaded model, or None for ever after one failed attempt."""

    def __init__(self, role: str, model_id: str, load: Callable[[str], T]) -> None:
        self.role = role
        self.model_id = model_id
        self._load = load
        self._lock = threading.Lock()
        self._tried = False
        self._model: T | None = None

    def get(self) -> T | None:
        with self._lock:
            if not self._tried:
                self._tried = True
                try:
                    self._model = self._load(self.model_id)
                except Exception as error:  # any failure means: answer without this model
                    logger.warning(
                        "could not load the %s model %r, answering without it: %s",
                        self.role,
                        self.model_id,
                        error,
                    )
            return self._model

    def use(self, action: Callable[[T], R]) -> R | None:
        """`action(model)`, or None when the model is unavailable or fails on this input."""
        model = self.get()
        if model is None:
            return None
        try:
            return action(model)
        except Exception as error:  # a model's failure must not cost the person a reply
            logger.warning("the %s model %r failed on a note: %s", self.role, self.model_id, error)
            return None


def model_label(model_id: str) -> str:
    """How a model is named in readings: its id, or only the directory name of a path."""
    path = Path(model_id)
    return path.name if path.is_dir() else model_id
