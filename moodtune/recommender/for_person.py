"""Recommending for one person: their mood, taste and history in, stored offers out.

The database part of the re-ranker: it stores the new reading, loads what the pure
functions in `ranking` need (the decayed current mood, the person's thumbs, their recent
offers, everyone's thumbs on the candidates) and records what was offered.
"""

from __future__ import annotations

import itertools
from datetime import datetime

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from moodtune.config import Settings
from moodtune.emotion_engines.fusion import checked
from moodtune.emotion_engines.reading import Reading
from moodtune.recommender import modes
from moodtune.recommender.mood_state import current_mood
from moodtune.recommender.prior import GlobalPrior
from moodtune.recommender.ranking import Pick, candidate_ids, candidates, rerank
from moodtune.recommender.taste import Taste
from moodtune.recommender.tracks import CatalogIndex
from moodtune.storage import feedback, moods, recommendations, thumbs
from moodtune.storage.models import Person
from moodtune.storage.types import utc_now


async def recommend_for_person(
    session: AsyncSession,
    person: Person,
    reading: Reading,
    catalog: CatalogIndex,
    settings: Settings,
    language: str = "en",
    chat_id: str | None = None,
    *,
    now: datetime | None = None,
    rng: np.random.Generator | None = None,
) -> list[tuple[int, Pick]]:
    """Store the reading, pick tracks for the person's current mood, record them as offers.

    The current mood is the reading fused with the person's recent moods (decayed; a
    correction overrides what came before it). A reading without signal stores nothing and
    answers the current mood as it is, e.g. right after a correction. A malformed reading
    is logged and treated the same way. Tracks come in play order (a lift goes step by
    step). `rng` drives exploration; by default a fresh, unseeded one.

    Returns (recommendation id, pick) pairs: the ids are what 👍 / 👎 refer to.
    """
    now = now or utc_now()
    valid = checked([reading])  # the fusion boundary: what an engine hands over is checked
    if valid and valid[0].has_signal:
        fresh = valid[0]
        await moods.record(
            session, person.id, fresh.vector, fresh.confidence, fresh.modality,
            chat_id=chat_id, at=now,
        )  # fmt: skip
    mood = await current_mood(session, person.id, now, settings)
    if not mood.has_signal:
        return []
    taste = await _taste(session, person.id, catalog)
    recent = await recommendations.recent_track_ids(session, person.id, settings.repeat_window)
    k = min(settings.recommend_k, len(catalog))
    queries = modes.queries(person.mode, mood.vector, k)
    slots = candidates(catalog, queries, recent | taste.disliked)
    prior = GlobalPrior.from_thumbs(await thumbs.in_moods(session, candidate_ids(slots)))
    rng = rng if rng is not None else np.random.default_rng()
    picks = rerank(catalog, slots, taste, prior, settings.max_per_artist, language, rng)
    return await _record(session, person, picks, chat_id)


async def _taste(session: AsyncSession, person_id: int, catalog: CatalogIndex) -> Taste:
    votes = await feedback.votes(session, person_id)
    return Taste.from_votes((catalog.tracks[t], v) for t, v in votes if t in catalog.tracks)


def _answered(pick: Pick) -> bytes:
    return b"" if pick.mood is None else pick.mood.values.tobytes()


async def _record(
    session: AsyncSession, person: Person, picks: list[Pick], chat_id: str | None
) -> list[tuple[int, Pick]]:
    """Store the offers, each with the mood (or lift step) it answers; ranks run 1..k."""
    recorded: list[tuple[int, Pick]] = []
    rank = itertools.count(1)
    for _, group in itertools.groupby(picks, key=_answered):
        batch = list(group)
        offers = [(p.track.id, next(rank), p.distance) for p in batch]
        mood = batch[0].mood
        assert mood is not None  # rerank always says which mood a pick answers
        rows = await recommendations.record_offers(
            session, person.id, offers, mood, person.mode, chat_id
        )
        recorded.extend((row.id, pick) for row, pick in zip(rows, batch, strict=True))
    return recorded
