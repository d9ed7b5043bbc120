"""The web chat's protocol end to end, without a browser: words, buttons, commands and
files through the real server, the real core and a SQLite copy of the bundled catalog."""

from __future__ import annotations

import base64
import json

import pytest
from media_samples import astronaut_jpeg, spoken_note
from web_harness import ScriptedPage, WebHarness

from moodtune.handlers.replies import Chat, Reply, Sender

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_feeling_gets_its_mood_and_tracks_each_with_its_thumbs(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        assert page.hello["language"] == "en"
        assert [name for name, _ in page.hello["commands"]][:3] == ["start", "help", "mode"]
        reply = await page.reply("I feel lonely and sad tonight")
    assert reply["ok"] and len(reply["tracks"]) == 5
    mood = reply["mood"]
    assert mood["bars"][0]["name"] == "sorrow" and 0 < mood["confidence"] <= 1
    assert "sorrow" not in reply["text"]  # the bars are drawn by the page, not repeated
    assert reply["text"] == "For how you feel now:\nTracks for you:"
    placed = reply["buttons"]["by_offer"]
    for track in reply["tracks"]:
        assert [b["label"] for b in placed[track["offer"]]] == [
            f"👍 {track['number']}", f"👎 {track['number']}",
        ]  # fmt: skip
        assert track["link"].startswith("https://")
    assert [[b["kind"] for b in row] for row in reply["buttons"]["rows"]] == [["groups"]]


async def test_a_vote_is_stored_shown_and_changeable(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        reply = await page.reply("so happy today!")
        outcome = await page.press(reply, "👍 2")
        assert outcome["notice"].startswith("Noted 👍")
        labels = [b["label"] for row in outcome["buttons"]["keyboard"] for b in row]
        assert "👍 2 ✓" in labels and "👎 2" in labels
        offer = reply["tracks"][1]["offer"]
        assert [b["chosen"] for b in outcome["buttons"]["by_offer"][offer]] == [True, False]
        reply["buttons"] = outcome["buttons"]
        outcome = await page.press(reply, "👎 2")
        labels = [b["label"] for row in outcome["buttons"]["keyboard"] for b in row]
        assert "👍 2" in labels and "👎 2 ✓" in labels
        assert (await web.rows_of(page.person))["thumbs"] == 1


async def test_not_how_i_feel_opens_the_groups_and_a_group_answers_that_mood(
    web: WebHarness,
) -> None:
    async with ScriptedPage(web) as page:
        reply = await page.reply("I am furious about work")
        opened = await page.press(reply, "Not how I feel")
        groups = [b for row in opened["buttons"]["rows"] for b in row]
        assert len(groups) == 7 and {b["kind"] for b in groups} == {"correct"}
        reply["buttons"] = opened["buttons"]
        corrected = await page.press(reply, "happiness")
        follow_up = corrected["follow_up"]
        assert follow_up["text"].startswith("Thanks for telling me: you feel happiness.")
        assert follow_up["mood"]["bars"] and len(follow_up["tracks"]) == 5
        assert not corrected["buttons"]["rows"]  # the groups are gone from the first reply
        kinds = [m.kind for m in await web.moods_of(page.person)]
    assert kinds == ["reading", "correction"]


async def test_mood_chart_export_and_forget(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        await page.reply("feeling calm and grateful 😌")
        chart = (await page.reply("/mood"))["attachment"]
        assert chart["image"] and chart["media_type"] == "image/png"
        assert base64.b64decode(chart["data"]).startswith(b"\x89PNG\r\n\x1a\n")
        export = (await page.reply("/export"))["attachment"]
        assert not export["image"] and export["filename"] == "moodtune-export.json"
        data = json.loads(base64.b64decode(export["data"]))
        assert data["person"] == data["person"] | {"platform": "web", "user_id": page.person}
        assert len(data["moods"]) == 1 and len(data["offers"]) == 5
        asked = await page.reply("/forget")
        assert [b["kind"] for row in asked["buttons"]["rows"] for b in row] == ["forget"] * 2
        assert (await web.rows_of(page.person))["moods"] == 1
        answered = await page.press(asked, "Yes, erase")
        assert answered["text"].startswith("Done: I erased everything")
        assert answered["buttons"]["keyboard"] == []
        assert await web.rows_of(page.person) == {
            "person": 0, "moods": 0, "offers": 0, "thumbs": 0,
        }  # fmt: skip


async def test_the_browser_language_picks_chinese(web: WebHarness) -> None:
    async with ScriptedPage(web, language="zh-CN,zh;q=0.9,en;q=0.8") as page:
        assert page.hello["language"] == "zh"
        assert dict(page.hello["commands"])["mood"] == "最近 30 天的心情图"
        reply = await page.reply("I feel calm")
        assert (
            reply["text"] == "按你此刻的心情：\n给你的歌："
            and reply["mood"]["bars"][0]["name"] == "安心"
        )
        labels = [b["label"] for row in reply["buttons"]["rows"] for b in row]
        assert labels == ["🙅 不是这种感觉"]


async def test_a_photo_with_a_caption_is_read_as_one_mood(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        status, frame = await page.upload(astronaut_jpeg(), caption="what a lovely day")
    assert status == 200 and frame["type"] == "reply", frame
    reply = frame["reply"]
    assert reply["ok"] and len(reply["tracks"]) == 5
    parts = reply["mood"]["parts"]
    assert [part.split(":")[0] for part in parts] == ["📝 words", "🖼 photo"]


async def test_a_voice_note_is_heard(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        note = spoken_note("I am so happy today, this is wonderful")
        status, frame = await page.upload(note, "voice", "note.ogg", "audio/ogg")
        assert status == 200 and frame["reply"]["ok"], frame
        assert [m.modality for m in await web.moods_of(page.person)] == ["voice"]


async def test_a_message_sent_twice_is_answered_once(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        await page.send({"type": "text", "id": "same-id", "text": "I feel calm"})
        await page.send({"type": "text", "id": "same-id", "text": "I feel calm"})
        first, second = await page.answer_to("same-id"), await page.answer_to("same-id")
        assert sorted([first["type"], second["type"]]) == ["refused", "reply"]
        assert (await web.rows_of(page.person))["moods"] == 1


async def test_buttons_of_another_person_are_refused(web: WebHarness) -> None:
    async with ScriptedPage(web) as owner, ScriptedPage(web) as other:
        reply = await owner.reply("I feel calm")
        outcome = await other.press(reply, "👍 1")
        assert outcome["alert"] and "person I answered" in outcome["notice"]
        assert outcome["buttons"] is None
        assert (await web.rows_of(owner.person))["thumbs"] == 0
        assert (await web.rows_of(other.person))["person"] == 0


async def test_mode_and_help_commands(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        assert (await page.reply("/mode lift"))["text"] == "Mode set to lift."
        assert "lift mode" in (await page.reply("/mode"))["text"]
        assert "/forget" in (await page.reply("/help"))["text"]
        unknown = await page.reply("/dance")
        assert not unknown["ok"] and "/dance" in unknown["text"]


async def test_the_bot_writes_first_to_every_open_page_of_the_person(web: WebHarness) -> None:
    handlers = web.connector.handlers
    async with ScriptedPage(web) as page:
        await page.reply("I feel calm")
        chat, person = Chat("web", page.person), Sender("web", page.person)
        assert page.socket is not None
        second_tab = await page.session.ws_connect(web.url + "ws", origin=web.origin)
        await second_tab.receive()  # its hello
        asked = Reply("How are you feeling today? <b>Tell me</b>")
        assert await handlers.send(chat, asked, person)
        for frame in (await page.frame(), json.loads((await second_tab.receive()).data)):
            assert frame["type"] == "message"
            assert frame["reply"]["text"] == "How are you feeling today? <b>Tell me</b>"
        await second_tab.close()
    # No page open: not delivered, to be tried again; a closed tab is not a blocked bot.
    assert not await handlers.send(chat, Reply("How are you?"), person)
    assert await handlers.chats.is_reachable(chat)
