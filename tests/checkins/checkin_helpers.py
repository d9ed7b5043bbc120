"""What the check-in tests share: a clock moved by hand, an Outbound that records what it
is asked to send, and check-ins stored directly."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from moodtune.handlers.buttons import decode
from moodtune.handlers.daily_time import next_due
from moodtune.handlers.outbound import Delivery
from moodtune.handlers.replies import Chat, Reply
from moodtune.handlers.time_zones import zone_info
from moodtune.storage import checkins, persons


class Clock:
    """The time the code under test sees; tests move it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def timestamp(self) -> float:
        return self.now.timestamp()

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def send_id_of(reply: Reply) -> int:
    """The send a check-in's buttons answer (all seven name the same one)."""
    ids = {decode(button.data).action.send_id for row in reply.buttons for button in row}
    assert len(ids) == 1, ids
    return ids.pop()


@dataclass
class RecordingOutbound:
    """A connector's sending side that delivers nowhere: it records each (chat, reply)
    and answers what the test set for that chat (delivered by default)."""

    platform: str = "telegram"
    answers: dict[str, Delivery | Exception] = field(default_factory=dict)
    sent: list[tuple[Chat, Reply]] = field(default_factory=list)
    log: Path | None = None  # also append one JSON line per send (for other processes)

    async def send(self, chat: Chat, reply: Reply) -> Delivery:
        self.sent.append((chat, reply))
        if self.log is not None:
            line = json.dumps({"chat": chat.chat_id, "send": send_id_of(reply), "pid": os.getpid()})
            with self.log.open("a", encoding="utf-8") as out:  # O_APPEND: lines never interleave
                out.write(line + "\n")
        answer = self.answers.get(chat.chat_id, Delivery.DELIVERED)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def chats(self) -> list[str]:
        return [chat.chat_id for chat, _ in self.sent]


async def add_checkins(
    sessions,
    chats: Iterable[str],
    at: time,
    zone: str,
    now: datetime,
    platform: str = "telegram",
    private: bool = False,
) -> list[int]:
    """Check-ins for `chats` (groups, or private chats of people named like them), next
    due as /checkin would set them at `now`."""
    day, instant = next_due(at, zone_info(zone), now)
    ids = []
    async with sessions() as session, session.begin():
        for chat in chats:
            person = await persons.get_or_create(session, platform, chat) if private else None
            row = await checkins.save(
                session, platform=platform, chat_id=chat,
                chat_kind="private" if private else "group",
                person_id=person.id if person else None, local_time=at, zone=zone,
                language="en", next_due_at=instant, next_due_day=day,
            )  # fmt: skip
            ids.append(row.id)
    return ids


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)
