"""Logging for the Telegram bot, with the token cut out of every record.

The token is part of every Bot API URL, and libraries log URLs: httpx logs each request
at INFO, python-telegram-bot logs its base URL at DEBUG, and network errors carry the
URL in their message. A filter on one logger misses records from others, so the redaction
sits in the log record factory, which every record of every logger passes through.
"""

from __future__ import annotations

import logging
from typing import Any

REDACTED = "<token>"
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler")  # a line per request is noise


def _redact(text: str, tokens: tuple[str, ...]) -> str:
    for token in tokens:
        text = text.replace(token, REDACTED)
    return text


def redact_tokens(*tokens: str) -> None:
    """From now on, no log record anywhere in this process contains these tokens."""
    secrets = tuple(t for t in tokens if t)
    if not secrets:
        return
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts", ()) == secrets:
        return  # installed already (a restarted bot in the same process)

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        message = record.getMessage()
        clean = _redact(message, secrets)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are formatted later, by handlers: format now, redacted, and cache.
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = _redact(text, secrets)
            record.exc_info = None
        return record

    factory.redacts = secrets  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def configure_logging(level: int = logging.INFO) -> None:
    """Readable logs on stderr for `moodtune run`; request-per-line loggers turned down."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
