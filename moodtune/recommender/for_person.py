"""Recommending for one person: their mood, taste and history in, stored offers out.

The stateful part of the re-ranker: it adds the new reading to the person's moods, hands
the pure functions in `ranking` what they need (the decayed current mood, the person's
taste and recent offers, from memory; everyone's thumbs on the candidates) and stores the
mood and what was offered, in one group commit with other messages (storage/batch_writer).
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import numpy as np

from moodtune.config import Settings
from moodtune.emotion_engines.fusion import checked
from moodtune.emotion_engines.reading import Reading
from moodtune.recommender import modes
from moodtune.recommender.mood_state import decayed_mood, horizon_start
from moodtune.recommender.people import People
from moodtune.recommender.person_state import Mood, PersonState
from moodtune.recommender.ranking import Pick, candidate_ids, candidates, rerank
from moodtune.recommender.tracks import CatalogIndex
from moodtune.storage import moods, recommendations
from moodtune.storage.types import utc_now, vector_from_bytes

EXPLORATION = np.random.default_rng()  # one for the process: making one costs ~20 µs a reply


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
) -> list[tuple[int, Pick]]:
    """Store the reading (as a mood of `kind`), pick tracks for the person's current mood,
    record them as offers.

    The current mood is the reading fused with the person's recent moods (decayed; a
    correction overrides what came before it). A reading without signal stores nothing and
    answers the current mood as it is. A malformed reading is logged and treated the same
    way. Tracks come in play order (a lift goes step by step). `rng` drives exploration;
    by default the process's own, unseeded.

    Returns (recommendation id, pick) pairs, once stored: the ids are what 👍 / 👎 refer to.
    """
    now = now or utc_now()
    valid = checked([reading])  # the fusion boundary: what an engine hands over is checked
    mood_rows = []
    if valid and valid[0].has_signal:
        fresh = valid[0]
        row = moods.mood_row(
            person.id, fresh.vector, fresh.confidence, fresh.modality, kind, chat_id, now
        )
        vector = vector_from_bytes(row["vector"])  # as a re-read would give it back
        person.add_mood(Mood(vector, row["confidence"], row["modality"], kind, now))
        mood_rows.append(row)
    stored = person.moods_since(horizon_start(now, settings))
    mood = decayed_mood(stored, now, settings.mood_half_life_hours, explain=False)
    picks = await _pick(people, person, mood, catalog, settings, language, rng)
    return await _store(people, person, mood_rows, picks, chat_id)


async def _pick(
    people: People,
    person: PersonState,
    mood: Reading,
    catalog: CatalogIndex,
    settings: Settings,
    language: str,
    rng: np.random.Generator | None,
) -> list[Pick]:
    if not mood.has_signal:
        return []
    taste = person.taste(catalog)
    k = min(settings.recommend_k, len(catalog))
    queries = modes.queries(person.mode, mood.vector, k)
    slots = candidates(catalog, queries, set(person.recent) | taste.disliked)
    prior = await people.crowd.prior_for(candidate_ids(slots))
    rng = rng if rng is not None else EXPLORATION
    return rerank(catalog, slots, taste, prior, settings.max_per_artist, language, rng)


def _answered(pick: Pick) -> bytes:
    return b"" if pick.mood is None else pick.mood.values.tobytes()


async def _store(
    people: People,
    person: PersonState,
    mood_rows: list[dict[str, Any]],
    picks: list[Pick],
    chat_id: str | None,
) -> list[tuple[int, Pick]]:
    """Store the mood and the offers, each with the mood (or lift step) it answers; ranks
    run 1..k. The repeat window takes the tracks at once, so the person's next message,
    if it comes before this one is stored, is not offered them again."""
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
