"""Models on demand, for every engine: loaded on first use, once, and never fatal.

A model that cannot load (a missing or truncated file, weights of the wrong shape, a hub
id with no network) is logged once and ``get()`` answers None from then on, so the
engine's fallback answers; a model that fails on one input is logged (once per kind of
failure) and skipped for that input. Text, photo and voice engines all load through here.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger(__name__)

_reported: set[str] = set()
_reported_lock = threading.Lock()


def warn_once(logger: logging.Logger, key: str, message: str, *args: object) -> bool:
    """Log ``message`` at WARNING the first time ``key`` is seen; True when it was logged."""
    with _reported_lock:
        if key in _reported:
            return False
        _reported.add(key)
    logger.warning(message, *args)
    return True


class LazyModel(Generic[T]):
    """``get()`` → the loaded model, or None for ever after one failed attempt.

    ``role`` names the model in logs ("speech-to-text"), ``source`` is what ``load`` is
    called with (a path or a model id), ``fallback`` says who answers without it.
    """

    def __init__(
        self, role: str, source: str, load: Callable[[str], T], fallback: str = "the fallback"
    ) -> None:
        self.role = role
        self.source = source
        self.fallback = fallback
        self._load = load
        self._lock = threading.Lock()
        self._tried = False
        self._model: T | None = None
        self.error: str | None = None  # why loading failed, for `moodtune models`

    def get(self) -> T | None:
        with self._lock:
            if not self._tried:
                self._tried = True
                try:
                    self._model = self._load(self.source)
                except Exception as error:  # any failure means: answer without this model
                    self.error = f"{type(error).__name__}: {error}"
                    log.warning(
                        "the %s model %s could not be loaded (%s); %s answers instead",
                        self.role,
                        self.source,
                        self.error,
                        self.fallback,
                    )
            return self._model

    @property
    def failed(self) -> bool:
        """True once loading was tried and failed (never loads as a side effect)."""
        return self._tried and self._model is None

    def use(self, action: Callable[[T], R]) -> R | None:
        """``action(model)``, or None when the model is unavailable or fails on this input."""
        model = self.get()
        if model is None:
            return None
        try:
            return action(model)
        except Exception as error:  # a model's failure must not cost the person a reply
            key = f"{self.role}:{self.source}:{type(error).__name__}"
            if not warn_once(
                log,
                key,
                "the %s model %s failed (%s: %s); %s answered instead",
                self.role,
                self.source,
                type(error).__name__,
                error,
                self.fallback,
            ):
                log.debug("the %s model %s failed again: %s", self.role, self.source, error)
            return None


class Named(Protocol):
    name: str


N = TypeVar("N", bound=Named)


class WithFallback(Generic[N]):
    """A model loaded on first use, and what answers in its place when it cannot load or
    fails on an input; named after whichever of the two answers."""

    def __init__(self, name: str, model: LazyModel[N], fallback: N) -> None:
        self._name = name
        self.model = model
        self.fallback = fallback

    @property
    def name(self) -> str:
        return self.fallback.name if self.model.failed else self._name

    def answer(self, action: Callable[[N], R]) -> R:
        """``action`` on the model, or on the fallback when the model gives no answer."""
        result = self.model.use(action)
        return action(self.fallback) if result is None else result


@functools.cache
def load_shared(factory: Callable[[Path], T], path: Path) -> T:
    """One instance per (kind, file) in the process: engines built twice (the bot and a
    test, two settings) share the loaded weights. A failed load is not remembered here."""
    return factory(path)


def model_label(source: str) -> str:
    """How a model is named in readings: its id, or only the directory name of a path."""
    path = Path(source)
    return path.name if path.is_dir() else source
