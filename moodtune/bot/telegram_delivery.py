"""Talking to Telegram politely: wait when told to (429), retry what failed on their side.

With python-telegram-bot's AIORateLimiter on, flood-control answers are retried there
first; this is the last line, and the only one when the rate limiter is off.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 4
FIRST_BACKOFF = 0.5  # seconds, doubled after each server error
MAX_WAIT = 60.0  # a longer flood wait than this: give up on this call rather than stall


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the type will become timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def with_retries(call: Callable[[], Awaitable[T]], what: str = "request") -> T:
    """`await call()`, retried on 429 (after the wait Telegram asks for) and on 5xx.

    Refusals (400, 403) and timeouts are raised at once: a timed-out send may have
    arrived, and a duplicate is worse than a gap the person can fill by asking again.
    """
    backoff = FIRST_BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as error:
            wait = retry_after_seconds(error)
            if wait > MAX_WAIT or attempt == ATTEMPTS:
                raise
        except (Forbidden, BadRequest, TimedOut):
            raise
        except NetworkError as error:
            if attempt == ATTEMPTS:
                raise
            log.warning("%s failed (attempt %d): %s", what, attempt, error)
            wait, backoff = backoff, backoff * 2
        await asyncio.sleep(wait)
    raise AssertionError("unreachable: the last attempt returns or raises")


async def deliver(send: Callable[[], Awaitable[T]], what: str = "message") -> T | None:
    """Send with retries; None when it could not be delivered (blocked, refused, failing)."""
    try:
        return await with_retries(send, what)
    except (Forbidden, BadRequest) as error:
        log.info("%s not delivered: %s", what, error)
    except NetworkError as error:  # includes timeouts and flood waits too long to sit out
        log.warning("%s not delivered: %s", what, error)
    except RetryAfter as error:
        log.warning("%s dropped: Telegram asked to wait %.0f s", what, retry_after_seconds(error))
    return None
