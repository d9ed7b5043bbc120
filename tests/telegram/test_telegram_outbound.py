"""Messages the bot starts on Telegram (check-ins): sent through the real client to the
fake Bot API, and a chat that blocked the bot remembered as unreachable."""

from __future__ import annotations

import pytest
from telegram_harness import Harness

from moodtune.handlers.replies import Chat, Reply, Sender

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_the_bot_writes_first_with_buttons(bot: Harness) -> None:
    handlers = bot.bot.handlers
    chat, person = Chat("telegram", "601"), Sender("telegram", "601", "Ann")
    await bot.fake.reply_to(bot.fake.push_text(601, "I feel calm"))  # they talked before
    asked = Reply("How are you feeling today? <b>Tell me</b>")
    assert await handlers.send(chat, asked, person)
    sent = bot.fake.sent_to(601)[-1]
    assert sent["text"] == "How are you feeling today? &lt;b&gt;Tell me&lt;/b&gt;"
    assert sent["_params"]["parse_mode"] == "HTML"


async def test_a_person_who_blocked_the_bot_is_unreachable_until_they_write(
    bot: Harness,
) -> None:
    handlers = bot.bot.handlers
    chat, person = Chat("telegram", "602"), Sender("telegram", "602")
    await bot.fake.reply_to(bot.fake.push_text(602, "I feel calm"))
    bot.fake.fail_next("sendMessage", 403)  # "Forbidden: bot was blocked by the user"
    assert not await handlers.send(chat, Reply("How are you?"), person)
    assert not await handlers.chats.is_reachable(chat)
    await bot.fake.reply_to(bot.fake.push_text(602, "hi again, I feel better"))
    assert await handlers.chats.is_reachable(chat)
    assert await handlers.send(chat, Reply("How are you?"), person)


async def test_a_passing_failure_is_not_taken_for_a_block(bot: Harness) -> None:
    handlers = bot.bot.handlers
    chat, person = Chat("telegram", "603"), Sender("telegram", "603")
    bot.fake.fail_next("sendMessage", 400)  # e.g. "Bad Request: message is too long"
    assert not await handlers.send(chat, Reply("How are you?"), person)
    assert await handlers.chats.is_reachable(chat)
