"""Recommending for a group chat: its members' moods there in, the room's offers out.

The stateful part of group playlists (the choosing is `groups.py`): who counts in a chat
and with which mood, their thumbs from what the bot keeps in memory for each person
(recommender/people.py), the group's repeat window, and the offers stored for the room.

A member counts when they told the bot how they feel *in that chat* recently: their
readings there, decayed with `Settings.group_mood_half_life_hours` (and a correction of
theirs there overriding what came before, as in a private chat). What they said in a
private chat or in another group is never read. Someone who said nothing there is not
counted.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from moodtune.config import Settings
from moodtune.emotion import EmotionVector
from moodtune.recommender.groups import Member, Playlist, Strategy, group_playlist
from moodtune.recommender.mood_state import HORIZON_HALF_LIVES, decayed_mood
from moodtune.recommender.people import People
from moodtune.recommender.tracks import CatalogIndex, primary_language
from moodtune.storage import moods, room_offers
from moodtune.storage.types import utc_now


@dataclass(frozen=True, slots=True)
class Counted:
    """A member who counts in the chat now: who they are, and their mood there."""

    person_id: int
    user_id: str
    name: str
    language: str | None
    mood: EmotionVector


@dataclass(frozen=True, slots=True)
class GroupAnswer:
    """A stored group playlist: the members counted, the list, and the room offers' ids
    (what the room's 👍 / 👎 buttons carry), one per pick, in play order."""

    members: list[Counted]
    playlist: Playlist
    offer_ids: list[int]


def mood_horizon(settings: Settings) -> timedelta:
    """How far back a member's readings in a group still count (they weigh < 1 % beyond)."""
    return timedelta(hours=settings.group_mood_half_life_hours * HORIZON_HALF_LIVES)


async def counted_members(
    people: People,
    settings: Settings,
    platform: str,
    chat_id: str,
    now: datetime | None = None,
    person_id: int | None = None,
) -> list[Counted]:
    """The members (or the one member) with a mood in this chat now, in the order they
    first spoke within the horizon."""
    now = now or utc_now()
    async with people.sessions() as session:
        readings = await moods.in_chat(
            session, platform, chat_id, now - mood_horizon(settings), person_id=person_id
        )
    counted = []
    by_person = itertools.groupby(
        sorted(readings, key=lambda r: (r.person_id, r.created_at)), key=lambda r: r.person_id
    )
    first_seen = {}
    for who, theirs in by_person:
        rows = list(theirs)
        mood = decayed_mood(rows, now, settings.group_mood_half_life_hours, explain=False)
        if mood.has_signal:
            last = rows[-1]
            first_seen[who] = rows[0].created_at
            counted.append(Counted(who, last.user_id, last.display_name, last.language,
                                   mood.vector))  # fmt: skip
    return sorted(counted, key=lambda c: (first_seen[c.person_id], c.person_id))


async def recommend_for_group(
    people: People,
    catalog: CatalogIndex,
    settings: Settings,
    platform: str,
    chat_id: str,
    k: int,
    strategy: Strategy = "fair",
    now: datetime | None = None,
) -> GroupAnswer:
    """Count the members, pick up to k tracks for them, store them as the room's offers.
    Nobody counted: nothing picked, nothing stored."""
    members = await counted_members(people, settings, platform, chat_id, now)
    if not members:
        return GroupAnswer([], group_playlist(catalog, [], k, strategy), [])
    states = await asyncio.gather(*(people.get(platform, m.user_id) for m in members))
    chosen = [
        Member(m.mood.values, state.taste(catalog), primary_language(m.language))
        for m, state in zip(members, states, strict=True)
    ]
    async with people.sessions() as session, session.begin():
        await room_offers.hold_chat(session, platform, chat_id)  # one playlist at a time
        recent = await room_offers.recent_track_ids(
            session, platform, chat_id, settings.repeat_window
        )
        playlist = group_playlist(catalog, chosen, k, strategy, recent, settings.max_per_artist)
        offers = [
            room_offers.Offer(p.track.id, members[p.for_member].person_id) for p in playlist.picks
        ]
        stored = await room_offers.record(session, platform, chat_id, offers, strategy)
    return GroupAnswer(members, playlist, [o.id for o in stored])
