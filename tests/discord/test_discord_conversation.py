"""End to end through the fake Discord: moodtune's bot on the real discord.py client, the
real engines and database. Words, photos and voice messages in DMs and in a server; the
reply as an embed with track cards and buttons; 👍 / 👎 stored, idempotent, changeable and
still working after a restart; "not how I feel" as a select menu."""

from __future__ import annotations

import re

import pytest
from discord_harness import Harness, restart
from fake_discord import Sent, Upload
from media_samples import astronaut_jpeg, spoken_note
from sqlalchemy import select

from moodtune.bot.discord.components import GROUPS as MENU
from moodtune.handlers.actions import Correct, ShowGroups, Vote
from moodtune.handlers.buttons import decode
from moodtune.storage.models import Feedback, MoodReading, Person

pytestmark = pytest.mark.asyncio(loop_scope="module")
TRACK_TITLE = re.compile(r"^\d\. .+")


def track_cards(reply: Sent) -> list[dict[str, object]]:
    return [e for e in reply.embeds[1:] if TRACK_TITLE.match(str(e.get("title", "")))]


async def thumbs(bot: Harness, user_id: str) -> list[tuple[int, int]]:
    async with bot.app.sessions() as session:
        query = (
            select(Feedback.recommendation_id, Feedback.value)
            .join(Person, Person.id == Feedback.person_id)
            .where(Person.platform == "discord", Person.platform_user_id == user_id)
        )
        return [(rec, value) for rec, value in await session.execute(query)]


async def test_words_in_a_dm_get_the_mood_and_track_cards_with_buttons(bot: Harness) -> None:
    ana = bot.fake.add_user("ana")
    reply = await bot.ask(ana, "I feel lonely and sad tonight")
    mood = reply.embeds[0]["description"]
    assert "sorrow" in mood or "missing" in mood
    assert "confidence:" in mood and "Tracks for you:" in mood
    cards = track_cards(reply)
    assert len(cards) == 5 and all(str(c["url"]).startswith("http") for c in cards)
    presses = [decode(custom_id.removeprefix(MENU)) for custom_id in reply.custom_ids]
    votes = [p.action for p in presses if isinstance(p.action, Vote)]
    assert len(votes) == 10 and {v.value for v in votes} == {1, -1}
    assert all(p.owner == ana for p in presses)
    assert reply.message["message_reference"]["message_id"] == reply.reply_to  # quotes it
    menu = reply.select
    assert menu is not None and menu["placeholder"] == "🙅 Not how I feel"
    assert isinstance(decode(menu["custom_id"].removeprefix(MENU)).action, ShowGroups)
    groups = [decode(option["value"]).action for option in menu["options"]]
    assert [g.group for g in groups if isinstance(g, Correct)] == [
        "happiness", "goodness", "anger", "sadness", "fear", "dislike", "surprise",
    ]  # fmt: skip
    assert all(len(custom_id) <= 100 for custom_id in reply.custom_ids)


async def test_in_a_server_the_bot_answers_mentions_and_replies_to_it_only(bot: Harness) -> None:
    fake, server = bot.fake, bot.server
    bo = fake.add_user("bo")
    server.member_ids.append(bo)
    chatter = fake.push_message(bo, "I am so happy for you two!", guild=server)
    mentioned = await bot.ask(bo, "I feel calm and grateful", guild=server, mention=True)
    assert mentioned.message["channel_id"] == server.channel_id and track_cards(mentioned)
    replied = await bot.ask(bo, "now I feel a bit anxious", guild=server,
                            reply_to=mentioned.message)  # fmt: skip
    assert track_cards(replied)
    await bot.ask(bo, "and in my DMs?")  # by now the chatter would have been answered
    assert fake.replies_to(chatter) == []


async def test_without_the_content_intent_a_reply_that_does_not_mention_the_bot_gets_a_hint(
    bot: Harness,
) -> None:
    fake, server = bot.fake, bot.server
    cy = fake.add_user("cy")
    first = await bot.ask(cy, "I feel hopeful", guild=server, mention=True)
    hint = await bot.ask(cy, "more please", guild=server, reply_to=first.message, ping=False)
    assert "mention me (@moodtune)" in hint.text and not hint.components


async def test_chinese_words_get_a_chinese_answer(bot: Harness) -> None:
    reply = await bot.ask(bot.fake.add_user("dai"), "今天好难过，有点想家")
    assert "给你的歌" in reply.text and "把握" in reply.text
    assert reply.select is not None and reply.select["placeholder"] == "🙅 不是这种感觉"
    assert "😢 哀" in [o["label"] for o in reply.select["options"]]


async def test_a_photo_with_words_is_read_in_memory_and_fused(bot: Harness) -> None:
    photo = astronaut_jpeg()
    upload = Upload(photo, "me.jpg", "image/jpeg", dimensions=(512, 512))
    reply = await bot.ask(bot.fake.add_user("eve"), "what a wonderful, happy day",
                          files=[upload])  # fmt: skip
    assert "📝 words" in reply.text and "🖼 photo" in reply.text and track_cards(reply)
    files = {p.name for p in bot.data_dir.rglob("*") if p.is_file()}
    assert files <= {"moodtune.db", "moodtune.db-wal", "moodtune.db-shm"}
    stored = b"".join(p.read_bytes() for p in bot.data_dir.rglob("moodtune.db*"))
    assert photo[1000:1064] not in stored


async def test_a_voice_message_is_heard(bot: Harness) -> None:
    note = spoken_note("I am so happy today, everything feels wonderful and bright.")
    voice = Upload(note, "voice-message.ogg", "audio/ogg", voice_seconds=4.0)
    reply = await bot.ask(bot.fake.add_user("fay"), files=[voice], timeout=60)
    assert "🎙" in reply.text or "Tracks for you:" in reply.text, reply.text
    assert track_cards(reply)


async def test_an_audio_file_and_two_attachments_each_get_read(bot: Harness) -> None:
    fake = bot.fake
    note = spoken_note("What a lovely and happy morning it is.")
    gus = fake.add_user("gus")
    pushed = fake.push_message(
        gus, "so happy", files=[Upload(astronaut_jpeg(), "a.jpg", "image/jpeg"),
                                Upload(note, "morning.ogg", "audio/ogg")],
    )  # fmt: skip
    replies = await fake.wait_for(lambda: len(fake.replies_to(pushed)) == 2 and
                                  fake.replies_to(pushed), timeout=60)  # fmt: skip
    texts = sorted(r.text for r in replies)
    assert any("🖼 photo" in t for t in texts) and all(track_cards(r) for r in replies)


async def test_thumbs_are_stored_idempotent_changeable_and_survive_a_restart(
    bot: Harness,
) -> None:
    fake = bot.fake
    hal = fake.add_user("hal")
    reply = await bot.ask(hal, "I am furious about everything today")
    message_id = reply.message["id"]
    up = reply.button("👍 1")["custom_id"]
    offer = decode(up).action.recommendation_id  # type: ignore[union-attr]
    notice = await fake.answer_to(fake.push_press(hal, message_id, up))
    # The answer to a press is the message's new buttons; the notice is for the presser.
    assert reply.button("👍 1")["label"] == "👍 1 ✓" and reply.button("👎 1")["label"] == "👎 1"
    assert await thumbs(bot, hal) == [(offer, 1)]
    notices = [s for s in fake.sent if s.interaction_id == notice.interaction_id and s.ephemeral]
    assert notices and notices[-1].text.startswith("Noted 👍")
    # A double press: the same vote, still one row.
    again = fake.push_press(hal, message_id, up)
    await fake.wait_for(lambda: fake.interactions[again].answered)
    assert await thumbs(bot, hal) == [(offer, 1)]
    # Changed mind: 👎 replaces 👍, and the tick moves.
    down = reply.button("👎 1")["custom_id"]
    await fake.answer_to(fake.push_press(hal, message_id, down))
    assert await thumbs(bot, hal) == [(offer, -1)]
    assert reply.button("👎 1")["label"] == "👎 1 ✓" and reply.button("👍 1")["label"] == "👍 1"
    # The bot restarts (nothing in memory, no view kept): the buttons still work.
    await restart(bot)
    second = reply.button("👍 2")["custom_id"]
    pressed = fake.push_press(hal, message_id, second)
    await fake.wait_for(lambda: fake.interactions[pressed].answered)
    offer2 = decode(second).action.recommendation_id  # type: ignore[union-attr]
    assert sorted(await thumbs(bot, hal)) == sorted([(offer, -1), (offer2, 1)])
    assert reply.button("👍 2")["label"] == "👍 2 ✓"


async def test_not_how_i_feel_in_the_menu_corrects_the_mood(bot: Harness) -> None:
    fake = bot.fake
    ivy = fake.add_user("ivy")
    reply = await bot.ask(ivy, "I am so happy and excited today")
    menu = reply.select
    assert menu is not None
    sadness = next(o["value"] for o in menu["options"] if o["label"] == "😢 sadness")
    pressed = fake.push_press(ivy, reply.message["id"], menu["custom_id"], values=[sadness])
    new = await fake.wait_for(
        lambda: [s for s in fake.sent if s.interaction_id == pressed and s.kind == "follow-up"]
    )
    assert "you feel sadness" in new[0].text and len(track_cards(new[0])) == 5
    assert new[0].select is not None  # a correction can be corrected again
    assert reply.select is None  # the menu is gone from the corrected reply
    async with bot.app.sessions() as session:
        kinds = await session.scalars(
            select(MoodReading.kind)
            .join(Person, Person.id == MoodReading.person_id)
            .where(Person.platform == "discord", Person.platform_user_id == ivy)
        )
        assert "correction" in set(kinds)
