"""People: found or created on first message, their mode, and forgetting them entirely."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.storage import checkins, room_offers
from moodtune.storage.models import (
    MODES,
    PLATFORMS,
    Feedback,
    InboxEvent,
    MoodReading,
    Person,
    Recommendation,
    RoomVote,
)

MAX_USER_ID = 128
MAX_DISPLAY_NAME = 200
MAX_LANGUAGE = 16


class PersonError(ValueError):
    """An unknown platform or mode, an unusable user id, or a person who does not exist."""


def check_identity(platform: str, user_id: str | int) -> str:
    if platform not in PLATFORMS:
        raise PersonError(f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}")
    text = str(user_id).strip()
    if not text or len(text) > MAX_USER_ID:
        raise PersonError(f"a user id must have 1 to {MAX_USER_ID} characters, got {len(text)}")
    return text


async def get(session: AsyncSession, platform: str, user_id: str | int) -> Person | None:
    key = check_identity(platform, user_id)
    query = select(Person).where(Person.platform == platform, Person.platform_user_id == key)
    return (await session.execute(query)).scalar_one_or_none()


async def get_or_create(
    session: AsyncSession,
    platform: str,
    user_id: str | int,
    display_name: str = "",
    language: str | None = None,
) -> Person:
    """The person behind a platform account, created on first sight.

    A changed display name is saved (people rename themselves; groups show who a track is
    for). Two messages racing to create the same person end with one row.
    """
    person, _ = await find_or_create(session, platform, user_id, display_name, language)
    return person


async def find_or_create(
    session: AsyncSession,
    platform: str,
    user_id: str | int,
    display_name: str = "",
    language: str | None = None,
) -> tuple[Person, bool]:
    """As get_or_create, and whether the person was found (False: new, nothing about them)."""
    display_name = clean_display_name(display_name)
    language = language[:MAX_LANGUAGE] if language else None
    person = await get(session, platform, user_id)
    found = person is not None
    if person is None:
        person = await _create(session, platform, user_id, display_name, language)
    if display_name and person.display_name != display_name:
        person.display_name = display_name
    if person.language is None and language:
        person.language = language
    await session.flush()
    return person, found


def clean_display_name(name: str) -> str:
    """A display name as stored: whitespace collapsed, at most MAX_DISPLAY_NAME characters."""
    return " ".join(name.split())[:MAX_DISPLAY_NAME]


async def _create(
    session: AsyncSession, platform: str, user_id: str | int, name: str, language: str | None
) -> Person:
    """The new person, in one statement; if a concurrent message created them first (another
    process, or PostgreSQL's parallel transactions), that row instead."""
    key = check_identity(platform, user_id)
    connection = await session.connection()
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = (
        insert(Person)
        .values(platform=platform, platform_user_id=key, display_name=name, language=language)
        .on_conflict_do_nothing(index_elements=["platform", "platform_user_id"])
        .returning(Person)
    )
    created = (await session.scalars(statement)).one_or_none()
    if created is not None:
        return created
    existing = await get(session, platform, key)
    if existing is None:  # created and deleted again in between
        raise PersonError(f"{platform} user {key} was forgotten while being created")
    return existing


async def _require(session: AsyncSession, person_id: int) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise PersonError(f"there is no person with id {person_id}")
    return person


async def set_mode(session: AsyncSession, person_id: int, mode: str) -> Person:
    """'match' answers the mood as it is; 'lift' moves it step by step toward a better one."""
    if mode not in MODES:
        raise PersonError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    person = await _require(session, person_id)
    person.mode = mode
    await session.flush()
    return person


async def set_language(session: AsyncSession, person_id: int, language: str | None) -> Person:
    person = await _require(session, person_id)
    person.language = language[:MAX_LANGUAGE] if language else None
    await session.flush()
    return person


async def forget(session: AsyncSession, person_id: int) -> int:
    """Delete every row about a person (thumbs, offers, moods — in every chat, groups
    included —, check-ins and their sends, the person); how many rows. Group playlists no
    longer name them; the tracks offered to the group stay the group's.

    Explicit deletes rather than trusting ON DELETE CASCADE alone, so forgetting works the
    same on a database whose foreign keys were switched off.
    """
    removed = await checkins.delete_of_person(session, person_id)
    for model in (Feedback, RoomVote, Recommendation, MoodReading):
        result = await session.execute(delete(model).where(model.person_id == person_id))
        removed += result.rowcount or 0
    person = await session.get(Person, person_id)
    if person is not None:  # the messages they sent, kept in the inbox for a day
        sent = (
            InboxEvent.platform == person.platform,
            InboxEvent.sender_id == person.platform_user_id,
        )
        result = await session.execute(delete(InboxEvent).where(*sent))
        removed += result.rowcount or 0
    await room_offers.forget_member(session, person_id)
    result = await session.execute(delete(Person).where(Person.id == person_id))
    return removed + (result.rowcount or 0)
