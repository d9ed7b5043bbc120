"""A global quality prior per track: everyone's thumbs on it, counted in similar moods.

A thumb counts toward a mood as much as the mood it answered resembles it. Resemblance is
the cosine between the two moods' shares of the 7 emotion groups: 1 for two sad moods,
0 between a sad and a joyful one. Because that is linear in each thumb, a track keeps just
two 7-vectors (summed unit group shares of its 👍 and of its 👎), added to one thumb at a
time, and answers any mood with one dot product each.

The counts feed a Beta posterior with `PRIOR_VOTES` pseudo-votes centred on the base rate:
how the tracks asked about fare together in that mood. A track with two thumbs barely
moves while one with fifty is well known; Thompson draws from it let little-heard tracks
get tried.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from moodtune.emotion import DIM, GROUPS, INDEX, EmotionVector
from moodtune.recommender.taste import log_odds

PRIOR_VOTES = 8.0
BASE_VOTES = 20.0  # the base rate starts at one half and needs a few dozen thumbs to move
N_GROUPS = len(GROUPS)


def _membership() -> np.ndarray:
    """Category × group ones, so a vector's group shares are one matrix product."""
    matrix = np.zeros((DIM, N_GROUPS))
    for column, (_, _, codes) in enumerate(GROUPS.values()):
        matrix[[INDEX[code] for code in codes], column] = 1.0
    return matrix


MEMBERSHIP = _membership()


def group_direction(mood: np.ndarray) -> np.ndarray:
    """A mood's group shares as a unit vector (zero for the zero mood)."""
    shares = np.asarray(mood, dtype=np.float64) @ MEMBERSHIP
    norm = np.sqrt(shares.dot(shares))  # what np.linalg.norm computes, minus its checks
    return shares / norm if norm > 0 else shares


class GlobalPrior:
    """Thumbs by everyone, per track, in group-share space; updated one thumb at a time.

    Each track with thumbs has a row in two matrices (its 👍 and its 👎 summed); row 0 stays
    zero for the tracks nobody rated, so a reply's candidates are gathered by one index."""

    def __init__(self) -> None:
        self._row: dict[int, int] = {}
        self._up = np.zeros((1, N_GROUPS))
        self._down = np.zeros((1, N_GROUPS))

    @classmethod
    def from_thumbs(cls, thumbs: Iterable[tuple[int, np.ndarray, int]]) -> GlobalPrior:
        """From (track id, mood the recommendation answered, +1/−1) triples."""
        prior = cls()
        for track_id, mood, value in thumbs:
            prior.add(track_id, mood, value)
        return prior

    def add(self, track_id: int, mood: np.ndarray, value: int) -> None:
        row = self._row.get(track_id) or self._new_row(track_id)  # rows start at 1
        (self._up if value > 0 else self._down)[row] += group_direction(mood)

    def replace(self, track_id: int, thumbs: Iterable[tuple[np.ndarray, int]]) -> None:
        """The track's thumbs, (mood answered, +1/−1) pairs, in place of what it had."""
        row = self._row.get(track_id)
        if row is not None:
            self._up[row] = self._down[row] = 0.0
        for mood, value in thumbs:
            self.add(track_id, mood, value)

    def _new_row(self, track_id: int) -> int:
        row = self._row[track_id] = len(self._row) + 1
        if row == len(self._up):  # full: twice the rows, so adding stays cheap on average
            self._up = np.concatenate([self._up, np.zeros_like(self._up)])
            self._down = np.concatenate([self._down, np.zeros_like(self._down)])
        return row

    def counts(
        self, track_ids: Sequence[int], mood: EmotionVector
    ) -> tuple[np.ndarray, np.ndarray]:
        """Thumbs up and down on each track, each weighed by its mood's likeness to `mood`."""
        if not self._row:  # nobody voted yet: no per-track look-ups
            return np.zeros(len(track_ids)), np.zeros(len(track_ids))
        query = group_direction(mood.values)
        rows = np.array([self._row.get(t, 0) for t in track_ids], dtype=np.intp)
        return self._up.take(rows, axis=0) @ query, self._down.take(rows, axis=0) @ query

    def posterior(
        self, track_ids: Sequence[int], mood: EmotionVector
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """Beta(α, β) of each track's thumbs-up probability in this mood, and the base rate
        they are centred on: how these tracks fare together in this mood (smoothed)."""
        if not self._row:  # nobody voted yet: the base rate is (0 + B/2) / (0 + B)
            pseudo = np.full(len(track_ids), PRIOR_VOTES / 2)
            return pseudo, pseudo.copy(), 0.5
        up, down = self.counts(track_ids, mood)
        ups = up.sum()
        base = (ups + BASE_VOTES / 2) / (ups + down.sum() + BASE_VOTES)
        return PRIOR_VOTES * base + up, PRIOR_VOTES * (1 - base) + down, base

    def effects(
        self, track_ids: Sequence[int], mood: EmotionVector, rng: np.random.Generator | None
    ) -> np.ndarray:
        """Per track, the log-odds of a 👍 above the base rate: a Thompson draw from its
        posterior, or the posterior mean without rng. Unrated tracks: 0 on average."""
        return effects(*self.posterior(track_ids, mood), rng)


def effects(
    alpha: np.ndarray, beta: np.ndarray, base: float, rng: np.random.Generator | None
) -> np.ndarray:
    """Log-odds above `base` of Beta(α, β): drawn with an rng, the mean without."""
    theta = alpha / (alpha + beta) if rng is None else rng.beta(alpha, beta)
    return log_odds(theta) - log_odds(np.array(base))
