"""What the recommender knows about one person, in memory: their recent moods, thumbs and
offers, mirrored from the database (see recommender/people.py, which keeps them)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from moodtune.recommender.taste import Taste
from moodtune.recommender.tracks import CatalogIndex

MAX_MOODS = 500  # as many as storage.moods.since hands back: a day of chatting and more
RESTING_REPLIES = 2  # an artist of the last this many replies is not offered again yet


@dataclass(frozen=True, slots=True)
class Mood:
    """A stored mood, as the decay (mood_state.decayed_mood) reads it."""

    vector: np.ndarray
    confidence: float
    modality: str
    kind: str
    created_at: datetime


@dataclass
class PersonState:
    id: int
    mode: str
    display_name: str
    moods: list[Mood]  # oldest first, within the decay's horizon when loaded
    votes: list[tuple[int, int]]  # (track id, +1/−1) per rated offer, oldest first
    recent: deque[int]  # tracks of the last offers (the repeat window at least), oldest first
    language: str | None = None  # their app's language (e.g. Telegram's), when known
    loaded_at: float = field(default_factory=time.monotonic)
    writing: int = 0  # messages whose rows are being stored right now
    _taste: tuple[CatalogIndex, Taste] | None = None

    def add_mood(self, mood: Mood) -> None:
        self.moods.append(mood)
        del self.moods[:-MAX_MOODS]

    def moods_since(self, start: datetime) -> list[Mood]:
        """The moods from `start` on; older ones are dropped for good (they weigh < 1 %)."""
        self.moods = [m for m in self.moods if m.created_at >= start]
        return self.moods

    def offered(self, track_ids: Iterable[int]) -> None:
        self.recent.extend(track_ids)

    def last_offers(self, count: int) -> list[int]:
        """The tracks of their last `count` offers, oldest first."""
        return list(self.recent)[-count:] if count > 0 else []

    def recent_artists(self, catalog: CatalogIndex, offers: int) -> set[str]:
        """The artists of their last `offers` offers (tracks no longer in the catalog
        left out)."""
        return {a for track in catalog.get(self.last_offers(offers)) for a in track.artists}

    def set_votes(self, votes: list[tuple[int, int]]) -> None:
        self.votes = votes
        self._taste = None

    def taste(self, catalog: CatalogIndex) -> Taste:
        """Taste from the thumbs on tracks still in the catalog (rebuilt when either changes)."""
        if self._taste is None or self._taste[0] is not catalog:
            tracks = catalog.tracks
            taste = Taste.from_votes((tracks[t], v) for t, v in self.votes if t in tracks)
            self._taste = (catalog, taste)
        return self._taste[1]
