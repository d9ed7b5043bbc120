"""A time of day in a zone, as UTC instants: when a daily check-in is due.

    occurrence(time(21, 0), ZoneInfo("Europe/Berlin"), date(2026, 3, 29))  → 19:00 UTC

Daylight saving time decides two cases. A local time that a change skips (02:30 when
clocks jump from 02:00 to 03:00) is due at the first minute that exists after it, the
moment of the change (03:00). A local time that a change repeats (01:30 when clocks go
back from 02:00 to 01:00) is due once, at its first occurrence: the next one is computed
for the next local day, never for the repeat.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

MINUTE = timedelta(minutes=1)
_TIME = re.compile(r"(\d{1,2})[:：.h](\d{2})", re.ASCII)


class TimeOfDayError(ValueError):
    """Text that is no time of day: `reason` is "format" (not HH:MM) or "range" (25:00)."""

    def __init__(self, given: str, reason: str) -> None:
        super().__init__(f"{given!r} is not a time of day ({reason})")
        self.given = given
        self.reason = reason


def parse_time_of_day(text: str) -> time:
    """'21:00', '9:05', '21：00' (a Chinese keyboard's colon) → a time; a 24-hour clock."""
    given = text.strip()
    match = _TIME.fullmatch(given)
    if match is None:
        raise TimeOfDayError(given[:20], "format")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise TimeOfDayError(given, "range")
    return time(hour, minute)


def _wall(instant: datetime, zone: tzinfo) -> datetime:
    """The local clock's reading at `instant`, without its zone (for comparing readings)."""
    return instant.astimezone(zone).replace(tzinfo=None, fold=0)


def occurrence(at: time, zone: tzinfo, day: date) -> datetime:
    """The UTC instant when the clocks of `zone` show `at` on `day` (see the module's
    docstring for the days when they show it never or twice)."""
    wanted = datetime.combine(day, at)
    first = wanted.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _wall(first, zone) == wanted:
        return first  # fold=0 is the earlier of a repeated reading
    # Skipped: `wanted` lies in a gap. fold=1 reads it with the offset after the change,
    # which lands before the change; fold=0 with the offset before it, after the change.
    # Between them the clock only moves forward: find the first minute at or past `wanted`.
    low = wanted.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = sorted((low, first))
    steps = int((high - low) / MINUTE)
    low = low.replace(second=0, microsecond=0)
    left, right = 0, steps + 1
    while left < right:
        middle = (left + right) // 2
        if _wall(low + middle * MINUTE, zone) >= wanted:
            right = middle
        else:
            left = middle + 1
    return low + left * MINUTE


def local_day(instant: datetime, zone: tzinfo) -> date:
    return instant.astimezone(zone).date()


def next_due(
    at: time,
    zone: tzinfo,
    now: datetime,
    after: date | None = None,
    taken: frozenset[date] | set[date] = frozenset(),
) -> tuple[date, datetime]:
    """The next local day and its instant for a daily `at`: the first day after `after`
    (if given) whose occurrence is later than `now` and which is not `taken` (a day
    already sent). Days before yesterday in the zone are all past: a check-in missed for
    days moves on to today or tomorrow, not through every day it missed."""
    day = local_day(now, zone) - timedelta(days=1)
    if after is not None:
        day = max(day, after + timedelta(days=1))
    while True:  # ends within len(taken) + 3 days: from tomorrow on, every day is later
        instant = occurrence(at, zone, day)
        if instant > now and day not in taken:
            return day, instant
        day += timedelta(days=1)
