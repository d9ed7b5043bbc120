"""/export: every row about a person, as the JSON they receive."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.emotion import EmotionVector
from moodtune.storage.models import (
    CheckIn,
    CheckInSend,
    Feedback,
    MoodReading,
    Person,
    Recommendation,
    RoomOffer,
    Track,
)

FORMAT = "moodtune-export/1"


def _time(value: datetime) -> str:
    return value.isoformat()


def _mood(vector: Any) -> dict[str, float]:
    shares = EmotionVector.from_array(vector).as_dict(4)
    return {code: share for code, share in shares.items() if share > 0}


async def export_person(session: AsyncSession, person: Person) -> dict[str, Any]:
    """The person, their moods, the tracks offered to them, their thumbs, their daily
    check-in with every day it was sent (or skipped, or missed), and the group playlist
    tracks that named them, oldest first."""
    moods = await session.scalars(
        select(MoodReading).where(MoodReading.person_id == person.id).order_by(MoodReading.id)
    )
    offers = await session.execute(
        select(Recommendation, Track.title, Track.artists, Track.link)
        .join(Track, Track.id == Recommendation.track_id)
        .where(Recommendation.person_id == person.id)
        .order_by(Recommendation.id)
    )
    thumbs = await session.scalars(
        select(Feedback).where(Feedback.person_id == person.id).order_by(Feedback.id)
    )
    named = await session.execute(
        select(RoomOffer, Track.title, Track.artists)
        .join(Track, Track.id == RoomOffer.track_id)
        .where(RoomOffer.for_person_id == person.id)
        .order_by(RoomOffer.id)
    )
    checkins = (
        await session.scalars(
            select(CheckIn).where(CheckIn.person_id == person.id).order_by(CheckIn.id)
        )
    ).all()
    sends = await session.scalars(
        select(CheckInSend)
        .where(CheckInSend.checkin_id.in_([c.id for c in checkins]))
        .order_by(CheckInSend.id)
    )
    return {
        "format": FORMAT,
        "person": {
            "platform": person.platform,
            "user_id": person.platform_user_id,
            "display_name": person.display_name,
            "language": person.language,
            "mode": person.mode,
            "created_at": _time(person.created_at),
        },
        "moods": [
            {
                "at": _time(m.created_at),
                "kind": m.kind,
                "modality": m.modality,
                "confidence": round(m.confidence, 4),
                "vector": _mood(m.vector),
                "chat_id": m.chat_id,
            }
            for m in moods
        ],
        "offers": [
            {
                "id": r.id,
                "at": _time(r.created_at),
                "track": title,
                "artists": list(artists),
                "link": link,
                "rank": r.rank,
                "distance": round(r.distance, 4),
                "mode": r.mode,
                "chat_id": r.chat_id,
            }
            for r, title, artists, link in offers
        ],
        "thumbs": [
            {"offer_id": f.recommendation_id, "value": f.value, "at": _time(f.updated_at)}
            for f in thumbs
        ],
        "named_in_group_playlists": [
            {
                "at": _time(o.created_at),
                "chat_id": o.chat_id,
                "track": title,
                "artists": list(artists),
                "strategy": o.strategy,
            }
            for o, title, artists in named
        ],
        "checkins": [
            {
                "id": c.id,
                "platform": c.platform,
                "chat_id": c.chat_id,
                "time": c.local_time.strftime("%H:%M"),
                "zone": c.zone,
                "language": c.language,
                "next_due_at": _time(c.next_due_at),
                "paused": c.paused,
                "skip_next": c.skip_next,
                "unreachable_since": c.unreachable_at and _time(c.unreachable_at),
                "created_at": _time(c.created_at),
            }
            for c in checkins
        ],
        "checkin_sends": [
            {
                "checkin_id": s.checkin_id,
                "day": s.local_day.isoformat(),
                "due_at": _time(s.due_at),
                "status": s.status,
                "attempts": s.attempts,
                "recorded_at": _time(s.created_at),
            }
            for s in sends
        ],
    }


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
