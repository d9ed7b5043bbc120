"""Logging for the bots, with every platform token cut out of every record.

A Telegram token is part of every Bot API URL, and URLs get logged: the HTTP transport logs
each request at DEBUG, python-telegram-bot logs its base URL at DEBUG, and network errors
carry the URL in their message; a Discord token travels in headers that debug logs show.
A filter on one logger misses records from others, so the redaction sits in the log record
factory, which every record of every logger passes through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

REDACTED = "<token>"
QUIET_LOGGERS = ("apscheduler",)  # a line per job run is noise


_SECRETS: set[str] = set()


def _redact(text: str) -> str:
    for secret in _SECRETS:
        text = text.replace(secret, REDACTED)
    return text


def _redacting(previous: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        message = record.getMessage()
        clean = _redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are formatted later, by handlers: format now and drop the live
            # exception, so no handler can render it again unredacted.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = _redact(record.exc_text)
        return record

    factory.redacting = True  # type: ignore[attr-defined]
    return factory


def redact_tokens(*tokens: str) -> None:
    """From now on, no log record anywhere in this process contains these tokens."""
    _SECRETS.update(t for t in tokens if t)
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "redacting", False):
        logging.setLogRecordFactory(_redacting(factory))


def configure_logging(level: int = logging.INFO) -> None:
    """Readable logs on stderr for `moodtune run`; request-per-line loggers turned down."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.captureWarnings(True)  # libraries' warnings (a photo's corrupt EXIF) are log records
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
