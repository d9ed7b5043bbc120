"""Group chats through the neutral handlers, on a real database and the real text engine:
members tell the bot how they feel in the group, /playlist, /mood, votes, leaving,
forgetting, and every bad input (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import func, select

from moodtune.bot.app import App
from moodtune.config import Settings
from moodtune.emotion import GROUPS, INDEX
from moodtune.handlers.actions import Forget, Vote
from moodtune.handlers.buttons import decode
from moodtune.handlers.commands import Commands
from moodtune.handlers.conversation import Conversation
from moodtune.handlers.playlists import parse_playlist
from moodtune.handlers.replies import Chat, Reply, Sender
from moodtune.recommender.load import load_catalog
from moodtune.storage import feedback, moods, persons, tracks
from moodtune.storage.db import make_engine, make_session_factory
from moodtune.storage.models import Feedback, MoodReading, RoomOffer

GROUP = Chat("telegram", "-100777", "group", "Friends")
OTHER_GROUP = Chat("telegram", "-100888", "group", "Work")
ANN = Sender("telegram", "1", "Ann", "en")
BO = Sender("telegram", "2", "Bo", "en")
CY = Sender("telegram", "3", "Cy", "zh-hans")
DEE = Sender("telegram", "4", "Dee", "en")  # never says how she feels
SAD, HAPPY, SCARED = (
    "I feel so sad and lonely today",
    "I am so happy and excited!",
    ("I'm scared and anxious about tomorrow"),
)


LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def private(sender: Sender) -> Chat:
    return Chat(sender.platform, sender.user_id, "private")


def catalog_rows() -> list[dict[str, object]]:
    """12 tracks per emotion group, near its categories: 4 artists of 3 tracks each, one
    genre per artist, English and Chinese alternating."""
    rng = np.random.default_rng(4)
    rows = []
    for group, (_, _, codes) in GROUPS.items():
        for i in range(12):
            vector = rng.uniform(0, 0.03, 21)
            vector[[INDEX[c] for c in codes]] += 1.0 / len(codes)
            rows.append({
                "title": f"{group} {i}", "artists": [f"{group} artist {i % 4}"],
                "vector": vector / vector.sum(), "genre": f"{group} genre {i % 4}",
                "language": ("en", "zh")[i % 2], "tags": [group],
            })  # fmt: skip
    return rows


@pytest.fixture
async def app(db_url: str) -> AsyncIterator[App]:
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    async with sessions() as session, session.begin():
        await tracks.add_many(session, catalog_rows())
    running = App(Settings(_env_file=None), engine, sessions, await load_catalog(sessions))  # type: ignore[call-arg]
    yield running
    await running.close()


async def feel(app: App, sender: Sender, text: str, chat: Chat = GROUP) -> None:
    reply = await Conversation(app).on_text(sender, text, chat.chat_id)
    assert reply.ok, reply.text


async def playlist(app: App, sender: Sender, *args: str, chat: Chat | None = GROUP) -> Reply:
    return await Commands(app).run(sender, "playlist", args, chat)


async def count(app: App, model: type) -> int:
    async with app.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


def group_of(title: str) -> str:
    return title.split()[0]


async def the_room(app: App) -> None:
    """Ann is sad, Bo happy, Cy scared, in the group; Ann was joyful in her private chat."""
    await feel(app, ANN, HAPPY, private(ANN))
    await feel(app, ANN, SAD)
    await feel(app, BO, HAPPY)
    await feel(app, CY, SCARED)


async def test_a_playlist_for_three_names_who_each_track_is_for(app: App) -> None:
    await the_room(app)
    reply = await playlist(app, BO)
    assert reply.ok and len(reply.tracks) == 10
    lines = reply.text.splitlines()
    assert "for the 3 of you" in lines[0] and "fair" in lines[0]
    assert [line.split()[0] for line in lines[1:4]] == ["Ann", "Bo", "Cy"]
    assert all("%" in line and "for them" in line for line in lines[1:4])
    assert "not counted yet" not in reply.text  # Bo asked and is counted
    wanted = {"Ann": "sadness", "Bo": "happiness", "Cy": "fear"}  # her private joy not used
    named = {}
    for offered in reply.tracks:
        name = offered.why.removeprefix("for ")
        named[name] = named.get(name, 0) + 1
        assert group_of(offered.track.title) in (wanted[name], "goodness", "surprise"), offered
    assert set(named) == {"Ann", "Bo", "Cy"} and min(named.values()) >= 2
    for number, row in enumerate(reply.buttons, 1):
        presses = [decode(button.data) for button in row]
        assert [p.owner for p in presses] == [None, None]  # any member may press
        assert [p.action for p in presses] == [
            Vote(reply.tracks[number - 1].recommendation_id, 1),
            Vote(reply.tracks[number - 1].recommendation_id, -1),
        ]
    async with app.sessions() as session:
        stored = (await session.scalars(select(RoomOffer).order_by(RoomOffer.id))).all()
        ann = await persons.get(session, "telegram", "1")
    assert [o.id for o in stored] == [t.recommendation_id for t in reply.tracks]
    assert [o.rank for o in stored] == list(range(1, 11))
    assert {o.chat_id for o in stored} == {GROUP.chat_id}
    firsts = [o for o, t in zip(stored, reply.tracks, strict=True) if t.why == "for Ann"]
    assert ann is not None and {o.for_person_id for o in firsts} == {ann.id}


async def test_playlist_again_gives_new_tracks_and_another_strategy(app: App) -> None:
    await the_room(app)
    first = await playlist(app, ANN)
    second = await playlist(app, CY, "6", "least-misery")
    assert len(second.tracks) == 6 and "最少失落" in second.text  # Cy's app speaks Chinese
    assert {t.track.id for t in first.tracks}.isdisjoint(t.track.id for t in second.tracks)


async def test_nobody_has_shared_a_mood(app: App) -> None:
    await feel(app, ANN, SAD, private(ANN))  # private moods never count in a group
    await feel(app, BO, HAPPY, OTHER_GROUP)  # nor do another group's
    reply = await playlist(app, ANN)
    assert not reply.ok and "Nobody here has told me" in reply.text and "/feel" in reply.text
    mood = await Commands(app).run(ANN, "mood", (), GROUP)
    assert "Nobody here" in mood.text and mood.attachment is None
    assert await count(app, RoomOffer) == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("0",), "1 to 20 tracks, so 0 won't do"), (("999",), "1 to 20 tracks, so 999 won't do"),
        (("-3",), "so -3 won't do"), (("1" * 4000,), "so 111111111111… won't do"),
        (("abc",), "Use /playlist [number]"), (("5", "5"), "Use /playlist"),
        (("fair", "average"), "Use /playlist"), (("５",), "Use /playlist"),
        (("-+3",), "Use /playlist"), (("",), "Use /playlist"), (("<b>x</b>",), "Use /playlist"),
    ],
)  # fmt: skip
async def test_bad_arguments_get_the_allowed_range(
    app: App, args: tuple[str, ...], expected: str
) -> None:
    await the_room(app)
    reply = await playlist(app, ANN, *args)
    assert not reply.ok and expected in reply.text and not reply.tracks
    assert "1" in reply.text and "20" in reply.text
    assert await count(app, RoomOffer) == 0


def test_arguments_in_any_order_and_both_languages() -> None:
    assert parse_playlist((), 10, 20) == parse_playlist(("fair",), 10, 20)
    assert parse_playlist(("LEAST-MISERY", "+7"), 10, 20).size == 7
    assert parse_playlist(("平均", "3"), 10, 20).strategy == "average"
    assert parse_playlist((), 30, 20).size == 20  # a default above the most is capped


async def test_playlist_in_a_private_chat_points_to_groups(app: App) -> None:
    await feel(app, ANN, SAD, private(ANN))
    for chat in (private(ANN), None):
        reply = await playlist(app, ANN, chat=chat)
        assert not reply.ok and "group chat" in reply.text


async def test_someone_who_said_nothing_is_invited_not_counted(app: App) -> None:
    await the_room(app)
    reply = await playlist(app, DEE)
    assert "for the 3 of you" in reply.text and "Dee" not in reply.text
    assert "You are not counted yet" in reply.text
    assert all(t.why != "for Dee" for t in reply.tracks)


async def test_a_member_who_left_is_no_longer_counted(app: App) -> None:
    await the_room(app)
    await feel(app, BO, HAPPY, private(BO))
    await playlist(app, ANN)
    assert await Commands(app).playlists.member_left(GROUP, BO.user_id) == 1
    assert await Commands(app).playlists.member_left(GROUP, "999") == 0  # never seen
    reply = await playlist(app, ANN)
    assert "for the 2 of you" in reply.text and "Bo" not in reply.text
    async with app.sessions() as session:
        bo = await persons.get(session, "telegram", BO.user_id)
        assert bo is not None
        left = (await session.scalars(select(MoodReading.chat_id).where(
            MoodReading.person_id == bo.id))).all()  # fmt: skip
        named = (await session.scalars(select(RoomOffer.for_person_id))).all()
    assert left == [BO.user_id]  # the private mood stays
    assert bo.id not in named


async def test_any_member_votes_for_themselves_only(app: App) -> None:
    await the_room(app)
    reply = await playlist(app, ANN)
    playlists = Commands(app).playlists
    offer = reply.tracks[0].recommendation_id
    up = await playlists.on_vote(CY, GROUP, Vote(offer, 1))
    assert up.notice == "记下了 👍，只算你的：会给你多推荐这样的歌。" and up.buttons is None
    down = await playlists.on_vote(DEE, GROUP, Vote(offer, -1))  # never said how she feels
    assert down.notice == "Noted 👎, for you only: I won't offer it to you again."
    assert down.notice is not None and "👎" in down.notice
    track = reply.tracks[0].track.id
    async with app.sessions() as session:
        cy = await persons.get(session, "telegram", CY.user_id)
        dee = await persons.get(session, "telegram", DEE.user_id)
        ann = await persons.get(session, "telegram", ANN.user_id)
        assert cy and dee and ann
        assert await feedback.votes(session, cy.id) == [(track, 1)]
        assert await feedback.votes(session, dee.id) == [(track, -1)]
        assert await feedback.votes(session, ann.id) == []
    state = await app.people.get("telegram", CY.user_id)
    assert state.votes == [(track, 1)]  # her taste in memory knows it at once


async def test_votes_from_elsewhere_or_on_nothing_are_refused(app: App) -> None:
    await the_room(app)
    reply = await playlist(app, ANN)
    playlists = Commands(app).playlists
    offer = reply.tracks[0].recommendation_id
    for chat, target in ((OTHER_GROUP, offer), (private(BO), offer), (GROUP, offer + 10_000)):
        outcome = await playlists.on_vote(BO, chat, Vote(target, 1))
        assert outcome.notice == "That track is no longer on offer in this chat."
    stranger = Sender("web", "x", "", None)  # a platform the bot does not store
    assert (await playlists.on_vote(stranger, GROUP, Vote(offer, 1))).notice
    assert await count(app, Feedback) == 0


async def test_two_members_pressing_the_same_button_at_once(app: App) -> None:
    await the_room(app)
    reply = await playlist(app, ANN)
    playlists = Commands(app).playlists
    vote = Vote(reply.tracks[2].recommendation_id, 1)
    outcomes = await asyncio.gather(
        playlists.on_vote(BO, GROUP, vote), playlists.on_vote(CY, GROUP, vote),
        playlists.on_vote(CY, GROUP, vote),
    )  # fmt: skip
    assert all(o.notice and "👍" in o.notice for o in outcomes)
    async with app.sessions() as session:
        thumbs = (await session.execute(select(Feedback.person_id, Feedback.value))).all()
    assert len(thumbs) == 2 and {v for _, v in thumbs} == {1}


async def test_two_playlists_asked_at_once_do_not_repeat_each_other(app: App) -> None:
    await the_room(app)
    one, two = await asyncio.gather(playlist(app, ANN, "8"), playlist(app, BO, "8"))
    assert {t.track.id for t in one.tracks}.isdisjoint(t.track.id for t in two.tracks)


async def test_forget_removes_a_member_from_every_group(app: App) -> None:
    await the_room(app)
    await feel(app, ANN, SAD, OTHER_GROUP)
    reply = await playlist(app, BO)
    commands = Commands(app)
    await commands.playlists.on_vote(BO, GROUP, Vote(reply.tracks[0].recommendation_id, 1))
    await commands.playlists.on_vote(ANN, GROUP, Vote(reply.tracks[0].recommendation_id, 1))
    asked = commands.ask_to_forget("en").choices[0].action
    assert isinstance(asked, Forget)
    assert (await commands.on_forget(ANN, asked)).ok
    again = await playlist(app, BO)
    assert "for the 2 of you" in again.text and "Ann" not in again.text
    async with app.sessions() as session:
        for chat in (GROUP, OTHER_GROUP):
            found = await moods.in_chat(session, "telegram", chat.chat_id, LONG_AGO)
            assert "Ann" not in {m.display_name for m in found}
        offers = (await session.scalars(select(RoomOffer))).all()
        thumbs = (await session.execute(select(Feedback.person_id))).all()
    assert len(offers) == 20 and len(thumbs) == 1  # the room keeps its list; Bo his thumb


async def test_the_rooms_mood_counts_members_without_names(app: App) -> None:
    await the_room(app)
    await feel(app, DEE, "I feel so sad today")
    reply = await Commands(app).run(ANN, "mood", (), GROUP)
    assert reply.attachment is not None and reply.attachment.data.startswith(b"\x89PNG")
    assert "4 of you" in reply.text
    assert "sadness 2" in reply.text and "happiness 1" in reply.text and "fear 1" in reply.text
    assert not any(name in reply.text for name in ("Ann", "Bo", "Cy", "Dee"))
    private_mood = await Commands(app).run(ANN, "mood", (), private(ANN))
    assert "4 of you" not in private_mood.text  # a private /mood stays the personal chart


async def test_a_playlist_that_never_arrived_is_withdrawn(app: App) -> None:
    await the_room(app)
    reply = await playlist(app, ANN, "5")
    playlists = Commands(app).playlists
    assert await playlists.withdraw(OTHER_GROUP, reply) == 0
    assert await playlists.withdraw(GROUP, reply) == 5
    assert await count(app, RoomOffer) == 0
    outcome = await playlists.on_vote(BO, GROUP, Vote(reply.tracks[0].recommendation_id, 1))
    assert outcome.notice == "That track is no longer on offer in this chat."


async def test_a_room_whose_tracks_ran_out(app: App) -> None:
    await the_room(app)
    offered: list[int] = []
    for _ in range(len(app.catalog) // 10 + 2):
        reply = await playlist(app, ANN, "20")
        if not reply.ok:
            break
        offered += [t.track.id for t in reply.tracks]
    assert not reply.ok and "no new tracks" in reply.text
    assert len(offered) == len(set(offered)) == len(app.catalog)  # each once, then no more


async def test_export_shows_the_tracks_a_group_playlist_named_you_for(app: App) -> None:
    await the_room(app)
    reply = await playlist(app, BO)
    exported = await Commands(app).run(ANN, "export")
    assert exported.attachment is not None
    data = json.loads(exported.attachment.data)
    named = data["named_in_group_playlists"]
    assert [n["track"] for n in named] == [
        t.track.title for t in reply.tracks if t.why == "for Ann"
    ]
    assert {n["chat_id"] for n in named} == {GROUP.chat_id}
    assert {m["chat_id"] for m in data["moods"]} == {GROUP.chat_id, ANN.user_id}
