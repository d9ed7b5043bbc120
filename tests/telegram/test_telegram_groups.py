"""A Telegram group through the fake Bot API: members say how they feel, the room gets a
playlist naming who each track is for, any member votes for themselves, a member leaves."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from telegram_harness import Harness

from moodtune.storage.models import Feedback, Person

pytestmark = pytest.mark.asyncio(loop_scope="module")
GROUP = -100_900


async def say(bot: Harness, user: int, text: str) -> dict[str, Any]:
    return await bot.fake.reply_to(bot.fake.push_text(user, text, chat_id=GROUP))


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


async def test_a_group_playlist_names_its_members_and_takes_anyones_vote(bot: Harness) -> None:
    fake = bot.fake
    assert "Nobody here" in (await say(bot, 901, "/playlist"))["text"]
    for user, feeling in ((901, "so happy today!"), (902, "I feel sad and lonely"),
                          (903, "I'm nervous about tomorrow")):  # fmt: skip
        assert len(buttons(await say(bot, user, f"/feel {feeling}"))) == 11  # five tracks
    unaddressed = fake.push_text(904, "just chatting here", chat_id=GROUP)
    playlist = await say(bot, 901, "/playlist 6")
    text = playlist["text"]
    assert "A playlist for the room" in text and "for the 3 of you" in text
    assert all(f"Person{user}" in text for user in (901, 902, 903))
    assert "Person904" not in text and not fake.replies_to(unaddressed)
    votes = [b["callback_data"] for b in buttons(playlist)]
    assert len(votes) == 12 and all(v.startswith("g:") for v in votes)

    # Someone who has not said anything presses 👍 on track 1: stored for them only.
    answer = await fake.answer_to(fake.push_callback(904, playlist, votes[0]))
    assert "for you only" in answer.params["text"]
    assert not fake.calls_of("editMessageReplyMarkup") or all(
        c.params.get("message_id") != playlist["message_id"]
        for c in fake.calls_of("editMessageReplyMarkup")
    )
    async with bot.app.sessions() as session:
        voters = select(Person.platform_user_id).join(Feedback, Feedback.person_id == Person.id)
        assert set((await session.scalars(voters)).all()) >= {"904"}
        mine = select(func.count()).select_from(Feedback).join(Person).where(
            Person.platform_user_id == "901")  # fmt: skip
        assert await session.scalar(mine) == 0

    # Member 903 leaves: the next playlist counts the two who are still there.
    left = {"message": {**fake.message(903, chat_id=GROUP), "left_chat_member": fake.user(903)}}
    fake.push(left)
    again = await say(bot, 902, "/playlist 4")
    assert "for the 2 of you" in again["text"] and "Person903" not in again["text"]
