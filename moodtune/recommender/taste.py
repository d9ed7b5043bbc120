"""A person's taste, learned from their thumbs: tracks, artists and tags they like or not."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from moodtune.recommender.tracks import TrackInfo


def _squash(total: float) -> float:
    """Votes add up but saturate: one thumb counts, ten do not count ten times as much."""
    return math.tanh(0.6 * total)


@dataclass(frozen=True)
class Taste:
    disliked: frozenset[int] = frozenset()
    liked: frozenset[int] = frozenset()
    artists: dict[str, float] = field(default_factory=dict)  # -1..1
    tags: dict[str, float] = field(default_factory=dict)  # -1..1

    @classmethod
    def from_votes(cls, votes: Iterable[tuple[TrackInfo, int]]) -> Taste:
        """Build from (track, +1/−1) pairs, one per rated recommendation."""
        artist_sum: dict[str, float] = defaultdict(float)
        tag_sum: dict[str, float] = defaultdict(float)
        track_sum: dict[int, int] = defaultdict(int)
        for track, value in votes:
            track_sum[track.id] += value
            for artist in track.artists:
                artist_sum[artist.casefold()] += value
            for tag in track.tags:
                tag_sum[tag.casefold()] += value / max(1, len(track.tags))
        return cls(
            disliked=frozenset(t for t, s in track_sum.items() if s < 0),
            liked=frozenset(t for t, s in track_sum.items() if s > 0),
            artists={a: _squash(s) for a, s in artist_sum.items()},
            tags={t: _squash(s) for t, s in tag_sum.items()},
        )

    def artist_affinity(self, track: TrackInfo) -> float:
        values = [self.artists.get(a.casefold(), 0.0) for a in track.artists]
        return max(values, key=abs, default=0.0)

    def tag_affinity(self, track: TrackInfo) -> float:
        values = [self.tags.get(t.casefold(), 0.0) for t in track.tags]
        return sum(values) / len(values) if values else 0.0
