"""Messages the bot starts on Discord (check-ins): a DM opened through Discord and sent
with its buttons, a server channel, and a chat Discord will not deliver to remembered as
unreachable until someone writes there again."""

from __future__ import annotations

import pytest
from discord_harness import Harness

from moodtune.handlers.replies import Chat, Reply, Sender

pytestmark = pytest.mark.asyncio(loop_scope="module")
MESSAGES = "POST /channels/{channel.id}/messages"


async def test_the_bot_writes_first_in_a_dm_and_in_a_server(bot: Harness) -> None:
    fake, handlers = bot.fake, bot.bot.handlers
    ana = fake.add_user("ana")
    await bot.ask(ana, "I feel calm")  # they talked before
    person = Sender("discord", ana, "Ana")
    assert await handlers.send(Chat("discord", ana), Reply("How are you **today**?"), person)
    sent = fake.sent_in(fake.dm_channel(ana))[-1]
    assert sent.message["content"] == "How are you \\*\\*today\\*\\*?"  # shown as written
    assert fake.calls_to("POST /users/@me/channels")
    room = Chat("discord", bot.server.channel_id, "group", "the server #general")
    assert await handlers.send(room, Reply("Good morning, everyone"), person)
    assert fake.sent_in(bot.server.channel_id)[-1].text == "Good morning, everyone"


async def test_a_person_who_refuses_dms_is_unreachable_until_they_write(bot: Harness) -> None:
    fake, handlers = bot.fake, bot.bot.handlers
    bo = fake.add_user("bo")
    chat, person = Chat("discord", bo), Sender("discord", bo)
    await bot.ask(bo, "I feel calm")
    fake.block_dms(bo)
    assert not await handlers.send(chat, Reply("How are you?"), person)
    assert not await handlers.chats.is_reachable(chat)
    fake.blocked.discard(bo)
    await bot.ask(bo, "hi again, I feel better")
    assert await handlers.chats.is_reachable(chat)
    assert await handlers.send(chat, Reply("How are you?"), person)


async def test_a_gone_channel_is_unreachable_and_a_passing_failure_is_not(bot: Harness) -> None:
    fake, handlers = bot.fake, bot.bot.handlers
    person = Sender("discord", fake.add_user("cy"))
    gone = Chat("discord", fake.ids(), "group")
    assert not await handlers.send(gone, Reply("Hello?"), person)
    assert not await handlers.chats.is_reachable(gone)
    room = Chat("discord", bot.server.channel_id, "group")
    fake.fail_next(MESSAGES, 400)  # a message Discord refused: not the chat's fault
    assert not await handlers.send(room, Reply("How are you?"), person)
    assert await handlers.chats.is_reachable(room)
