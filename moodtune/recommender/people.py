"""The people the bot is talking to, kept in memory so a message costs no database read.

A person's state (recent moods, thumbs, the repeat window; recommender/person_state.py)
is read once, on their first message, and then kept current by the bot itself: what a
message stores goes to the database (through the BatchWriter, before the reply) and into
the state alike. Votes, /mode and /forget update or drop it. Only
`person_cache_size` people are kept (the least recently seen go first), and a state older
than `person_cache_seconds` is read afresh, so a second process writing to the same
database is seen within that time.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.config import Settings
from moodtune.recommender.crowd import Crowd
from moodtune.recommender.mood_state import StoredMood, horizon_start
from moodtune.recommender.person_state import MAX_MOODS, RESTING_REPLIES, Mood, PersonState
from moodtune.storage import feedback, moods, persons, recommendations
from moodtune.storage.batch_writer import BatchWriter
from moodtune.storage.types import utc_now

Key = tuple[str, str]  # (platform, user id)
History = tuple[Sequence[StoredMood], Sequence[tuple[int, int]], Sequence[int]]
NEW: History = ((), (), ())  # someone just met: nothing to read


class People:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.sessions = sessions
        self.settings = settings
        self.writer = BatchWriter(sessions)
        self.crowd = Crowd(sessions)
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
        async with self.sessions() as session, session.begin():
            person, found = await persons.find_or_create(session, *key, display_name, language)
            history = await _history(session, person.id, start, window) if found else NEW
        stored, votes, recent = history
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

    async def forgot(self, platform: str, user_id: str | int, rated: Iterable[int]) -> None:
        """After /forget: nothing of theirs in memory, their thumbs gone from the crowd's."""
        key = _key(platform, user_id)
        self._states.pop(key, None)
        self._loading.pop(key, None)  # a read under way keeps what it found out of memory
        await self.crowd.reread(set(rated))

    def drop_state(self, state: PersonState) -> None:
        """Memory may differ from the database (a write failed): read it afresh next time."""
        for key, kept in list(self._states.items()):
            if kept is state:
                del self._states[key]

    def set_mode(self, platform: str, user_id: str | int, mode: str) -> None:
        state = self._states.get(_key(platform, user_id))
        if state is not None:
            state.mode = mode

    async def voted(self, platform: str, user_id: str | int, track_id: int) -> None:
        """After a vote is stored: their taste and everyone's thumbs on the track, re-read."""
        state = self._states.get(_key(platform, user_id))
        if state is not None:
            async with self.sessions() as session:
                state.set_votes(await feedback.votes(session, state.id))
        await self.crowd.reread({track_id})

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
