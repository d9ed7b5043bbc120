"""Sending to Telegram politely: wait when told to (429), retry what failed on their side.

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
MAX_WAIT = 60.0  # a longer flood wait than this: give up on this message rather than stall


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the type will become timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def deliver(send: Callable[[], Awaitable[T]], what: str = "message") -> T | None:
    """`await send()`, retried on 429 (after the wait Telegram asks for) and on 5xx.

    Returns None when it could not be delivered: the person blocked the bot, the request
    was refused, or Telegram kept failing. Timeouts are not retried: the message may have
    arrived, and a duplicate is worse than a gap the person can fill by asking again.
    """
    backoff = FIRST_BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await send()
        except RetryAfter as error:
            wait = retry_after_seconds(error)
            if wait > MAX_WAIT:
                log.warning("%s dropped: Telegram asked to wait %.0f s", what, wait)
                return None
        except (Forbidden, BadRequest) as error:
            log.info("%s not delivered: %s", what, error)
            return None
        except TimedOut:
            log.warning("%s timed out; not retried", what)
            return None
        except NetworkError as error:
            log.warning("%s failed (attempt %d): %s", what, attempt, error)
            wait, backoff = backoff, backoff * 2
        if attempt < ATTEMPTS:
            await asyncio.sleep(wait)
    log.warning("%s not delivered after %d attempts", what, ATTEMPTS)
    return None
