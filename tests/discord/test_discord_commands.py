"""Every slash command through the fake Discord: /feel with words, a photo, an audio file;
/mood with its chart, /mode, /export as an ephemeral file, /forget with its confirmation
buttons, /privacy, /help; what was synced, and an interaction delivered twice."""

from __future__ import annotations

import json

import pytest
from discord_harness import Harness
from fake_discord import Upload
from media_samples import astronaut_jpeg, spoken_note
from sqlalchemy import func, select

from moodtune.storage.models import MODES, Feedback, MoodReading, Person

pytestmark = pytest.mark.asyncio(loop_scope="module")
PNG = b"\x89PNG\r\n\x1a\n"


async def test_the_synced_commands_and_their_chinese_descriptions(bot: Harness) -> None:
    synced = {c["name"]: c for c in bot.fake.commands[None]}
    assert set(synced) == {
        "feel", "mood", "mode", "export", "forget", "privacy", "help", "playlist", "checkin",
    }  # fmt: skip
    feel = synced["feel"]
    assert [(o["name"], o["type"], o.get("required", False)) for o in feel["options"]] == [
        ("text", 3, True), ("photo", 11, False), ("voice", 11, False),
    ]  # fmt: skip
    assert synced["mood"]["description_localizations"]["zh-CN"] == "最近 30 天的心情图"
    assert [c["value"] for c in synced["mode"]["options"][0]["choices"]] == list(MODES)


async def test_feel_with_words_is_answered_at_once_in_public(bot: Harness) -> None:
    fake = bot.fake
    ana = fake.add_user("ana")
    pressed = fake.push_command(ana, "feel", {"text": "I feel calm and grateful"})
    answer = await fake.answer_to(pressed)
    state = fake.interactions[pressed]
    assert state.callback_type == 4 and not answer.ephemeral  # answered, not deferred
    assert "Tracks for you:" in answer.text and len(answer.embeds) == 6
    assert any(c.startswith("v:") for c in answer.custom_ids)


async def test_feel_with_a_12_megapixel_photo_is_deferred_within_3_s_then_followed_up(
    bot: Harness,
) -> None:
    fake = bot.fake
    bo = fake.add_user("bo")
    photo = Upload(astronaut_jpeg((4000, 3000)), "big.jpg", "image/jpeg", dimensions=(4000, 3000))
    pressed = fake.push_command(bo, "feel", {"text": "so happy", "photo": photo})
    answer = await fake.answer_to(pressed, timeout=60)
    state = fake.interactions[pressed]
    assert state.callback_type == 5 and state.callback_at is not None  # "thinking…"
    assert state.callback_at - state.created < 3.0
    assert not state.refused
    # The follow-up filled in the "thinking…" message.
    assert [s.kind for s in bot.fake.sent if s.interaction_id == pressed] == [
        "interaction", "follow-up",
    ]  # fmt: skip
    assert answer.message["id"] == (state.original or {}).get("id")
    assert "🖼 photo" in answer.text


async def test_feel_with_an_audio_file_and_with_both_files(bot: Harness) -> None:
    fake = bot.fake
    cy = fake.add_user("cy")
    note = spoken_note("I am so happy today, everything feels wonderful.")
    voice = Upload(note, "happy.ogg", "audio/ogg")
    pressed = fake.push_command(cy, "feel", {"text": "listen", "voice": voice})
    answer = await fake.answer_to(pressed, timeout=60)
    assert "Tracks for you:" in answer.text or "🎙" in answer.text
    photo = Upload(astronaut_jpeg(), "me.jpg", "image/jpeg")
    both = fake.push_command(cy, "feel", {"text": "me", "photo": photo, "voice": voice})
    await fake.wait_for(lambda: len(fake.interactions[both].follow_ups) == 1, timeout=60)
    first = fake.interactions[both].original
    assert first is not None and "🖼 photo" in json.dumps(first, ensure_ascii=False)


async def test_mood_before_and_after_a_feeling_with_its_chart(bot: Harness) -> None:
    fake = bot.fake
    dai = fake.add_user("dai")
    empty = await fake.answer_to(fake.push_command(dai, "mood"))
    assert not empty.message["attachments"]
    await bot.ask(dai, "I feel wonderful and full of joy")
    chart = await fake.answer_to(fake.push_command(dai, "mood"), timeout=60)
    (png,) = chart.files.values()
    assert png.startswith(PNG) and len(png) > 5000
    assert chart.embeds[0]["image"]["url"] == "attachment://mood.png"
    assert chart.message["attachments"][0]["filename"] == "mood.png"


async def test_mode_shows_and_changes_the_mode(bot: Harness) -> None:
    fake = bot.fake
    eve = fake.add_user("eve")
    shown = await fake.answer_to(fake.push_command(eve, "mode"))
    assert "match" in shown.text and shown.ephemeral
    changed = await fake.answer_to(fake.push_command(eve, "mode", {"mode": "lift"}))
    assert "lift" in changed.text
    async with bot.app.sessions() as session:
        mode = await session.scalar(select(Person.mode).where(Person.platform_user_id == eve))
    assert mode == "lift"


async def test_export_is_an_ephemeral_json_file(bot: Harness) -> None:
    fake = bot.fake
    fay = fake.add_user("fay")
    await bot.ask(fay, "I feel a little anxious about tomorrow")
    export = await fake.answer_to(fake.push_command(fay, "export"))
    assert export.ephemeral
    (data,) = export.files.values()
    exported = json.loads(data)
    assert exported["person"]["platform"] == "discord"
    assert exported["person"]["user_id"] == fay
    assert exported["moods"]


async def test_forget_asks_with_buttons_and_erases_on_yes(bot: Harness) -> None:
    fake = bot.fake
    gus = fake.add_user("gus")
    await bot.ask(gus, "I feel sad and tired")
    async with bot.app.sessions() as session:
        person_id = await session.scalar(select(Person.id).where(Person.platform_user_id == gus))
    question = await fake.answer_to(fake.push_command(gus, "forget"))
    assert question.ephemeral and len(question.components) == 2
    no = fake.push_press(gus, question.message["id"], question.button("No")["custom_id"])
    await fake.wait_for(lambda: fake.interactions[no].answered)
    assert "Nothing was erased" in question.message["content"]
    assert not question.components
    question = await fake.answer_to(fake.push_command(gus, "forget"))
    assert question.button("Yes")["style"] == 4  # danger
    yes = question.button("Yes")["custom_id"]
    pressed = fake.push_press(gus, question.message["id"], yes)
    await fake.wait_for(lambda: fake.interactions[pressed].answered)
    assert "erased" in question.message["content"].lower() and not question.components
    async with bot.app.sessions() as session:
        people = await session.scalar(
            select(func.count()).select_from(Person).where(Person.platform_user_id == gus)
        )
        moods = await session.scalar(
            select(func.count()).select_from(MoodReading).where(MoodReading.person_id == person_id)
        )
    assert people == 0 and moods == 0


async def test_privacy_and_help_are_answered_to_the_asker_alone(bot: Harness) -> None:
    fake = bot.fake
    hal = fake.add_user("hal", locale="zh-CN")
    privacy = await fake.answer_to(fake.push_command(hal, "privacy"))
    assert privacy.ephemeral and "照片和语音只在内存中分析" in privacy.text
    help_ = await fake.answer_to(fake.push_command(hal, "help", guild=bot.server))
    assert help_.ephemeral and "/mood" in help_.text


async def test_an_interaction_delivered_twice_is_answered_once(bot: Harness) -> None:
    fake = bot.fake
    ivy = fake.add_user("ivy")
    pressed = fake.push_command(ivy, "feel", {"text": "I feel wonderful"})
    fake.push_command(ivy, "feel", {"text": "I feel wonderful"}, interaction_id=pressed)
    await fake.answer_to(pressed)
    await bot.ask(ivy, "and now?")  # the re-delivery has been handled by now
    state = fake.interactions[pressed]
    assert not state.refused  # no second answer was even tried
    assert len([s for s in fake.sent if s.interaction_id == pressed]) == 1


async def test_playlist_for_the_room_and_any_member_votes_in_its_menus(bot: Harness) -> None:
    fake, server = bot.fake, bot.server
    pam, quin = fake.add_user("pam"), fake.add_user("quin")
    server.member_ids += [pam, quin]
    await bot.ask(pam, "I feel happy and excited", guild=server, mention=True)
    await bot.ask(quin, "I feel calm and peaceful", guild=server, mention=True)
    pressed = fake.push_command(pam, "playlist", {"size": 12}, guild=server)
    playlist = await fake.answer_to(pressed, timeout=60)
    assert not playlist.ephemeral and "A playlist for the room" in playlist.text
    menus = [c for c in playlist.components if c["type"] == 3]  # 12 tracks: 👍 and 👎 menus
    assert [m["placeholder"] for m in menus] == ["👍 …", "👎 …"]
    assert all(len(m["options"]) == 12 for m in menus)
    first = menus[0]["options"][0]
    vote = fake.push_press(quin, playlist.message["id"], menus[0]["custom_id"],
                           values=[first["value"]])  # fmt: skip
    await fake.wait_for(lambda: fake.interactions[vote].answered)
    async with bot.app.sessions() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Feedback)
            .join(Person, Person.id == Feedback.person_id)
            .where(Person.platform_user_id == quin)
        )  # fmt: skip
    assert stored == 1
    notice = await fake.answer_to(vote)  # the room's menus stay as they are: a line for quin
    assert notice.ephemeral and notice.text.startswith("Noted 👍")
    private = await fake.answer_to(fake.push_command(pam, "playlist"))
    assert "Add me to a group" in private.text


async def test_checkin_in_a_dm_and_in_a_server_by_an_admin_only(bot: Harness) -> None:
    fake, server = bot.fake, bot.server
    rae = fake.add_user("rae")
    mine = await fake.answer_to(fake.push_command(rae, "checkin", {"when": "21:00 Shanghai"}))
    assert "every day at 21:00 (Asia/Shanghai)" in mine.text
    sam, tia = fake.add_user("sam"), fake.add_user("tia", admin=True)
    server.member_ids += [sam, tia]
    refused = fake.push_command(sam, "checkin", {"when": "09:00 Berlin"}, guild=server)
    assert "only an admin" in (await fake.answer_to(refused)).text
    allowed = fake.push_command(tia, "checkin", {"when": "09:00 Berlin"}, guild=server)
    assert "ask this room" in (await fake.answer_to(allowed)).text
    shown = await bot.ask(tia, "/checkin", guild=server, mention=True)  # typed, by mention
    assert "09:00" in shown.text
