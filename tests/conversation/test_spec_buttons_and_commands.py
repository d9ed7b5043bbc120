"""The conversation's specification, part 2: buttons, commands, and messages the bot
starts itself."""

from __future__ import annotations

import pytest
from memory_backend import MemoryBackend
from sqlalchemy import func, select

from moodtune.bot.app import App
from moodtune.emotion import GROUPS
from moodtune.handlers.actions import Forget, Vote
from moodtune.handlers.buttons import encode
from moodtune.handlers.commands import COMMANDS
from moodtune.handlers.incoming import Press
from moodtune.handlers.replies import Chat, Reply
from moodtune.storage import chats
from moodtune.storage.models import Feedback, MoodReading, Person

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_thumbs_are_stored_named_idempotent_and_changeable(
    backend: MemoryBackend, app: App
) -> None:
    ann = backend.person("b_ann")
    reply = await ann.say("I feel calm and content")
    title = reply.tracks[0].track.title
    up = await ann.press(reply, "👍 1")
    assert up.notice == f"Noted 👍 “{title}”: more like this."
    assert ann.labels(reply)[:2] == ["👍 1 ✓", "👎 1"]
    again = await ann.press(reply, "👍 1")
    assert again.notice == up.notice and ann.labels(reply)[:2] == ["👍 1 ✓", "👎 1"]
    down = await ann.press(reply, "👎 1")
    assert "Noted 👎" in (down.notice or "") and ann.labels(reply)[:2] == ["👍 1", "👎 1 ✓"]
    async with app.sessions() as session:
        votes = (await session.scalars(select(Feedback.value).join(Person).where(
            Person.platform_user_id == "b_ann"))).all()  # fmt: skip
    assert votes == [-1]


async def test_not_how_i_feel_corrects_the_mood(backend: MemoryBackend, app: App) -> None:
    bo = backend.person("b_bo")
    reply = await bo.say("I feel lonely and sad tonight")
    opened = await bo.press(reply, "🙅")
    assert opened.buttons is not None and opened.follow_up is None
    assert [b for b in bo.labels(reply) if not b.startswith(("👍", "👎"))] == [
        "😄 happiness", "🥰 goodness", "😠 anger", "😢 sadness", "😨 fear", "😒 dislike",
        "😮 surprise",
    ]  # fmt: skip
    corrected = await bo.press(reply, "😄")
    follow_up = corrected.follow_up
    assert follow_up is not None and follow_up.tracks and "you feel happiness" in follow_up.text
    assert not any(label.startswith(("😄", "🙅")) for label in bo.labels(reply))
    async with app.sessions() as session:
        kinds = (await session.scalars(select(MoodReading.kind).join(Person).where(
            Person.platform_user_id == "b_bo"))).all()  # fmt: skip
    assert kinds == ["reading", "correction"]


async def test_forged_stale_and_foreign_presses_change_nothing(
    backend: MemoryBackend, app: App
) -> None:
    cy, dee = backend.person("b_cy"), backend.person("b_dee")
    reply = await cy.say("I feel hopeful")
    offer = reply.tracks[0].recommendation_id
    for forged in ("v:1:2", "x" * 300, None, 42, "v:b_cy:0:u"):
        outcome = await cy.press(reply, "", data=forged)
        assert outcome.notice == "That button no longer works. Tell me how you feel again."
    # Dee presses Cy's button, as is, then with her own name forged into it.
    theirs = await dee.press(reply, "👍 1")
    assert theirs.alert and theirs.notice == "That button is for the person I answered."
    forged_owner = await dee.press(reply, "", data=encode("b_dee", Vote(offer, 1)))
    assert "can't find that track" in (forged_owner.notice or "")
    gone = await cy.press(reply, "", data=encode("b_cy", Vote(2**31 - 1, 1)))
    assert "can't find that track" in (gone.notice or "")
    async with app.sessions() as session:
        stored = await session.scalar(
            select(func.count()).where(Feedback.recommendation_id == offer)
        )
    assert stored == 0


async def test_a_press_delivered_twice_is_handled_once(backend: MemoryBackend) -> None:
    eve = backend.person("b_eve")
    reply = await eve.say("I feel calm")
    press = Press("same-event", eve.sender, eve.private, eve.button(reply, "👍 2").data,
                  reply.buttons)  # fmt: skip
    first = await backend.handlers.on_press(press)
    second = await backend.handlers.on_press(press)
    assert first.notice and (second.notice, second.buttons) == (None, None)


async def test_start_help_privacy_and_unknown_commands(backend: MemoryBackend) -> None:
    fin = backend.person("b_fin")
    assert "Hi B_Fin!" in (await fin.command("/start")).text
    help_text = (await fin.command("/help")).text
    shown = [name for name in COMMANDS if name not in ("start", "help")]
    assert all(f"/{name}" in help_text for name in shown), help_text  # every command it takes
    assert "never stored" in (await fin.command("/privacy")).text
    unknown = await fin.command("/dance")
    assert not unknown.ok and "I don't know /dance" in unknown.text


async def test_mode_is_shown_set_and_refused_when_unknown(backend: MemoryBackend) -> None:
    gil = backend.person("b_gil")
    assert "Mode set to lift" in (await gil.command("/mode lift")).text
    assert "lift mode" in (await gil.command("/mode")).text
    refused = await gil.command("/mode sideways")
    assert not refused.ok and "/mode" in refused.text


async def test_mood_export_and_forget(backend: MemoryBackend, app: App) -> None:
    hob = backend.person("b_hob")
    assert "no moods" in (await hob.command("/mood")).text
    assert "store nothing" in (await hob.command("/export")).text
    await hob.say("I feel wonderful today")
    chart = await hob.command("/mood")
    assert chart.attachment is not None and chart.attachment.data.startswith(b"\x89PNG")
    export = await hob.command("/export")
    assert export.attachment is not None and b'"moodtune-export/1"' in export.attachment.data
    ask = await hob.command("/forget")
    assert [b.keys[0] for b in hob.buttons(ask)] == ["yes", "no"]  # typed answers work too
    kept = await hob.press(ask, "No")
    assert kept.text == "Nothing was erased." and kept.buttons == ()
    ask = await hob.command("/forget")
    erased = await hob.press(ask, "Yes")
    assert "I erased everything about you" in (erased.text or "")
    async with app.sessions() as session:
        left = await session.scalar(select(func.count()).where(Person.platform_user_id == "b_hob"))
    assert left == 0
    stale = await hob.press(ask, "", data=encode("b_hob", Forget(True, 1_000_000)))
    assert "expired" in (stale.text or "")


async def test_messages_the_bot_starts_and_unreachable_chats(
    backend: MemoryBackend, app: App
) -> None:
    ivo = backend.person("b_ivo")
    await ivo.say("I feel fine")  # the chat is known
    handlers = backend.handlers
    assert await handlers.send(ivo.private, Reply("How are you feeling today?"), ivo.sender)
    chat, sent = backend.outbox[-1]
    assert chat == ivo.private and sent.text == "How are you feeling today?"

    backend.failing.add("b_ivo")  # a passing failure: still reachable
    assert not await handlers.send(ivo.private, Reply("again?"), ivo.sender)
    assert await handlers.chats.is_reachable(ivo.private)
    backend.failing.clear()

    backend.blocked.add("b_ivo")  # they blocked the bot
    assert not await handlers.send(ivo.private, Reply("hello?"), ivo.sender)
    assert not await handlers.chats.is_reachable(ivo.private)
    backend.blocked.clear()
    await ivo.say("I'm back and I feel better")  # writing again makes them reachable
    assert await handlers.chats.is_reachable(ivo.private)
    async with app.sessions() as session:
        stored = await chats.get(session, backend.platform, "b_ivo")
    assert stored is not None and stored.unreachable_since is None

    nowhere = Chat("discord", "123", "private")  # no connector for that platform runs here
    assert not await handlers.send(nowhere, Reply("hi"), ivo.sender)


async def test_every_group_is_a_correction_the_buttons_offer(backend: MemoryBackend) -> None:
    jan = backend.person("b_jan")
    reply = await jan.say("I feel nervous")
    await jan.press(reply, "🙅")
    assert len([a for a in jan.actions(reply) if not isinstance(a, Vote)]) == len(GROUPS)
