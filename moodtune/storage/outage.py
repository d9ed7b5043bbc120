"""The database going away and coming back: which errors mean "unreachable" rather than
"wrong", one warning when an outage starts and one when it ends (not a traceback per
message), and waiting it out with backoff instead of failing at once."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

log = logging.getLogger(__name__)
T = TypeVar("T")

FIRST_BACKOFF = 0.1  # seconds, doubled up to MAX_BACKOFF
MAX_BACKOFF = 2.0
PATIENCE = 120.0  # seconds work in flight waits for the database before giving up


class DatabaseUnavailableError(RuntimeError):
    """The database could not be reached for longer than work may wait."""


# OperationalError covers both "cannot reach it" and "no such table": only the first kind
# is waited out; a broken schema fails at once, loudly.
_UNREACHABLE = re.compile(
    r"connect|closed|terminat|refused|reset by peer|broken pipe|timed? ?out|database is locked"
    r"|unable to open|shutting down|starting up|recovery mode|too many clients",
    re.IGNORECASE,
)


def is_outage(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached (not that a statement was bad)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, InterfaceError | PoolTimeoutError):
        return True
    if isinstance(error, OperationalError):
        return bool(_UNREACHABLE.search(str(error.orig or error)))
    return isinstance(error, OSError | ConnectionError | asyncio.TimeoutError)


class Outage:
    """Whether the database is down right now, said once per change."""

    def __init__(self) -> None:
        self.since: float | None = None

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException) -> None:
        if self.since is None:
            self.since = time.monotonic()
            log.warning("the database is unreachable (%s); waiting for it", _short(error))

    def recovered(self) -> None:
        if self.since is not None:
            log.warning("the database is back after %.1f s", time.monotonic() - self.since)
            self.since = None

    async def retrying(self, call: Callable[[], Awaitable[T]], patience: float = PATIENCE) -> T:
        """`await call()`, called again with backoff while the database is unreachable,
        for up to `patience` seconds; other errors are raised at once."""
        backoff, deadline = FIRST_BACKOFF, time.monotonic() + patience
        while True:
            try:
                result = await call()
            except Exception as error:
                if not is_outage(error):
                    raise
                self.failed(error)
                if time.monotonic() + backoff > deadline:
                    raise DatabaseUnavailableError(_short(error)) from error
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            self.recovered()
            return result


def _short(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:200]}" if text else type(error).__name__
