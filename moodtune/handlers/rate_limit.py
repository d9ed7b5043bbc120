"""A per-person message limit: a flood from one person never crowds out everyone else."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum

WINDOW_SECONDS = 60.0
SWEEP_EVERY = 1000  # admissions between sweeps of people who went quiet


class Admission(Enum):
    ALLOWED = "allowed"
    REFUSED_TELL = "refused, tell them once"  # the first refusal in a window: say why
    REFUSED_QUIETLY = "refused"  # later ones: silence, or the bot floods back


class PersonRateLimit:
    """At most `per_minute` messages per person in any sliding minute (≤ 0: no limit)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._times: dict[str, deque[float]] = {}
        self._told_at: dict[str, float] = {}
        self._calls = 0

    def admit(self, person: str) -> Admission:
        if self.per_minute <= 0:
            return Admission.ALLOWED
        now = self._clock()
        self._sweep(now)
        times = self._times.setdefault(person, deque(maxlen=self.per_minute))
        if len(times) < self.per_minute or now - times[0] >= WINDOW_SECONDS:
            times.append(now)
            return Admission.ALLOWED
        told = self._told_at.get(person)
        if told is not None and now - told < WINDOW_SECONDS:
            return Admission.REFUSED_QUIETLY
        self._told_at[person] = now
        return Admission.REFUSED_TELL

    def _sweep(self, now: float) -> None:
        self._calls += 1
        if self._calls % SWEEP_EVERY:
            return
        quiet = [p for p, t in self._times.items() if not t or now - t[-1] >= WINDOW_SECONDS]
        for person in quiet:
            del self._times[person]
            self._told_at.pop(person, None)
