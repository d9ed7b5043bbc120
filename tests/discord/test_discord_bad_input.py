"""Bad input and a misbehaving Discord, end to end: a clear reply where one is due, nothing
lost, nothing answered twice, nothing crashes."""

from __future__ import annotations

import asyncio
import os

import pytest
from discord_harness import Harness
from fake_discord import Sent, Upload
from fake_gateway import CLOSE_SESSION_TIMED_OUT, CLOSE_UNKNOWN_ERROR
from media_samples import astronaut_jpeg, silent_note
from sqlalchemy import func, select, text

from moodtune.storage.models import Feedback

pytestmark = pytest.mark.asyncio(loop_scope="module")
MB = 1024 * 1024
MESSAGES = "POST /channels/{channel.id}/messages"
CALLBACK = "POST /interactions/{interaction.id}/{interaction.token}/callback"


async def notice_to(bot: Harness, interaction_id: str) -> Sent:
    """The ephemeral line a presser is shown."""
    fake = bot.fake

    def shown() -> Sent | None:
        notices = [s for s in fake.sent if s.interaction_id == interaction_id and s.ephemeral]
        return notices[-1] if notices else None

    return await fake.wait_for(shown)


async def test_a_corrupt_image_gets_a_clear_reply(bot: Harness) -> None:
    ana = bot.fake.add_user("ana")
    noise = Upload(os.urandom(5000), "photo.jpg", "image/jpeg")
    reply = await bot.ask(ana, files=[noise])
    assert "not an image I can read" in reply.text and not reply.components
    truncated = Upload(astronaut_jpeg()[:2000], "cut.jpg", "image/jpeg")
    reply = await bot.ask(ana, files=[truncated])
    assert reply.text and not reply.components


async def test_a_silent_or_empty_voice_message_says_so(bot: Harness) -> None:
    bo = bot.fake.add_user("bo")
    silent = Upload(silent_note(), "voice-message.ogg", "audio/ogg", voice_seconds=3.0)
    reply = await bot.ask(bo, files=[silent], timeout=60)
    assert "could not hear anything" in reply.text and not reply.components
    empty = Upload(b"", "voice-message.ogg", "audio/ogg", voice_seconds=0.0)
    reply = await bot.ask(bo, files=[empty])
    assert "empty" in reply.text.lower() and not reply.components


async def test_a_25_mb_file_is_refused_before_a_byte_is_downloaded(bot: Harness) -> None:
    fake = bot.fake
    cy = fake.add_user("cy")
    big = Upload(b"\0" * (25 * MB), "holiday.jpg", "image/jpeg")
    pushed = fake.push_message(cy, files=[big])
    reply = await fake.reply_to(pushed)
    assert "25.0 MB" in reply.text and "up to 10 MB" in reply.text
    assert fake.messages[pushed]["attachments"][0]["id"] not in fake.downloads
    # Announced small but really big (Discord would not, a relay might): refused from the
    # CDN's Content-Length, or, when the CDN does not say, the download stops at the limit.
    liar = Upload(b"\0" * (11 * MB), "voice.ogg", "audio/ogg", voice_seconds=2.0, told_size=1000)
    reply = await bot.ask(cy, files=[liar])
    assert "11.0 MB" in reply.text and "up to 10 MB" in reply.text
    liar.chunked = True
    reply = await bot.ask(cy, files=[liar])
    assert "too big" in reply.text and "up to 10 MB" in reply.text


async def test_an_unsupported_file_is_refused_unread(bot: Harness) -> None:
    fake = bot.fake
    dai = fake.add_user("dai")
    downloads = len(fake.downloads)
    pdf = Upload(b"%PDF-1.7 ...", "report.pdf", "application/pdf")
    reply = await bot.ask(dai, files=[pdf])
    assert "I can't read report.pdf" in reply.text and "JPEG" in reply.text
    assert len(fake.downloads) == downloads


async def test_empty_messages_get_a_clear_reply(bot: Harness) -> None:
    fake = bot.fake
    eve = fake.add_user("eve")
    nothing = await bot.ask(eve, "")  # a sticker, say: no words, no file
    assert "I read words, photos, voice notes" in nothing.text and not nothing.components
    blank = await bot.ask(eve, "   \u200b  ")
    assert blank.text and not blank.components
    only_mention = await bot.ask(eve, "", guild=bot.server, mention=True)
    assert "I read words" in only_mention.text


async def test_forged_stale_and_malformed_presses_are_refused_to_the_presser(
    bot: Harness,
) -> None:
    fake = bot.fake
    fay, gus = fake.add_user("fay"), fake.add_user("gus")
    bot.server.member_ids += [fay, gus]
    reply = await bot.ask(fay, "I feel hopeful and calm", guild=bot.server, mention=True)
    up = reply.button("👍 1")["custom_id"]
    offer = up.split(":")[2]
    message_id = reply.message["id"]
    # Someone else in the server presses a button of that reply.
    refused = await notice_to(bot, fake.push_press(gus, message_id, up))
    assert "for the person I answered" in refused.text
    # They forge the owner too: the offer is still not theirs.
    refused = await notice_to(bot, fake.push_press(gus, message_id, f"v:{gus}:{offer}:u"))
    assert "can't find that track" in refused.text
    # custom_ids moodtune never made, too long, mangled, or an offer that never existed.
    for data in ("hello", f"v:{fay}:x:u", f"v:{fay}:1:maybe", f"v:{fay}:{'9' * 90}:u", "menu|"):
        refused = await notice_to(bot, fake.push_press(fay, message_id, data))
        assert "no longer works" in refused.text, data
    refused = await notice_to(bot, fake.push_press(fay, message_id, f"v:{fay}:999999999:d"))
    assert "can't find that track" in refused.text
    # A menu choice no menu offered.
    menu = reply.select
    assert menu is not None
    refused = await notice_to(
        bot, fake.push_press(fay, message_id, menu["custom_id"], values=[f"c:{fay}:{offer}:9"])
    )
    assert "no longer works" in refused.text
    assert all(s.ephemeral for s in fake.sent if s.text.startswith("That button"))
    async with bot.app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Feedback)) == 0
    assert reply.button("👍 1")["label"] == "👍 1"  # nothing changed on the reply


async def test_a_press_after_forget_is_stale(bot: Harness) -> None:
    fake = bot.fake
    hal = fake.add_user("hal")
    reply = await bot.ask(hal, "I feel joyful")
    question = await fake.answer_to(fake.push_command(hal, "forget"))
    yes = fake.push_press(hal, question.message["id"], question.button("Yes")["custom_id"])
    await fake.wait_for(lambda: fake.interactions[yes].answered)
    stale = await notice_to(bot, fake.push_press(hal, reply.message["id"],
                                                 reply.button("👍 1")["custom_id"]))  # fmt: skip
    assert "can't find that track" in stale.text


async def test_a_flood_of_100_messages_in_a_second_is_limited_politely(bot: Harness) -> None:
    fake = bot.fake
    flooder, other = fake.add_user("flooder"), fake.add_user("other")
    channel = fake.dm_channel(flooder)
    for i in range(100):
        fake.push_message(flooder, f"I feel great, message {i}")
    calm = await bot.ask(other, "I am a little anxious")  # not starved by the flood
    assert calm.components
    await fake.wait_for(lambda: len(fake.sent_in(channel)) >= 21, timeout=60)
    await bot.ask(other, "still anxious")  # let anything left over arrive
    replies = fake.sent_in(channel)
    told = [r for r in replies if "faster than I can listen" in r.text]
    assert len(told) == 1 and "20 a minute" in told[0].text
    assert len(replies) == 21


async def test_a_429_is_waited_out_and_a_500_retried_nothing_lost(bot: Harness) -> None:
    fake = bot.fake
    ivy = fake.add_user("ivy")
    fake.fail_next(MESSAGES, 429, retry_after=0.6)
    started = asyncio.get_running_loop().time()
    reply = await bot.ask(ivy, "I feel peaceful")
    assert asyncio.get_running_loop().time() - started >= 0.6 and reply.components
    fake.fail_next(MESSAGES, 500, times=2)
    reply = await bot.ask(ivy, "I feel nervous about tomorrow")
    assert reply.components
    statuses = [c.status for c in fake.calls_to(MESSAGES)[-5:]]
    assert statuses[-5:] == [429, 200, 500, 500, 200]
    # The same on an interaction's answer, inside Discord's 3 seconds.
    fake.fail_next(CALLBACK, 429, retry_after=0.3)
    answer = await fake.answer_to(fake.push_command(ivy, "feel", {"text": "so glad"}))
    assert "Tracks for you:" in answer.text
    fake.fail_next(CALLBACK, 500)
    answer = await fake.answer_to(fake.push_command(ivy, "help"))
    assert "/mood" in answer.text


async def test_the_cdn_failing_gets_a_clear_reply(bot: Harness) -> None:
    fake = bot.fake
    jo = fake.add_user("jo")
    upload = Upload(astronaut_jpeg(), "gone.jpg", "image/jpeg")
    pushed = fake.push_message(jo, "", files=[upload])
    # Not on the CDN any more (deleted between the message and the download).
    attachment_id = fake.messages[pushed]["attachments"][0]["id"]
    fake.files.pop(attachment_id, None)
    reply = await fake.reply_to(pushed)
    assert "couldn't fetch that file" in reply.text


async def test_gateway_closes_asking_to_resume_or_to_reconnect_lose_nothing(bot: Harness) -> None:
    fake = bot.fake
    kim = fake.add_user("kim")
    resumes = len(fake.gateway.resumes)
    await fake.gateway.close(CLOSE_UNKNOWN_ERROR)  # resume
    sent = [fake.push_message(kim, f"I feel calm, part {n}") for n in range(3)]
    await fake.wait_for(lambda: len(fake.gateway.resumes) > resumes and fake.gateway.connection)
    fake.gateway.request_reconnect()  # and again, by opcode
    sent += [fake.push_message(kim, f"I feel calm, part {n}") for n in range(3, 6)]
    replies = [await fake.reply_to(m, timeout=30) for m in sent]
    assert all(r.components for r in replies)
    await bot.ask(kim, "one more")
    assert [len(fake.replies_to(m)) for m in sent] == [1] * 6  # none twice
    # A session that cannot be resumed: discord.py identifies again (after 5 s).
    await fake.gateway.close(CLOSE_SESSION_TIMED_OUT)
    after = await bot.ask(kim, "I feel fine again", timeout=30)
    assert after.components and len(fake.gateway.identifies) >= 2


async def test_a_failure_inside_gets_an_apology_and_the_bot_carries_on(bot: Harness) -> None:
    lee = bot.fake.add_user("lee")

    async def rename(old: str, new: str) -> None:
        async with bot.app.sessions() as session, session.begin():
            await session.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))

    await rename("mood_readings", "mood_readings_away")  # the database breaks under us
    try:
        reply = await bot.ask(lee, "I feel joyful")
        assert "Something went wrong on my side" in reply.text and not reply.components
        answer = await bot.fake.answer_to(bot.fake.push_command(lee, "feel", {"text": "joy"}))
        assert "Something went wrong on my side" in answer.text and answer.ephemeral
    finally:
        await rename("mood_readings_away", "mood_readings")
    assert (await bot.ask(lee, "I feel joyful")).components
