"""End to end through the fake Bot API: what the bot keeps in memory about a person follows
their 👎 and their /forget at once, without a restart."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import pytest_asyncio
from sqlalchemy import select
from telegram_harness import Harness, start_harness, stop_harness

from moodtune.storage.models import MoodReading, Person, Recommendation

pytestmark = pytest.mark.asyncio(loop_scope="module")
TRACK = re.compile(r"^(\d+)\. (<a href=.+)$", re.MULTILINE)
SAD = "I feel lonely and sad tonight"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    catalog_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Harness]:
    """The bot with a repeat window of one offer, so only taste keeps a track away."""
    harness = await start_harness(
        tmp_path_factory.mktemp("telegram-memory"), catalog_database, repeat_window=1
    )
    yield harness
    await stop_harness(harness)


async def ask(bot: Harness, user: int, text: str) -> dict[str, Any]:
    return await bot.fake.reply_to(bot.fake.push_text(user, text))


def tracks(reply: dict[str, Any]) -> dict[str, str]:
    """The reply's tracks (their lines without the number) and their rank."""
    return {line: rank for rank, line in TRACK.findall(reply["text"])}


async def press(bot: Harness, user: int, message: dict[str, Any], label: str) -> None:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    data = next(b["callback_data"] for row in rows for b in row if b["text"].startswith(label))
    await bot.fake.answer_to(bot.fake.push_callback(user, message, data))


async def test_a_thumbs_down_keeps_the_track_away_from_then_on(bot: Harness) -> None:
    user = 301
    seen: list[dict[str, str]] = [tracks(await ask(bot, user, SAD))]
    repeated: set[str] = set()
    for _ in range(5):  # the same feeling again until the bot offers a track a second time
        reply = await ask(bot, user, SAD)
        latest = tracks(reply)
        repeated = {t for t in latest if any(t in earlier for earlier in seen)}
        seen.append(latest)
        if repeated:
            break
    assert repeated, "the bot never offered a track twice: nothing for a 👎 to prevent"
    hated = sorted(repeated)[0]
    await press(bot, user, reply, f"👎 {seen[-1][hated]}")
    for _ in range(4):
        assert hated not in tracks(await ask(bot, user, SAD))


async def test_after_forget_a_message_starts_from_nothing(bot: Harness) -> None:
    user = 302
    for _ in range(2):
        await ask(bot, user, SAD)
    question = await ask(bot, user, "/forget")
    await press(bot, user, question, "Yes")
    await bot.fake.wait_for(
        lambda: "erased everything" in bot.fake.messages[(user, question["message_id"])]["text"]
    )
    reply = await ask(bot, user, "I am so happy and excited today")
    assert len(tracks(reply)) == 5
    async with bot.app.sessions() as session:
        person = await session.scalar(select(Person).where(Person.platform_user_id == str(user)))
        assert person is not None
        stored = list(await session.scalars(
            select(MoodReading.vector).where(MoodReading.person_id == person.id)))  # fmt: skip
        answered = list(await session.scalars(
            select(Recommendation.mood).where(Recommendation.person_id == person.id)))  # fmt: skip
    assert len(stored) == 1 and len(answered) == 5  # nothing from before /forget
    for mood in answered:  # the offers answer this message's mood alone, no old sadness
        np.testing.assert_allclose(mood, stored[0] / stored[0].sum(), atol=1e-5)
