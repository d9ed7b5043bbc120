"""End to end through the fake Bot API: text, photo + caption, voice, sticker, thumbs,
mood corrections — the real Application, real HTTP, real engines and database."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from fake_bot_api import BOT
from media_samples import astronaut_jpeg, spoken_note
from sqlalchemy import select
from telegram_harness import Harness

from moodtune.handlers.actions import Correct, Vote
from moodtune.handlers.buttons import MAX_BYTES, decode
from moodtune.storage.models import Feedback, MoodReading, Person

pytestmark = pytest.mark.asyncio(loop_scope="module")
TRACK_LINE = re.compile(r'^\d+\. <a href="https?://[^"]+">.+</a> — .+$', re.MULTILINE)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def button(message: dict[str, Any], label: str) -> dict[str, Any]:
    return next(b for b in buttons(message) if b["text"].startswith(label))


async def ask(bot: Harness, user: int, text: str, **options: Any) -> dict[str, Any]:
    return await bot.fake.reply_to(bot.fake.push_text(user, text, **options))


async def test_text_gets_the_mood_and_tracks_with_buttons(bot: Harness) -> None:
    reply = await ask(bot, 101, "I feel lonely and sad tonight")
    text = reply["text"]
    assert "sorrow" in text or "missing" in text
    assert "confidence:" in text and "Tracks for you:" in text
    assert len(TRACK_LINE.findall(text)) == 5
    presses = [decode(b["callback_data"]) for b in buttons(reply)]
    assert all(len(b["callback_data"].encode()) <= MAX_BYTES for b in buttons(reply))
    votes = [p.action for p in presses if isinstance(p.action, Vote)]
    assert len(votes) == 10 and {v.value for v in votes} == {1, -1}
    assert all(p.owner == "101" for p in presses)
    assert button(reply, "🙅 Not how I feel")


async def test_a_text_reply_is_sent_as_reply_text_would_send_it(bot: Harness) -> None:
    """Quoting the message, as HTML without link previews, in the forum topic it came from
    (the reply skips PTB's parsing of Telegram's echo, not any of this)."""
    private = bot.fake.push_text(111, "I feel calm")
    in_topic = bot.fake.push_text(  # in a group: addressed to the bot by a mention
        112, f"@{BOT['username']} so tired today", chat_id=-100777, is_topic_message=True,
        message_thread_id=9,
    )  # fmt: skip
    for update, thread in ((private, None), (in_topic, 9)):
        params = (await bot.fake.reply_to(update))["_params"]  # found by the message it quotes
        assert params["reply_parameters"]["allow_sending_without_reply"] is True
        assert params["parse_mode"] == "HTML"
        assert params["link_preview_options"] == {"is_disabled": True}
        assert params.get("message_thread_id") == thread


async def test_chinese_words_get_a_chinese_answer(bot: Harness) -> None:
    reply = await ask(bot, 102, "今天好难过，有点想家", language="en")
    assert "给你的歌" in reply["text"] and "把握" in reply["text"]
    zh_person = await ask(bot, 103, "I am so happy today", language="zh-hans")
    assert "给你的歌" in zh_person["text"]


async def test_photo_with_caption_is_read_in_memory_and_fused(bot: Harness) -> None:
    photo = astronaut_jpeg()
    update = bot.fake.push_photo(104, photo, caption="what a wonderful, happy day")
    reply = await bot.fake.reply_to(update)
    assert "📝 words" in reply["text"] and "🖼 photo" in reply["text"]
    assert len(TRACK_LINE.findall(reply["text"])) == 5
    # The photo went through memory only: no new file, and not in the database.
    files = {p.name for p in bot.data_dir.rglob("*") if p.is_file()}
    assert files <= {"moodtune.db", "moodtune.db-wal", "moodtune.db-shm"}
    stored = b"".join(p.read_bytes() for p in bot.data_dir.rglob("moodtune.db*"))
    assert photo[1000:1064] not in stored


async def test_voice_note_is_heard(bot: Harness) -> None:
    note = spoken_note("I am so happy today, everything feels wonderful and bright.")
    reply = await bot.fake.reply_to(bot.fake.push_voice(105, note), timeout=60)
    assert len(TRACK_LINE.findall(reply["text"])) == 5, reply["text"]  # whatever the response


async def test_sticker_speaks_through_its_emoji(bot: Harness) -> None:
    reply = await bot.fake.reply_to(bot.fake.push_sticker(106, "😭"))
    assert "sorrow" in reply["text"] and "Tracks for you:" in reply["text"]
    bare = await bot.fake.reply_to(bot.fake.push_sticker(106, None))
    assert "no emoji" in bare["text"] and not buttons(bare)


async def _thumbs(bot: Harness, user: int) -> list[tuple[int, int]]:
    async with bot.app.sessions() as session:
        query = (
            select(Feedback.recommendation_id, Feedback.value)
            .join(Person, Person.id == Feedback.person_id)
            .where(Person.platform_user_id == str(user))
        )
        return [(rec, value) for rec, value in await session.execute(query)]


async def test_thumbs_are_stored_idempotent_and_changeable(bot: Harness) -> None:
    fake, user = bot.fake, 107
    reply = await ask(bot, user, "I am furious about everything today")
    up = button(reply, "👍 1")
    offer = decode(up["callback_data"]).action.recommendation_id  # type: ignore[union-attr]
    answer = await fake.answer_to(fake.push_callback(user, reply, up["callback_data"]))
    assert answer.params["text"].startswith("Noted 👍")
    assert await _thumbs(bot, user) == [(offer, 1)]
    marked = fake.messages[(user, reply["message_id"])]
    assert button(marked, "👍 1")["text"] == "👍 1 ✓"
    assert button(marked, "👎 1")["text"] == "👎 1"
    # A double tap: same vote, still one row, and no error for the unchanged buttons.
    await fake.answer_to(fake.push_callback(user, reply, up["callback_data"]))
    assert await _thumbs(bot, user) == [(offer, 1)]
    # Changed mind: 👎 replaces 👍, and the tick moves.
    down = button(reply, "👎 1")["callback_data"]
    answer = await fake.answer_to(fake.push_callback(user, reply, down))
    assert answer.params["text"].startswith("Noted 👎")
    assert await _thumbs(bot, user) == [(offer, -1)]
    marked = fake.messages[(user, reply["message_id"])]
    assert button(marked, "👎 1")["text"] == "👎 1 ✓" and button(marked, "👍 1")["text"] == "👍 1"


async def test_not_how_i_feel_corrects_the_mood(bot: Harness) -> None:
    fake, user = bot.fake, 108
    reply = await ask(bot, user, "I am so happy and excited today")
    opener = button(reply, "🙅 Not how I feel")["callback_data"]
    await fake.answer_to(fake.push_callback(user, reply, opener))
    opened = await fake.wait_for(
        lambda: (
            len(buttons(fake.messages[(user, reply["message_id"])])) > len(buttons(reply))
            and fake.messages[(user, reply["message_id"])]
        )
    )
    groups = [decode(b["callback_data"]).action for b in buttons(opened)]
    corrections = [g for g in groups if isinstance(g, Correct)]
    assert [c.group for c in corrections] == [
        "happiness", "goodness", "anger", "sadness", "fear", "dislike", "surprise",
    ]  # fmt: skip
    sadness = button(opened, "😢 sadness")["callback_data"]
    before = len(fake.sent_to(user))
    await fake.answer_to(fake.push_callback(user, opened, sadness))
    new = (await fake.wait_for(lambda: fake.sent_to(user)[before:]))[0]
    assert "you feel sadness" in new["text"] and len(TRACK_LINE.findall(new["text"])) == 5
    assert button(new, "🙅 Not how I feel")  # a correction can be corrected again
    collapsed = buttons(fake.messages[(user, reply["message_id"])])
    assert not any(isinstance(decode(b["callback_data"]).action, Correct) for b in collapsed)
    async with bot.app.sessions() as session:
        kinds = await session.scalars(
            select(MoodReading.kind)
            .join(Person, Person.id == MoodReading.person_id)
            .where(Person.platform_user_id == str(user))
        )
        assert "correction" in set(kinds)


async def test_audio_file_and_image_document_are_read(bot: Harness) -> None:
    note = spoken_note("What a lovely and happy morning it is.")
    audio = await bot.fake.reply_to(bot.fake.push_audio(109, note, "audio/ogg"), timeout=60)
    assert TRACK_LINE.findall(audio["text"]) or "could not" in audio["text"].lower()
    photo = astronaut_jpeg()
    update = bot.fake.push_document(109, photo, "me.jpg", "image/jpeg", caption="so happy")
    document = await bot.fake.reply_to(update)
    assert "🖼 photo" in document["text"]


async def test_the_token_is_never_logged(bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await ask(bot, 110, "I feel hopeful")
    await ask(bot, 110, "and calm")  # by now the first reply's request has been logged
    logging.getLogger("moodtune.test").error("failed: %s", f"{bot.fake.base_url}{bot.fake.token}")
    try:
        raise RuntimeError(f"GET {bot.fake.base_url}{bot.fake.token}/getMe failed")
    except RuntimeError:
        logging.getLogger("moodtune.test").exception("with a traceback")
    assert "<token>/sendMessage" in caplog.text  # request URLs were logged, redacted
    secret = bot.fake.token.split(":")[1]
    assert secret not in caplog.text
    assert all(secret not in (record.exc_text or "") for record in caplog.records)
