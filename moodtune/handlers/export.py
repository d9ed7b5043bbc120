"""/export: every row about a person, as the JSON they receive."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.emotion import EmotionVector
from moodtune.storage.models import (
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
    """The person, their moods, the tracks offered to them and their thumbs, and the group
    playlist tracks that named them, oldest first."""
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
    }


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
