"""Commands end to end through the fake Bot API: /start /help /privacy /mode /mood
/export /forget, in private chats and groups."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram_harness import Harness

from moodtune.handlers.actions import Forget
from moodtune.handlers.buttons import decode
from moodtune.storage.models import Feedback, InboxEvent, MoodReading, Person, Recommendation

pytestmark = pytest.mark.asyncio(loop_scope="module")


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


async def ask(bot: Harness, user: int, text: str, **options: Any) -> dict[str, Any]:
    return await bot.fake.reply_to(bot.fake.push_text(user, text, **options))


async def press(bot: Harness, user: int, message: dict[str, Any], label: str) -> Any:
    data = next(b["callback_data"] for b in buttons(message) if b["text"].startswith(label))
    return await bot.fake.answer_to(bot.fake.push_callback(user, message, data))


async def rows_about(bot: Harness, user: int) -> dict[str, int]:
    """How many rows each table holds about this Telegram user."""
    async with bot.app.sessions() as session:
        person_ids = select(Person.id).where(
            Person.platform == "telegram", Person.platform_user_id == str(user)
        )
        counts = {"persons": await session.scalar(select(func.count()).select_from(
            person_ids.subquery()))}  # fmt: skip
        for name, model in (("moods", MoodReading), ("offers", Recommendation),
                            ("thumbs", Feedback)):  # fmt: skip
            query = select(func.count()).where(model.person_id.in_(person_ids))
            counts[name] = await session.scalar(query) or 0
        theirs = InboxEvent.platform == "telegram", InboxEvent.sender_id == str(user)
        counts["inbox"] = await session.scalar(select(func.count()).where(*theirs)) or 0
        return counts


async def test_start_help_privacy_and_unknown(bot: Harness) -> None:
    start = await ask(bot, 201, "/start")
    assert "Hi Person201" in start["text"] and "/help" in start["text"]
    help_text = (await ask(bot, 201, "/help"))["text"]
    for command in ("/mode", "/mood", "/export", "/forget", "/privacy"):
        assert command in help_text
    assert "never stored" in (await ask(bot, 201, "/privacy"))["text"]
    assert "I don't know /dance" in (await ask(bot, 201, "/dance now"))["text"]
    zh = await ask(bot, 202, "/help", language="zh-hant")
    assert "告诉我你的感受" in zh["text"]


async def test_commands_for_another_bot_are_ignored_in_groups(bot: Harness) -> None:
    fake = bot.fake
    ignored = fake.push_text(203, "/start@some_other_bot", chat_id=-1001)
    answered = fake.push_text(203, "/start@moodtune_test_bot", chat_id=-1001)
    reply = await fake.reply_to(answered)
    assert "Hi Person203" in reply["text"] and reply["_reply_to"]
    assert not fake.replies_to(ignored)


async def test_mode_is_shown_set_and_used(bot: Harness) -> None:
    assert "auto mode" in (await ask(bot, 204, "/mode"))["text"]
    assert "Mode set to lift" in (await ask(bot, 204, "/mode lift"))["text"]
    assert (
        "/mode auto, /mode match or /mode lift" in (await ask(bot, 204, "/mode sideways"))["text"]
    )
    assert "lift mode" in (await ask(bot, 204, "/mode"))["text"]
    await ask(bot, 204, "I feel so down and tired")
    async with bot.app.sessions() as session:
        modes = await session.scalars(
            select(Recommendation.mode)
            .join(Person, Person.id == Recommendation.person_id)
            .where(Person.platform_user_id == "204")
        )
        assert set(modes) == {"lift"}


async def test_mood_sends_a_png_chart(bot: Harness) -> None:
    empty = await ask(bot, 205, "/mood")
    assert "no moods" in empty["text"] and "photo" not in empty
    for feeling in ("I am so happy today", "I feel sad and lonely", "What a great day"):
        await ask(bot, 205, feeling)
    chart = await ask(bot, 205, "/mood")
    assert chart["photo"] and chart["_file"].startswith(b"\x89PNG\r\n\x1a\n")
    assert len(chart["_file"]) > 5000
    assert "3 readings" in chart["caption"] and "happiness" in chart["caption"]


async def test_export_holds_everything_about_the_person(bot: Harness) -> None:
    reply = await ask(bot, 206, "I miss my family so much")
    await press(bot, 206, reply, "👍 2")
    export = await ask(bot, 206, "/export")
    assert export["document"] and "Everything I store" in export["caption"]
    data = json.loads(export["_file"])
    assert data["person"]["user_id"] == "206" and data["person"]["mode"] == "auto"
    assert len(data["moods"]) == 1 and len(data["offers"]) == 5
    assert data["thumbs"] == [
        {"offer_id": data["offers"][1]["id"], "value": 1, "at": data["thumbs"][0]["at"]}
    ]
    assert all(offer["link"].startswith("https://") for offer in data["offers"])
    nobody = await ask(bot, 299, "/export")
    assert "I store nothing about you" in nobody["text"]


async def test_forget_asks_first_then_erases_every_row(bot: Harness) -> None:
    fake, user = bot.fake, 207
    reply = await ask(bot, user, "I am furious about this")
    await press(bot, user, reply, "👎 1")
    before = await rows_about(bot, user)
    assert before == {"persons": 1, "moods": 1, "offers": 5, "thumbs": 1, "inbox": 2}

    question = await ask(bot, user, "/forget")
    assert "cannot be undone" in question["text"]
    await press(bot, user, question, "No")
    assert await rows_about(bot, user) == {**before, "inbox": 4}
    kept = await fake.wait_for(lambda: fake.messages[(user, question["message_id"])]["text"]
                               == "Nothing was erased." or None)  # fmt: skip
    assert kept

    question = await ask(bot, user, "/forget")
    await press(bot, user, question, "Yes")
    edited = await fake.wait_for(
        lambda: (
            "erased everything" in fake.messages[(user, question["message_id"])]["text"]
            and fake.messages[(user, question["message_id"])]
        )
    )
    # 8 rows of moods, offers and thumbs, and their 6 messages and presses in the inbox
    assert "(14 records)" in edited["text"] and not edited.get("reply_markup")
    gone = {"persons": 0, "moods": 0, "offers": 0, "thumbs": 0, "inbox": 0}
    assert await rows_about(bot, user) == gone
    # Their old buttons now point at nothing: a vote is refused, nothing is recreated
    # (but the press itself, received, is in the inbox for a day like any other).
    answer = await press(bot, user, reply, "👍 3")
    assert "can't find that track" in answer.params["text"]
    assert await rows_about(bot, user) == {**gone, "inbox": 1}


async def test_a_stale_forget_confirmation_erases_nothing(bot: Harness) -> None:
    user = 208
    await ask(bot, user, "I feel calm and content")
    question = await ask(bot, user, "/forget")
    asked_at = decode(buttons(question)[0]["callback_data"]).action
    assert isinstance(asked_at, Forget)
    stale = f"f:{user}:{int(time.time()) - 3600}:y"
    await bot.fake.answer_to(bot.fake.push_callback(user, question, stale))
    edited = await bot.fake.wait_for(
        lambda: "expired" in bot.fake.messages[(user, question["message_id"])]["text"]
    )
    assert edited
    assert (await rows_about(bot, user))["persons"] == 1
