"""Bad input and a misbehaving server, end to end: a clear reply where one is due,
nothing lost, nothing crashes, and no one person or one photo stalls the others."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import pytest
from media_samples import astronaut_jpeg, silent_note
from sqlalchemy import func, select, text
from telegram_harness import Harness

from moodtune.bot.telegram.delivery import ATTEMPTS
from moodtune.storage.models import Feedback

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    # AIORateLimiter reads RetryAfter.retry_after, which warns about its future type.
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]
MB = 1024 * 1024


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


async def ask(bot: Harness, user: int, text: str) -> dict[str, Any]:
    return await bot.fake.reply_to(bot.fake.push_text(user, text))


async def test_corrupt_photo_gets_a_clear_reply(bot: Harness) -> None:
    broken = astronaut_jpeg()[:2000]  # a truncated JPEG
    reply = await bot.fake.reply_to(bot.fake.push_photo(301, os.urandom(5000)))
    assert "not an image I can read" in reply["text"] and not buttons(reply)
    reply = await bot.fake.reply_to(bot.fake.push_photo(301, broken))
    assert reply["text"] and not buttons(reply)


async def test_silent_voice_note_says_nothing_was_heard(bot: Harness) -> None:
    reply = await bot.fake.reply_to(bot.fake.push_voice(302, silent_note()), timeout=60)
    assert "could not hear anything" in reply["text"] and not buttons(reply)


async def test_files_over_20_mb_are_refused_before_download(bot: Harness) -> None:
    fake = bot.fake
    big = b"\0" * (25 * MB)
    update = fake.push_document(303, big, "holiday.jpg", "image/jpeg")
    reply = await fake.reply_to(update)
    assert "25.0 MB" in reply["text"] and "up to 20 MB" in reply["text"]
    file_id = fake.file_of(update)
    assert not [c for c in fake.calls_of("getFile") if c.params["file_id"] == file_id]
    # No size in the message: getFile tells, and the file is still never downloaded.
    update = fake.push_voice(303, big, told_size=None)
    reply = await fake.reply_to(update)
    assert "too big" in reply["text"] and "up to 20 MB" in reply["text"]
    assert not [path for path in fake.downloads if path.endswith(fake.file_of(update))]


async def test_unsupported_document_is_refused_unread(bot: Harness) -> None:
    fake = bot.fake
    update = fake.push_document(304, b"%PDF-1.7 ...", "report.pdf", "application/pdf")
    reply = await fake.reply_to(update)
    assert "I can't read report.pdf" in reply["text"] and "JPEG" in reply["text"]
    assert not [c for c in fake.calls_of("getFile")
                if c.params["file_id"] == fake.file_of(update)]  # fmt: skip


async def test_empty_and_unreadable_messages(bot: Harness) -> None:
    fake = bot.fake
    location = fake.push_message(305, location={"latitude": 52.5, "longitude": 13.4})
    reply = await fake.reply_to(location)
    assert "I read words, photos, voice notes and stickers" in reply["text"]
    blank = await ask(bot, 305, "   \u200b  ")
    assert blank["text"] and not buttons(blank)
    gibberish = await ask(bot, 305, "qwzx plmk vbnt")
    assert "could not read a feeling" in gibberish["text"].lower() or not buttons(gibberish)


async def test_forged_and_stale_buttons_are_refused(bot: Harness) -> None:
    fake = bot.fake
    reply = await ask(bot, 306, "I feel hopeful and calm")
    offer = buttons(reply)[0]["callback_data"].split(":")[2]
    # Someone else in the chat presses a button of that reply.
    answer = await fake.answer_to(fake.push_callback(307, reply, f"v:306:{offer}:u"))
    assert "for the person I answered" in answer.params["text"]
    # They forge the owner too: the offer is still not theirs.
    answer = await fake.answer_to(fake.push_callback(307, reply, f"v:307:{offer}:u"))
    assert "can't find that track" in answer.params["text"]
    # Data moodtune never made, or far too long, or an offer that never existed.
    for data in ("hello", "v:306:x:u", "v:306:1:maybe", "v:306:" + "9" * 60 + ":u", ""):
        answer = await fake.answer_to(fake.push_callback(306, reply, data))
        assert "no longer works" in answer.params["text"], data
    answer = await fake.answer_to(fake.push_callback(306, reply, "v:306:999999999:d"))
    assert "can't find that track" in answer.params["text"]
    answer = await fake.answer_to(fake.push_callback(306, None, f"c:306:{offer}:9"))
    assert "no longer works" in answer.params["text"]
    async with bot.app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Feedback)) == 0


async def test_a_flood_from_one_person_is_limited_politely(bot: Harness) -> None:
    fake, flooder = bot.fake, 308
    for i in range(100):
        fake.push_text(flooder, f"I feel great, message {i}")
    other = await ask(bot, 309, "I am a little anxious")  # not starved by the flood
    assert buttons(other)
    await fake.wait_for(lambda: len(fake.sent_to(flooder)) >= 21, timeout=60)
    await ask(bot, 309, "still anxious")  # let anything left over arrive
    replies = fake.sent_to(flooder)
    told = [m for m in replies if "faster than I can listen" in m["text"]]
    assert len(told) == 1 and "20 a minute" in told[0]["text"]
    assert len(replies) == 21


async def test_telegram_flood_control_429_is_honoured(bot: Harness) -> None:
    fake = bot.fake
    fake.fail_next("sendMessage", 429, retry_after=1)
    update = fake.push_text(310, "I feel peaceful")
    started = asyncio.get_running_loop().time()
    reply = await fake.reply_to(update)
    assert asyncio.get_running_loop().time() - started >= 1.0
    attempts = [c for c in fake.calls_of("sendMessage")
                if (c.params.get("reply_parameters") or {}).get("message_id")
                == reply["_reply_to"]]  # fmt: skip
    assert len(attempts) == 2 and buttons(reply)


async def test_server_errors_are_retried_and_nothing_is_lost(bot: Harness) -> None:
    fake = bot.fake
    fake.fail_next("sendMessage", 500, times=2)
    reply = await fake.reply_to(fake.push_text(311, "I feel nervous about tomorrow"))
    assert buttons(reply)
    fake.fail_next("getUpdates", 502)
    reply = await fake.reply_to(fake.push_text(311, "but also a bit excited"), timeout=60)
    assert buttons(reply)
    fake.fail_next("getFile", 500)
    reply = await fake.reply_to(fake.push_photo(311, astronaut_jpeg(), caption="happy"))
    assert "🖼 photo" in reply["text"]
    fake.fail_next("getFile", 500, times=ATTEMPTS)
    reply = await fake.reply_to(fake.push_photo(311, astronaut_jpeg()))
    assert "couldn't fetch that file" in reply["text"]


async def test_duplicate_updates_are_handled_once(bot: Harness) -> None:
    fake = bot.fake
    update = {"message": fake.message(312, text="I feel wonderful today")}
    update_id = fake.push(update)
    fake.push(dict(update))  # the same update_id again, as after a redelivery
    await fake.reply_to(update_id)
    await ask(bot, 312, "and grateful")
    await asyncio.sleep(0.3)
    assert len(fake.replies_to(update_id)) == 1


async def test_a_12_megapixel_photo_does_not_stall_other_chats(bot: Harness) -> None:
    fake = bot.fake
    big = astronaut_jpeg((4000, 3000))
    photo = fake.push_photo(313, big, caption="happy")
    file_id = fake.file_of(photo)
    await fake.wait_for(lambda: any(path.endswith(file_id) for path in fake.downloads))
    text = fake.push_text(314, "I feel relaxed")  # sent while the photo is being analysed
    text_reply = await fake.reply_to(text)
    photo_reply = await fake.reply_to(photo, timeout=60)
    assert text_reply["_at"] < photo_reply["_at"]
    assert "🖼 photo" in photo_reply["text"]


async def test_a_failure_inside_gets_an_apology_and_the_bot_carries_on(bot: Harness) -> None:
    async def rename(old: str, new: str) -> None:
        async with bot.app.sessions() as session, session.begin():
            await session.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))

    await rename("mood_readings", "mood_readings_away")  # the database breaks under us
    try:
        reply = await ask(bot, 315, "I feel joyful")
        assert "Something went wrong on my side" in reply["text"] and not buttons(reply)
        assert "/mode" in (await ask(bot, 315, "/help"))["text"]  # still answering
    finally:
        await rename("mood_readings_away", "mood_readings")
    assert buttons(await ask(bot, 315, "I feel joyful"))


async def test_a_press_with_another_platforms_data_is_refused(bot: Harness) -> None:
    fake = bot.fake
    reply = await ask(bot, 330, "I feel hopeful and calm")
    offer = buttons(reply)[0]["callback_data"].split(":")[2]
    snowflake = "1234567890123456789"  # a Discord user id, as a Discord button carries it
    answer = await fake.answer_to(fake.push_callback(330, reply, f"v:{snowflake}:{offer}:u"))
    assert "for the person I answered" in answer.params["text"]
    web = "alice_01"  # the terminal's kind of owner
    answer = await fake.answer_to(fake.push_callback(330, reply, f"v:{web}:{offer}:u"))
    assert "for the person I answered" in answer.params["text"]


async def test_channels_and_senderless_messages_are_refused_and_logged_once(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    fake = bot.fake
    channel = {"id": -100555, "type": "channel", "title": "News"}
    post = {"date": 0, "chat": channel, "text": "I feel great"}
    posts = [fake.push({"message": {**post, "message_id": 9000 + n}}) for n in range(3)]
    in_group = {"id": -100556, "type": "group", "title": "A group"}
    anonymous = fake.push({"message": {"message_id": 9100, "date": 0, "chat": in_group,
                                       "text": "/start"}})  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="moodtune.bot.telegram.handlers"):
        await fake.reply_to(fake.push_text(331, "I feel fine"))  # handled after those
    assert not any(fake.replies_to(update) for update in [*posts, anonymous])
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refusals.count("refused a message from channel (logged once)") == 1
    assert refusals.count("refused a message from no sender (logged once)") == 1
