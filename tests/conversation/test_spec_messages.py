"""The conversation's specification, part 1: feelings in, moods and tracks out.

Runs on the in-memory backend against the real core (engines, SQLite, the bundled
catalog); every connector's own tests then cover only translation and transport.
"""

from __future__ import annotations

import pytest
from media_samples import astronaut_jpeg, spoken_note
from memory_backend import MemoryBackend, fetch_fails
from sqlalchemy import select

from moodtune.bot.app import App
from moodtune.handlers.actions import ShowGroups, Vote
from moodtune.storage.models import Chat, MoodReading, Recommendation

pytestmark = pytest.mark.asyncio(loop_scope="module")
MB = 1024 * 1024


async def test_words_get_a_mood_tracks_and_their_buttons(backend: MemoryBackend) -> None:
    ann = backend.person("ann")
    reply = await ann.say("I feel lonely and sad tonight")
    assert reply.ok and len(reply.tracks) == 5
    assert "confidence:" in reply.text and "Tracks for you:" in reply.text
    actions = ann.actions(reply)
    votes = [a for a in actions if isinstance(a, Vote)]
    assert [v.recommendation_id for v in votes[::2]] == [t.recommendation_id for t in reply.tracks]
    assert actions[-1] == ShowGroups(reply.tracks[0].recommendation_id)
    assert ann.labels(reply)[-1] == "🙅 Not how I feel"


async def test_chinese_words_get_a_chinese_answer(backend: MemoryBackend) -> None:
    reply = await backend.person("bai", language="en").say("今天好难过，有点想家")
    assert "给你的歌" in reply.text
    reply = await backend.person("chen", language="zh-hans").say("I am so happy today")
    assert "给你的歌" in reply.text


async def test_a_photo_and_its_caption_are_read_together(backend: MemoryBackend) -> None:
    reply = await backend.person("dora").attach(
        "photo", astronaut_jpeg(), "what a wonderful, happy day"
    )
    assert reply.ok and len(reply.tracks) == 5
    assert "📝 words" in reply.text and "🖼 photo" in reply.text


async def test_a_voice_note_is_heard(backend: MemoryBackend) -> None:
    note = spoken_note("I am so happy today, everything feels wonderful and bright.")
    reply = await backend.person("emil").attach("voice", note)
    assert reply.ok and len(reply.tracks) == 5, reply.text


async def test_a_sticker_speaks_through_its_emoji(backend: MemoryBackend) -> None:
    fay = backend.person("fay")
    assert (await fay.sticker("😭")).tracks
    without = await fay.sticker(None)
    assert not without.ok and "no emoji" in without.text


async def test_photos_and_sound_sent_as_files_are_read(backend: MemoryBackend) -> None:
    gus = backend.person("gus")
    as_file = await gus.attach("document", astronaut_jpeg(), media_type="image/jpeg",
                               filename="me.jpg")  # fmt: skip
    assert as_file.ok and as_file.tracks
    note = spoken_note("I feel calm and peaceful tonight.")
    audio = await gus.attach("document", note, media_type="audio/ogg", filename="note.ogg")
    assert audio.ok and audio.tracks


async def test_moods_and_offers_are_stored_with_their_chat(
    backend: MemoryBackend, app: App
) -> None:
    hal = backend.person("hal")
    group = backend.group("room-1", "Friends")
    await hal.say("I feel calm")
    await hal.say("so happy today", chat=group)
    async with app.sessions() as session:
        moods = (await session.scalars(select(MoodReading.chat_id).order_by(MoodReading.id))).all()
        offers = set((await session.scalars(select(Recommendation.chat_id))).all())
        chats = {(c.platform_chat_id, c.kind, c.title) for c in await session.scalars(select(Chat))}
    assert moods[-2:] == ["hal", "room-1"]
    assert {"hal", "room-1"} <= offers
    assert {("hal", "private", "Hal"), ("room-1", "group", "Friends")} <= chats


async def test_in_a_group_only_what_is_addressed_to_the_bot_is_read(
    backend: MemoryBackend,
) -> None:
    ivy = backend.person("ivy")
    group = backend.group("room-2")
    unaddressed = ivy.message("just chatting with friends", chat=group, addressed=False)
    assert await ivy.send(unaddressed) is None
    assert (await ivy.say("@bot I feel great", chat=group)).tracks


async def test_a_redelivered_message_is_answered_once(backend: MemoryBackend) -> None:
    jo = backend.person("jo")
    message = jo.message("I feel hopeful")
    assert await jo.send(message) is not None
    assert await jo.send(message) is None


async def test_a_flood_is_refused_once_with_a_reason_then_quietly(
    backend: MemoryBackend,
) -> None:
    kim = backend.person("kim")
    replies = [await kim.send(kim.message("ok")) for _ in range(25)]
    refused = [r for r in replies if r is None or (not r.ok and "faster" in r.text)]
    told = [r for r in replies if r is not None and "faster than I can listen" in r.text]
    assert len(told) == 1 and len(refused) == 5
    assert backend.person("lea").message("another person is not limited")
    assert await backend.person("lea").say("I feel fine")


# Bad input: a clear reply, nothing stored, nothing crashes.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("   ", "I read words"),
        ("\x00\x01\x02\x03", "binary data, not a text message"),
        ("x" * 5000, "5,000 characters long; I read at most 4,000"),
        ("Привет как дела", "only read feelings in Chinese and English"),
    ],
)
async def test_unusable_words_get_a_clear_reply(
    backend: MemoryBackend, text: str, expected: str
) -> None:
    reply = await backend.person("max").say(text)
    assert not reply.ok and expected.lower() in reply.text.lower(), reply.text
    assert reply.tracks == () and reply.buttons == ()


async def test_unusable_media_get_a_clear_reply(backend: MemoryBackend) -> None:
    ned = backend.person("ned")
    corrupt = await ned.attach("photo", b"\xff\xd8\xff" + b"junk" * 100)
    assert not corrupt.ok and "image" in corrupt.text.lower()
    silent = await ned.attach("voice", b"OggS" + b"\x00" * 200)
    assert not silent.ok and not silent.tracks
    unsupported = await ned.attach("document", b"%PDF-1.4", media_type="application/pdf",
                                   filename="report.pdf")  # fmt: skip
    assert not unsupported.ok and "report.pdf" in unsupported.text
    assert ned.last_fetches == []  # refused unread
    lost = await ned.attach("photo", astronaut_jpeg(), fetch=fetch_fails)
    assert not lost.ok and "send it again" in lost.text


async def test_files_over_the_limit_are_refused_before_download(
    backend: MemoryBackend,
) -> None:
    oda = backend.person("oda")
    announced = await oda.attach("photo", b"x" * 10, size=25 * MB)
    assert not announced.ok and "25.0 MB" in announced.text and "20 MB" in announced.text
    assert oda.last_fetches == []
    big = b"x" * (21 * MB)
    unannounced = await oda.attach("voice", big, size=None)  # found out while fetching
    assert not unannounced.ok and "21.0 MB" in unannounced.text
