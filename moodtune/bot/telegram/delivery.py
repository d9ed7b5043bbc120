"""Talking to Telegram politely: wait when told to (429), retry what failed on their side;
and cheaply: a text reply is sent without parsing Telegram's echo of it.

With python-telegram-bot's AIORateLimiter on, flood-control answers are retried there
first; this is the last line, and the only one when the rate limiter is off.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 4
FIRST_BACKOFF = 0.5  # seconds, doubled after each server error
MAX_WAIT = 60.0  # a longer flood wait than this: give up on this call rather than stall

# Bot.do_api_request (public) sends without parsing the answer; for a method Bot also has,
# it warns that the method is preferred. Here that method's parsing is what is saved.
# tests/telegram/test_telegram_delivery.py checks this still matches PTB's warning.
PREFER_THE_METHOD = r"Please use 'Bot\.sendMessage' instead of 'Bot\.do_api_request"


def ignore_the_method_preference() -> None:
    warnings.filterwarnings("ignore", PREFER_THE_METHOD, PTBUserWarning)


ignore_the_method_preference()


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


def reply_target(message: Message) -> dict[str, Any]:
    """Where `message.reply_text` would answer: the chat, its forum topic, business
    connection or direct-messages topic, quoting the message (sent even if it is gone)."""
    topic = message.direct_messages_topic
    target = {
        "chat_id": message.chat_id,
        "message_thread_id": message.message_thread_id if message.is_topic_message else None,
        "business_connection_id": message.business_connection_id,
        "direct_messages_topic_id": topic.topic_id if topic else None,
        "reply_parameters": {"message_id": message.message_id, "allow_sending_without_reply": True},
    }
    return {key: value for key, value in target.items() if value is not None}


async def send_text(
    bot: Bot, target: dict[str, Any], html: str, keyboard: dict[str, Any] | None
) -> None:
    """sendMessage with HTML text, no link previews and `keyboard` (as JSON), to `target`
    (e.g. reply_target), without reading Telegram's echo.

    Every send is answered with the whole message sent (the quoted message, each link,
    each button again), which `Bot.send_message` turns into objects that nobody reads
    here: under a burst that took a tenth of the bot's time per update, and building the
    reply's buttons as objects to serialise them again ~6 % more. `do_api_request` goes
    the same way as every Bot method (rate limiter, errors) but returns the answer as it
    came; it does not apply telegram.ext.Defaults, of which the bot sets none."""
    parameters = {**target, "text": html, "parse_mode": ParseMode.HTML,
                  "link_preview_options": {"is_disabled": True}}  # fmt: skip
    if keyboard is not None:
        parameters["reply_markup"] = keyboard
    await bot.do_api_request("sendMessage", parameters)
