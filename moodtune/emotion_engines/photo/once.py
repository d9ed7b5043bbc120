"""Warnings that a long-running bot should log once, not on every photo."""

from __future__ import annotations

import logging
import threading

_reported: set[str] = set()
_lock = threading.Lock()


def warn_once(log: logging.Logger, key: str, message: str, *args: object) -> bool:
    """Log ``message`` at WARNING the first time ``key`` is seen; True when it was logged."""
    with _lock:
        if key in _reported:
            return False
        _reported.add(key)
    log.warning(message, *args)
    return True
