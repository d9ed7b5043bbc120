"""People: created once per platform account, renamed, moded, and forgotten completely."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from moodtune.emotion import EmotionVector
from moodtune.storage import feedback, moods, persons, recommendations, tracks
from moodtune.storage.models import Feedback, MoodReading, Person, Recommendation, Track
from moodtune.storage.persons import PersonError

JOY = EmotionVector.from_scores({"PA": 1.0})


async def test_get_or_create_creates_once_and_keeps_the_name_current(session_factory) -> None:
    async with session_factory() as session, session.begin():
        first = await persons.get_or_create(session, "telegram", 42, "Ann  Lee", "en")
    async with session_factory() as session, session.begin():
        again = await persons.get_or_create(session, "telegram", "42", "Ann Lee-Smith")
        other_platform = await persons.get_or_create(session, "discord", "42", "Ann")
    assert again.id == first.id != other_platform.id
    assert (first.display_name, again.display_name) == ("Ann Lee", "Ann Lee-Smith")
    assert (again.language, again.mode) == ("en", "auto")  # new people start in auto
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 2


async def test_a_long_display_name_or_language_is_cut_not_refused(session_factory) -> None:
    async with session_factory() as session, session.begin():
        person = await persons.get_or_create(session, "local", "me", "名" * 1000, "x-" * 20)
    assert len(person.display_name) == persons.MAX_DISPLAY_NAME
    assert len(person.language or "") == persons.MAX_LANGUAGE


@pytest.mark.parametrize(
    ("platform", "user_id", "message"),
    [
        ("myspace", "1", "unknown platform"),
        ("local", "  ", "1 to 128"),
        ("local", "x" * 129, "1 to"),
    ],
)
async def test_bad_identities_are_refused(
    session_factory, platform: str, user_id: str, message: str
) -> None:
    async with session_factory() as session:
        with pytest.raises(PersonError, match=message):
            await persons.get_or_create(session, platform, user_id)


async def test_racing_first_messages_make_one_person(session_factory) -> None:
    async def arrive() -> int:
        async with session_factory() as session, session.begin():
            return (await persons.get_or_create(session, "telegram", "7", "Bo")).id

    ids = await asyncio.gather(arrive(), arrive(), arrive())
    assert len(set(ids)) == 1


async def test_mode_and_language_can_change(session_factory) -> None:
    async with session_factory() as session, session.begin():
        person = await persons.get_or_create(session, "local", "me")
        await persons.set_mode(session, person.id, "lift")
        await persons.set_language(session, person.id, "zh")
    async with session_factory() as session:
        stored = await persons.get(session, "local", "me")
    assert stored is not None
    assert (stored.mode, stored.language) == ("lift", "zh")


async def test_unknown_mode_or_person_is_refused(session_factory) -> None:
    async with session_factory() as session, session.begin():
        person = await persons.get_or_create(session, "local", "me")
        with pytest.raises(PersonError, match="unknown mode"):
            await persons.set_mode(session, person.id, "sulk")
        with pytest.raises(PersonError, match="no person"):
            await persons.set_mode(session, person.id + 100, "lift")


async def _person_with_history(session, user_id: str, track_ids: list[int]) -> int:
    person = await persons.get_or_create(session, "telegram", user_id, user_id)
    offers = [(track_id, rank, 0.1 * rank) for rank, track_id in enumerate(track_ids, 1)]
    offered = await recommendations.record_offers(session, person.id, offers, JOY, "match", "-100")
    await feedback.vote(session, person.id, offered[0].id, 1)
    await feedback.vote(session, person.id, offered[1].id, -1)
    await moods.record(session, person.id, JOY, 0.8, "text")
    await moods.record(session, person.id, JOY, 1.0, "text", kind="correction")
    return person.id


async def _rows_about(session, person_id: int) -> dict[str, int]:
    counts = {}
    for model in (Feedback, Recommendation, MoodReading):
        query = select(func.count()).select_from(model).where(model.person_id == person_id)
        counts[model.__tablename__] = await session.scalar(query)
    counts["persons"] = await session.scalar(
        select(func.count()).select_from(Person).where(Person.id == person_id)
    )
    return counts


async def test_forget_removes_every_row_about_a_person_and_nothing_else(
    session_factory, make_track_row
) -> None:
    async with session_factory() as session, session.begin():
        await tracks.add_many(session, [make_track_row(f"Song {i}") for i in range(4)])
        ids = [int(i) for i in (await tracks.load_matrix(session))[0]]
        ann = await _person_with_history(session, "ann", ids[:3])
        bo = await _person_with_history(session, "bo", ids[1:])
    async with session_factory() as session, session.begin():
        removed = await persons.forget(session, ann)
    assert removed == 2 + 3 + 2 + 1  # votes, offers, moods, the person
    async with session_factory() as session:
        assert await _rows_about(session, ann) == dict.fromkeys(
            ("feedback", "recommendations", "mood_readings", "persons"), 0
        )
        assert await _rows_about(session, bo) == {
            "feedback": 2, "recommendations": 3, "mood_readings": 2, "persons": 1
        }  # fmt: skip
        assert await session.scalar(select(func.count()).select_from(Track)) == 4
        assert await persons.get(session, "telegram", "ann") is None


async def test_forgetting_someone_unknown_removes_nothing(session_factory) -> None:
    async with session_factory() as session, session.begin():
        assert await persons.forget(session, 12345) == 0


async def test_moods_come_back_in_time_order_from_a_start(session_factory) -> None:
    async with session_factory() as session, session.begin():
        person = await persons.get_or_create(session, "local", "me")
        for hour in (9, 7, 8, 12):
            at = datetime(2024, 3, 1, hour, tzinfo=UTC)
            await moods.record(session, person.id, JOY, hour / 24, "voice", at=at)
    async with session_factory() as session:
        found = await moods.since(session, person.id, datetime(2024, 3, 1, 8, tzinfo=UTC))
    assert [m.created_at.hour for m in found] == [8, 9, 12]
    assert found[0].vector.tolist() == pytest.approx(JOY.values.tolist())


@pytest.mark.parametrize(
    ("kind", "confidence", "message"),
    [
        ("guess", 0.5, "unknown mood kind"),
        ("reading", 1.5, "0..1"),
        ("reading", float("nan"), "0..1"),
    ],
)
async def test_bad_moods_are_refused(
    session_factory, kind: str, confidence: float, message: str
) -> None:
    async with session_factory() as session, session.begin():
        person = await persons.get_or_create(session, "local", "me")
        with pytest.raises(moods.MoodError, match=message):
            await moods.record(session, person.id, JOY, confidence, "text", kind=kind)
