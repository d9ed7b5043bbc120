"""Load a model on first use, once; a model that cannot load is logged once and skipped."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

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
