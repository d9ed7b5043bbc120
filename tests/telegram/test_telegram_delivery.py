"""Sending a text reply without reading Telegram's echo, through python-telegram-bot's public
`Bot.do_api_request`, against the fake Bot API server. What moodtune relies on is pinned
here, so that a python-telegram-bot release that changes it fails loudly: the answer comes
back as it came (no objects built), the rate limiter is on the way, and the one warning
moodtune silences is still the one PTB gives."""

from __future__ import annotations

import re
import warnings
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from fake_bot_api import FakeBotApi
from telegram.ext import AIORateLimiter, ExtBot
from telegram.warnings import PTBUserWarning

from moodtune.bot.telegram.delivery import (
    PREFER_THE_METHOD,
    ignore_the_method_preference,
    send_text,
)
from moodtune.bot.telegram.http import AiohttpRequest

KEYBOARD = {"inline_keyboard": [[{"text": "👍 1", "callback_data": "v:7:1"}]]}


@pytest_asyncio.fixture
async def api() -> AsyncIterator[tuple[FakeBotApi, ExtBot[Any]]]:
    """The fake server, and the bot as build_application makes it (rate limiter on)."""
    fake = FakeBotApi()
    await fake.start()
    bot: ExtBot[Any] = ExtBot(
        fake.token,
        base_url=fake.base_url,
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(),
        rate_limiter=AIORateLimiter(max_retries=1),
    )
    async with bot:
        yield fake, bot
    await fake.stop()


async def test_a_reply_arrives_as_sent_and_quietly(api: tuple[FakeBotApi, ExtBot[Any]]) -> None:
    fake, bot = api
    target = {"chat_id": 42, "reply_parameters": {"message_id": 3}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any other warning fails the test
        ignore_the_method_preference()  # as the bot has it
        await send_text(bot, target, "<b>Tracks</b> for you", KEYBOARD)
    [call] = fake.calls_of("sendMessage")
    assert call.params == {
        **target, "text": "<b>Tracks</b> for you", "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True}, "reply_markup": KEYBOARD,
    }  # fmt: skip


async def test_the_answer_comes_back_unparsed(api: tuple[FakeBotApi, ExtBot[Any]]) -> None:
    """The saving itself: no Message, no objects for the quoted message and the buttons."""
    _, bot = api
    answer = await bot.do_api_request("sendMessage", {"chat_id": 42, "text": "hi"})
    assert type(answer) is dict and answer["text"] == "hi"


# PTB's own AIORateLimiter reads RetryAfter.retry_after, which PTB 22 warns will change type.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_the_rate_limiter_is_on_the_way(api: tuple[FakeBotApi, ExtBot[Any]]) -> None:
    """A flood wait is sat out by AIORateLimiter (without it, RetryAfter would be raised)."""
    fake, bot = api
    fake.fail_next("sendMessage", 429, retry_after=1)
    await send_text(bot, {"chat_id": 42}, "after the wait", None)
    assert [c.params["text"] for c in fake.calls_of("sendMessage")] == ["after the wait"] * 2


async def test_the_silenced_warning_is_the_one_ptb_gives(
    api: tuple[FakeBotApi, ExtBot[Any]],
) -> None:
    _, bot = api
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await bot.do_api_request("sendMessage", {"chat_id": 42, "text": "hi"})
    [warning] = caught
    assert warning.category is PTBUserWarning
    assert re.match(PREFER_THE_METHOD, str(warning.message)), warning.message
