"""A person's taste, learned from their thumbs: tracks, artists, genres, tags, languages.

Every label a track carries ("artist:…", "genre:…", "tag:…", "language:…") keeps the
person's thumbs-up
and thumbs-down counts. A Beta prior of `PRIOR_VOTES` pseudo-votes centred on the
person's overall 👍 rate turns them into a posterior per label: one thumb nudges an
affinity, ten make it firm, and a label never rated is exactly as good as anything else.
Ranking uses the posterior means. (Drawing from them too, Thompson style, was tried in the
simulation: with hundreds of artists each rated once or never, the draws were mostly
noise and cost more 👍 than they found; exploration comes from the crowd prior instead.)

A track whose own thumbs add up to less than zero is disliked and never offered again.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from moodtune.recommender.tracks import TrackInfo

PRIOR_VOTES = 4.0
CLIP = 0.01


def labels(track: TrackInfo) -> dict[str, tuple[str, ...]]:
    """The track's labels by kind, case-folded, e.g. {'artist': ('artist:adele',), ...}."""
    return labels_of(track.artists, track.genre, track.tags, track.language)


@functools.lru_cache(maxsize=1 << 18)  # every reply looks at ~100 tracks' labels
def labels_of(
    artists: tuple[str, ...], genre: str, tags: tuple[str, ...], language: str = ""
) -> dict[str, tuple[str, ...]]:
    found = {
        "artist": artists,
        "genre": (genre,) if genre else (),
        "tag": tags,
        "language": (language,) if language else (),
    }
    return {
        kind: tuple(dict.fromkeys(f"{kind}:{' '.join(v.split()).casefold()}" for v in values))
        for kind, values in found.items()
    }


@dataclass(frozen=True)
class Taste:
    disliked: frozenset[int] = frozenset()
    liked: frozenset[int] = frozenset()
    counts: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # label: (up, down)
    base_rate: float = 0.5  # how often this person gives 👍 at all (smoothed)

    @classmethod
    def from_votes(cls, votes: Iterable[tuple[TrackInfo, int]]) -> Taste:
        """Build from (track, +1/−1) pairs, one per rated recommendation."""
        net: dict[int, int] = defaultdict(int)
        counts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        ups = downs = 0
        for track, value in votes:
            net[track.id] += value
            ups, downs = (ups + 1, downs) if value > 0 else (ups, downs + 1)
            for names in labels(track).values():
                for name in names:
                    counts[name][0 if value > 0 else 1] += abs(value)
        return cls(
            disliked=frozenset(t for t, s in net.items() if s < 0),
            liked=frozenset(t for t, s in net.items() if s > 0),
            counts={name: (up, down) for name, (up, down) in counts.items()},
            base_rate=(ups + 1) / (ups + downs + 2),
        )

    def posterior(self, name: str) -> tuple[float, float]:
        """The Beta(α, β) of a label's thumbs-up probability, centred on the base rate."""
        up, down = self.counts.get(name, (0.0, 0.0))
        return PRIOR_VOTES * self.base_rate + up, PRIOR_VOTES * (1 - self.base_rate) + down

    def affinity(self, name: str) -> float:
        """−1 (always 👎) … 0 (unknown, or as liked as anything) … 1 (always 👍)."""
        alpha, beta = self.posterior(name)
        mean, base = alpha / (alpha + beta), self.base_rate
        return (mean - base) / (1 - base) if mean >= base else (mean - base) / base

    def _strongest(self, names: Iterable[str]) -> float:
        return max((self.affinity(n) for n in names), key=abs, default=0.0)

    def artist_affinity(self, track: TrackInfo) -> float:
        return self._strongest(labels(track)["artist"])

    def genre_affinity(self, track: TrackInfo) -> float:
        return self._strongest(labels(track)["genre"])

    def language_affinity(self, language: str) -> float:
        return self.affinity(f"language:{language.casefold()}") if language else 0.0

    def tag_affinity(self, track: TrackInfo) -> float:
        names = labels(track)["tag"]
        return sum(self.affinity(n) for n in names) / len(names) if names else 0.0

    @functools.cached_property
    def rated_effects(self) -> dict[str, float]:
        """Per rated label, the log-odds of a 👍 above the person's base rate (posterior
        mean). A label never rated has effect 0."""
        if not self.counts:
            return {}
        names = list(self.counts)
        alpha, beta = np.array([self.posterior(n) for n in names]).T
        effect = log_odds(alpha / (alpha + beta)) - log_odds(np.array(self.base_rate))
        return dict(zip(names, effect.tolist(), strict=True))


def log_odds(p: np.ndarray) -> np.ndarray:
    """log(p / (1 − p)), with p kept within [CLIP, 1 − CLIP] so it stays finite."""
    p = np.minimum(np.maximum(p, CLIP), 1 - CLIP)  # np.clip, without its Python wrapper
    return np.log(p / (1 - p))
