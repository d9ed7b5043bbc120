"""Chats: remembered on first sight (private or group, title), and whether the platform
still delivers there."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from moodtune.storage.models import CHAT_KINDS, PLATFORMS, Chat
from moodtune.storage.types import utc_now

CHATS = Chat.__table__

MAX_CHAT_ID = 128
MAX_TITLE = 200


class ChatError(ValueError):
    """An unknown platform or chat kind, or an unusable chat id."""


def check_chat(platform: str, chat_id: str | int, kind: str) -> str:
    if platform not in PLATFORMS:
        raise ChatError(f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}")
    if kind not in CHAT_KINDS:
        raise ChatError(f"unknown chat kind {kind!r}; expected one of {', '.join(CHAT_KINDS)}")
    text = str(chat_id).strip()
    if not text or len(text) > MAX_CHAT_ID:
        raise ChatError(f"a chat id must have 1 to {MAX_CHAT_ID} characters, got {len(text)}")
    return text


async def remember(
    session: AsyncSession, platform: str, chat_id: str | int, kind: str, title: str = ""
) -> Chat:
    """The chat, created on first sight; a new title or kind (a group upgraded to a
    supergroup stays a group) is saved, and a chat someone writes in is reachable again."""
    key = check_chat(platform, chat_id, kind)
    title = " ".join(title.split())[:MAX_TITLE]
    connection = await session.connection()
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = (
        insert(Chat)
        .values(platform=platform, platform_chat_id=key, kind=kind, title=title)
        .on_conflict_do_nothing(index_elements=["platform", "platform_chat_id"])
    )
    await session.execute(statement)
    chat = await get(session, platform, key)
    if chat is None:  # deleted between the insert and the read: take it as new again
        raise ChatError(f"{platform} chat {key} vanished while being remembered")
    if (chat.kind, chat.title, chat.unreachable_since) != (kind, title or chat.title, None):
        chat.kind, chat.title, chat.unreachable_since = kind, title or chat.title, None
        await session.flush()
    return chat


def chat_row(platform: str, chat_id: str | int, kind: str, title: str = "") -> dict[str, Any]:
    """A chat as `upsert` takes it (checked here, where the caller can be told)."""
    key = check_chat(platform, chat_id, kind)
    return {"platform": platform, "platform_chat_id": key, "kind": kind,
            "title": " ".join(title.split())[:MAX_TITLE], "created_at": utc_now()}  # fmt: skip


async def upsert(connection: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Remember these chats (see chat_row): new ones added, known ones given their kind and
    title (when one is given) and made reachable again."""
    if not rows:
        return
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = insert(CHATS)
    statement = statement.on_conflict_do_update(
        index_elements=["platform", "platform_chat_id"],
        set_={
            "kind": statement.excluded.kind,
            "title": case((statement.excluded.title == "", CHATS.c.title),
                          else_=statement.excluded.title),
            "unreachable_since": None,
        },
    )  # fmt: skip
    latest = {(row["platform"], row["platform_chat_id"]): row for row in rows}
    await connection.execute(statement, list(latest.values()))


async def get(session: AsyncSession, platform: str, chat_id: str | int) -> Chat | None:
    query = select(Chat).where(Chat.platform == platform, Chat.platform_chat_id == str(chat_id))
    return (await session.execute(query)).scalar_one_or_none()


async def mark_unreachable(
    session: AsyncSession, platform: str, chat_id: str | int, when: datetime
) -> bool:
    """The platform will not deliver there; False when the chat is unknown."""
    statement = (
        update(Chat)
        .where(Chat.platform == platform, Chat.platform_chat_id == str(chat_id))
        .values(unreachable_since=when)
    )
    result = await session.execute(statement)
    return bool(result.rowcount)
