"""The people the bot is talking to, kept in memory so a message costs no database read.

A person's state (recent moods, thumbs, the repeat window; recommender/person_state.py)
is read once, on their first message, and then kept current by the bot itself: what a
message stores goes to the database (through the BatchWriter, before the reply) and into
the state alike. Votes, /mode and /forget go through here too, and change the database
and memory together: this class is the one owner of a person's state. Only
`person_cache_size` people are kept (the least recently seen go first), and a state older
than `person_cache_seconds` is read afresh, so a second process writing to the same
database is seen within that time.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.config import Settings
from moodtune.recommender.crowd import Crowd
from moodtune.recommender.mood_state import StoredMood, horizon_start
from moodtune.recommender.person_state import MAX_MOODS, RESTING_REPLIES, Mood, PersonState
from moodtune.storage import feedback, moods, persons, recommendations, room_offers
from moodtune.storage.batch_writer import BatchWriter
from moodtune.storage.outage import Outage
from moodtune.storage.types import utc_now

Key = tuple[str, str]  # (platform, user id)
History = tuple[Sequence[StoredMood], Sequence[tuple[int, int]], Sequence[int]]
NEW: History = ((), (), ())  # someone just met: nothing to read


class People:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        outage: Outage | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.outage = outage or Outage()
        self.writer = BatchWriter(sessions, self.outage)
        self.crowd = Crowd(sessions, settings.person_cache_seconds, self.outage)
        self._states: OrderedDict[Key, PersonState] = OrderedDict()
        self._loading: dict[Key, asyncio.Task[PersonState]] = {}

    async def get(
        self,
        platform: str,
        user_id: str | int,
        display_name: str = "",
        language: str | None = None,
        now: datetime | None = None,
    ) -> PersonState:
        """The person (created on first sight) with their state, from memory when it can."""
        key = _key(platform, user_id)
        state = self._states.get(key)
        if state is not None and self._usable(state, display_name):
            self._states.move_to_end(key)
            return state
        task = self._loading.get(key)
        if task is None:  # one read per person, however many of their messages wait for it
            task = asyncio.create_task(self._read(key, display_name, language, now))
            self._loading[key] = task
            task.add_done_callback(lambda done: self._read_done(key, done))
        return await asyncio.shield(task)

    def _usable(self, state: PersonState, display_name: str) -> bool:
        """Whether the state in memory will do. A re-read (to save a new name, or to see
        what another process wrote) waits until none of their messages is being stored:
        reading then could miss that message's mood and offers."""
        if state.writing > 0:
            return True
        name = persons.clean_display_name(display_name)
        age = time.monotonic() - state.loaded_at
        return (
            not (name and name != state.display_name) and age <= self.settings.person_cache_seconds
        )

    def _read_done(self, key: Key, task: asyncio.Task[PersonState]) -> None:
        if self._loading.get(key) is task:
            del self._loading[key]

    async def _read(
        self, key: Key, display_name: str, language: str | None, now: datetime | None
    ) -> PersonState:
        start = horizon_start(now or utc_now(), self.settings)
        # Enough offers for the repeat window and for the artists of the last replies.
        window = max(self.settings.repeat_window, RESTING_REPLIES * self.settings.recommend_k)

        async def read() -> tuple[persons.Person, History]:
            async with self.sessions() as session, session.begin():
                person, found = await persons.find_or_create(session, *key, display_name, language)
                return person, await _history(session, person.id, start, window) if found else NEW

        person, (stored, votes, recent) = await self.outage.retrying(read)
        state = PersonState(
            person.id, person.mode, person.display_name,
            [Mood(m.vector, m.confidence, m.modality, m.kind, m.created_at) for m in stored],
            list(votes), deque(recent, maxlen=window), person.language,
        )  # fmt: skip
        if self._loading.get(key) is asyncio.current_task():  # not forgotten meanwhile
            self._keep(key, state)
        return state

    def _keep(self, key: Key, state: PersonState) -> None:
        """Keep the state; over the bound, the least recently seen go, except this one and
        those being stored right now (a re-read could miss their message)."""
        self._states[key] = state
        self._states.move_to_end(key)
        for _ in range(len(self._states)):
            if len(self._states) <= self.settings.person_cache_size:
                break
            oldest, kept = next(iter(self._states.items()))
            if kept.writing or oldest == key:
                self._states.move_to_end(oldest)
            else:
                del self._states[oldest]

    def reread(self, platform: str, user_id: str | int) -> None:
        """Rows about them changed outside this class (a member's moods in a group they
        left were deleted): read them afresh on their next message."""
        key = _key(platform, user_id)
        self._states.pop(key, None)
        self._loading.pop(key, None)

    def drop_state(self, state: PersonState) -> None:
        """Memory may differ from the database (a write failed): read it afresh next time."""
        for key, kept in list(self._states.items()):
            if kept is state:
                del self._states[key]

    async def vote(
        self, platform: str, user_id: str | int, recommendation_id: int, value: int
    ) -> int:
        """Store a 👍 (+1) or 👎 (−1) on an offer and bring memory up to date: their taste,
        and everyone's thumbs on the track. The track's id; FeedbackError when the offer is
        unknown or was made for someone else. A second press of the same thumb changes
        nothing; the other thumb changes the vote."""
        async with self.sessions() as session, session.begin():
            person = await persons.get(session, platform, user_id)
            if person is None:
                raise feedback.FeedbackError("no person, so no offers to vote on")
            track_id = (await feedback.vote(session, person.id, recommendation_id, value)).track_id
            votes = await feedback.votes(session, person.id)
        await self._voted(platform, user_id, votes, track_id)
        return track_id

    async def room_vote(
        self,
        person: PersonState,
        platform: str,
        user_id: str | int,
        room_offer_id: int,
        value: int,
        chat_id: str,
        mood: np.ndarray | None,
    ) -> int:
        """A member's 👍 / 👎 on a track of their group's playlist, stored as their own
        thumb (storage/room_offers.py), memory brought up to date; the track's id."""
        async with self.sessions() as session, session.begin():
            thumb = await room_offers.vote(
                session, person.id, room_offer_id, value, platform, chat_id, mood
            )
            votes = await feedback.votes(session, person.id)
        await self._voted(platform, user_id, votes, thumb.track_id)
        return thumb.track_id

    async def _voted(
        self, platform: str, user_id: str | int, votes: list[tuple[int, int]], track_id: int
    ) -> None:
        state = self._states.get(_key(platform, user_id))
        if state is not None:
            state.set_votes(votes)
        await self.crowd.reread({track_id})

    async def mode(
        self,
        platform: str,
        user_id: str | int,
        wanted: str | None = None,
        display_name: str = "",
        language: str | None = None,
    ) -> str:
        """Their mode, after setting it to `wanted` when given (stored and in memory)."""
        async with self.sessions() as session, session.begin():
            person = await persons.get_or_create(session, platform, user_id, display_name, language)
            if wanted is not None and wanted != person.mode:
                await persons.set_mode(session, person.id, wanted)
            mode = person.mode
        state = self._states.get(_key(platform, user_id))
        if state is not None:
            state.mode = mode
        return mode

    async def forget(self, platform: str, user_id: str | int) -> int | None:
        """Erase every row about them, and every trace in memory (their state, their thumbs
        in everyone's prior). How many rows went; None when nothing was stored."""
        key = _key(platform, user_id)
        self._states.pop(key, None)
        self._loading.pop(key, None)  # a read under way keeps what it found out of memory
        async with self.sessions() as session, session.begin():
            person = await persons.get(session, platform, user_id)
            if person is None:
                return None
            rated = {track for track, _ in await feedback.votes(session, person.id)}
            rows = await persons.forget(session, person.id)
        await self.crowd.reread(rated)
        return rows

    async def close(self) -> None:
        await self.writer.close()


def _key(platform: str, user_id: str | int) -> Key:
    return platform, persons.check_identity(platform, user_id)


async def _history(session: AsyncSession, person_id: int, start: datetime, window: int) -> History:
    """Their moods since `start`, their thumbs, the tracks of their last `window` offers."""
    return (
        await moods.since(session, person_id, start, MAX_MOODS),
        await feedback.votes(session, person_id),
        await recommendations.recent_track_ids(session, person_id, window),
    )
