"""Recommending for one person: their message, mood, taste and history in, stored offers out.

The stateful part of the re-ranker: it decides the mood to answer (this message's reading,
filled in from their recent moods only when it says little: mood_state.current_mood),
how to answer it (their mode and the mood's group: modes.plan), hands the pure functions
in `ranking` what they need (the person's taste, recent offers and artists, from memory;
everyone's thumbs on the candidates; the languages that lead) and stores the reading and
what was offered, in one group commit with other messages (storage/batch_writer).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from moodtune.config import Settings
from moodtune.emotion_engines.fusion import checked
from moodtune.emotion_engines.reading import Reading
from moodtune.recommender import modes
from moodtune.recommender.mood_state import CurrentMood, current_mood, horizon_start
from moodtune.recommender.people import People
from moodtune.recommender.person_state import RESTING_REPLIES, Mood, PersonState
from moodtune.recommender.ranking import (
    Listener,
    Pick,
    answering,
    candidate_ids,
    candidates,
    rerank,
)
from moodtune.recommender.tracks import CatalogIndex
from moodtune.storage import moods, recommendations
from moodtune.storage.types import utc_now, vector_from_bytes

EXPLORATION = np.random.default_rng()  # one for the process: making one costs ~20 µs a reply


@dataclass(frozen=True, slots=True)
class Answer:
    """What a message gets: the mood the picks follow, whether this message decided it
    (else the person's earlier moods did), how the picks answer it (modes.RESPONSES), and
    the picks as (recommendation id, pick) pairs, once stored."""

    mood: Reading
    from_now: bool
    response: str
    picks: list[tuple[int, Pick]]

    @property
    def feeling(self) -> str:
        """The category code of the strongest feeling of the mood answered ('' for none)."""
        top = self.mood.vector.top(1)
        return top[0][0] if top else ""


async def recommend_for_person(
    people: People,
    person: PersonState,
    reading: Reading,
    catalog: CatalogIndex,
    settings: Settings,
    language: str = "en",
    chat_id: str | None = None,
    *,
    kind: str = "reading",
    now: datetime | None = None,
    rng: np.random.Generator | None = None,
    message_language: str | None = None,
) -> Answer:
    """Store the reading (as a mood of `kind`), pick tracks for the mood to answer, record
    them as offers.

    The mood to answer is the reading when it is confident, else the person's recent moods
    fill in (mood_state.current_mood); a reading without signal stores nothing. A
    malformed reading is logged and treated the same way. Tracks come in play order (a
    response goes step by step). `language` is the reply's (its "why" lines);
    `message_language` the language the message was written in, when known: its tracks
    lead, and the person's own language's. `rng` drives exploration; by default the
    process's own, unseeded.

    Returns the Answer, its picks stored: their ids are what 👍 / 👎 refer to. No mood at
    all (nothing now, nothing recent) gives an Answer without signal and without picks.
    """
    now = now or utc_now()
    valid = checked([reading])  # the fusion boundary: what an engine hands over is checked
    fresh = valid[0] if valid and valid[0].has_signal else None
    earlier = person.moods_since(horizon_start(now, settings))
    current = current_mood(fresh, earlier, now, settings.mood_half_life_minutes)
    mood_rows = []
    if fresh is not None:
        row = moods.mood_row(
            person.id, fresh.vector, fresh.confidence, fresh.modality, kind, chat_id, now
        )
        vector = vector_from_bytes(row["vector"])  # as a re-read would give it back
        person.add_mood(Mood(vector, row["confidence"], row["modality"], kind, now))
        mood_rows.append(row)
    response = modes.response_for(person.mode, current.reading.vector)
    listener = _listener(person, catalog, settings, message_language, language)
    picks = await _pick(
        people, person, current, response, catalog, settings, language, listener, rng
    )
    stored = await _store(people, person, mood_rows, picks, chat_id)
    return Answer(current.reading, current.from_now, response, stored)


def _listener(
    person: PersonState,
    catalog: CatalogIndex,
    settings: Settings,
    message_language: str | None,
    language: str,
) -> Listener:
    """The languages that lead (the message's, else the reply's; and the person's app
    language), unless turned off, and the artists of their last replies."""
    artists = person.recent_artists(catalog, RESTING_REPLIES * settings.recommend_k)
    if not settings.picks_follow_language:
        return Listener.of(recent_artists=artists)
    return Listener.of(message_language or language, person.language, artists)


async def _pick(
    people: People,
    person: PersonState,
    current: CurrentMood,
    response: str,
    catalog: CatalogIndex,
    settings: Settings,
    language: str,
    listener: Listener,
    rng: np.random.Generator | None,
) -> list[Pick]:
    mood = current.reading
    if not mood.has_signal:
        return []
    taste = person.taste(catalog)
    k = min(settings.recommend_k, len(catalog))
    queries = modes.steps(response, mood.vector, k)
    excluded = set(person.last_offers(settings.repeat_window)) | taste.disliked
    slots = candidates(catalog, queries, excluded)
    prior = await people.crowd.prior_for(candidate_ids(slots))
    rng = rng if rng is not None else EXPLORATION
    listener = answering(listener, mood.vector, response)
    return rerank(catalog, slots, taste, prior, settings.max_per_artist, language, rng, listener)


def _answered(pick: Pick) -> bytes:
    return b"" if pick.mood is None else pick.mood.values.tobytes()


async def _store(
    people: People,
    person: PersonState,
    mood_rows: list[dict[str, Any]],
    picks: list[Pick],
    chat_id: str | None,
) -> list[tuple[int, Pick]]:
    """Store the mood and the offers, each with the mood (or step) it answers; ranks run
    1..k. The repeat window takes the tracks at once, so the person's next message, if it
    comes before this one is stored, is not offered them again."""
    offer_rows = []
    rank = itertools.count(1)
    for _, group in itertools.groupby(picks, key=_answered):
        batch = list(group)
        offers = [(p.track.id, next(rank), p.distance) for p in batch]
        answered = batch[0].mood
        assert answered is not None  # rerank always says which mood a pick answers
        offer_rows += recommendations.offer_rows(person.id, offers, answered, person.mode, chat_id)
    person.offered(p.track.id for p in picks)
    person.writing += 1
    try:
        ids = await people.writer.write(mood_rows, offer_rows)
    except Exception:
        people.drop_state(person)  # memory may now differ from the database: read afresh
        raise
    finally:
        person.writing -= 1
    return list(zip(ids, picks, strict=True))
