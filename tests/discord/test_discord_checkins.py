"""A daily check-in through the real discord.py client and the fake Discord: set with the
slash command, sent in the person's DM at the due instant, answered with a mood button."""

from __future__ import annotations

from datetime import timedelta

import pytest
from discord_harness import Harness
from sqlalchemy import select

from moodtune.handlers.checkin_tick import CheckinSender
from moodtune.storage.models import CheckIn, MoodReading, Person

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_check_in_is_sent_in_a_dm_and_answered_by_a_button(bot: Harness) -> None:
    fake = bot.fake
    una = fake.add_user("una")
    setting = await fake.answer_to(fake.push_command(una, "checkin", {"when": "21:00 Shanghai"}))
    assert "21:00" in setting.text
    async with bot.app.sessions() as session:
        due = await session.scalar(
            select(CheckIn.next_due_at).join(Person, Person.id == CheckIn.person_id)
            .where(Person.platform_user_id == una)
        )  # fmt: skip
    assert due is not None
    outbound = {"discord": bot.bot.handlers.messenger.outbound("discord")}
    clock = lambda: due + timedelta(minutes=1)  # noqa: E731
    report = await CheckinSender(bot.app.sessions, outbound, bot.settings, clock).tick()
    assert report is not None and report.delivered == 1
    question = await fake.wait_for(lambda: fake.sent_in(fake.dm_channel(una)))
    asked = question[-1]
    assert "How are you feeling today?" in asked.text
    answers = [c for c in asked.custom_ids if c.startswith("k:")]
    assert len(answers) == 7
    pressed = fake.push_press(una, asked.message["id"], answers[3])  # 😢 sadness
    answer = await fake.answer_to(pressed, timeout=60)
    assert "you feel sadness" in answer.text
    async with bot.app.sessions() as session:
        kinds = await session.scalars(
            select(MoodReading.kind).join(Person).where(Person.platform_user_id == una)
        )
        assert list(kinds) == ["checkin"]
