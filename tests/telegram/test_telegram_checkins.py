"""Daily check-ins through the fake Bot API: set with /checkin, sent by a tick at the due
instant, answered with a mood button or in words; in a group, an admin's to set."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from telegram_harness import Harness

from moodtune.handlers.checkin_tick import CheckinSender
from moodtune.storage.models import CheckIn, MoodReading, Person

pytestmark = pytest.mark.asyncio(loop_scope="module")


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


async def tick_when_due(bot: Harness, chat_id: str) -> None:
    """One check-in tick, with the clock a minute past that chat's next due instant."""
    async with bot.app.sessions() as session:
        due = await session.scalar(select(CheckIn.next_due_at).where(CheckIn.chat_id == chat_id))
    assert due is not None
    handlers = bot.bot.handlers
    outbound = {"telegram": handlers.messenger.outbound("telegram")}
    sender = CheckinSender(
        bot.app.sessions, outbound, bot.app.settings, lambda: due + timedelta(minutes=1)
    )
    report = await sender.tick()
    assert report is not None and report.delivered == 1


async def test_a_private_check_in_is_sent_and_answered_by_a_button(bot: Harness) -> None:
    fake = bot.fake
    setting = await fake.reply_to(fake.push_text(950, "/checkin 21:00 Shanghai"))
    assert "21:00" in setting["text"] and "Asia/Shanghai" in setting["text"]
    await tick_when_due(bot, "950")
    question = fake.sent_to(950)[-1]
    assert "How are you feeling today?" in question["text"]
    groups = buttons(question)
    assert len(groups) == 7 and all(b["callback_data"].startswith("k:") for b in groups)
    sad = next(b for b in groups if "sadness" in b["text"])
    before = len(fake.sent_to(950))
    await fake.answer_to(fake.push_callback(950, question, sad["callback_data"]))
    await fake.wait_for(lambda: len(fake.sent_to(950)) > before)
    answer = fake.sent_to(950)[-1]
    assert "you feel sadness" in answer["text"] and len(buttons(answer)) == 11
    async with bot.app.sessions() as session:
        kinds = await session.scalars(
            select(MoodReading.kind).join(Person).where(Person.platform_user_id == "950")
        )
        assert list(kinds) == ["checkin"]


async def test_in_a_group_only_an_admin_sets_the_rooms_check_in(bot: Harness) -> None:
    fake, group = bot.fake, -100_951
    refused = await fake.reply_to(fake.push_text(951, "/checkin 20:00 Berlin", chat_id=group))
    assert "admin" in refused["text"].lower()
    fake.admins.add(952)
    accepted = await fake.reply_to(fake.push_text(952, "/checkin 20:00 Berlin", chat_id=group))
    assert "20:00" in accepted["text"] and "Europe/Berlin" in accepted["text"]
    await tick_when_due(bot, str(group))
    assert "How are you feeling today?" in fake.sent_to(group)[-1]["text"]
