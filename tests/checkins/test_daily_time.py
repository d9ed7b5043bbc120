"""When a daily check-in is due: local times to UTC instants on ordinary days and on the
days daylight saving time starts and ends, in four zones (Shanghai has none)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from moodtune.handlers.daily_time import (
    TimeOfDayError,
    local_day,
    next_due,
    occurrence,
    parse_time_of_day,
)

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
SYDNEY = ZoneInfo("Australia/Sydney")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.mark.parametrize(
    ("text", "expected"),
    [("21:00", time(21)), ("9:05", time(9, 5)), ("00:00", time(0)), ("23:59", time(23, 59)),
     ("21：30", time(21, 30)), (" 07:15 ", time(7, 15)), ("8.30", time(8, 30))],
)  # fmt: skip
def test_times_of_day(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("25:00", "range"), ("24:00", "range"), ("12:60", "range"), ("9", "format"),
     ("", "format"), ("21:0", "format"), ("2100", "format"), ("21:00:00", "format"),
     ("-1:00", "format"), ("٢١:٠٠", "format"), ("9pm", "format"), ("9" * 5000, "format")],
)  # fmt: skip
def test_what_is_not_a_time_of_day(text: str, reason: str) -> None:
    with pytest.raises(TimeOfDayError) as caught:
        parse_time_of_day(text)
    assert caught.value.reason == reason
    assert len(caught.value.given) <= 20  # a huge input is not echoed back whole


# (zone, local day, local time) → the UTC instant it is due, and the local clock then.
DST_DAYS = [
    # New York: clocks jump 02:00 → 03:00 on 8 March 2026, fall back 02:00 → 01:00 on 1 Nov.
    (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 0), "03:00"),  # skipped
    (NEW_YORK, date(2026, 3, 8), time(1, 59), utc(2026, 3, 8, 6, 59), "01:59"),
    (NEW_YORK, date(2026, 3, 8), time(3, 0), utc(2026, 3, 8, 7, 0), "03:00"),
    (NEW_YORK, date(2026, 3, 8), time(21, 0), utc(2026, 3, 9, 1, 0), "21:00"),  # EDT now
    (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30), "01:30"),  # first
    (NEW_YORK, date(2026, 11, 1), time(21, 0), utc(2026, 11, 2, 2, 0), "21:00"),  # EST now
    # Berlin: 29 March 2026 02:00 → 03:00; 25 October 03:00 → 02:00.
    (BERLIN, date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 0), "03:00"),
    (BERLIN, date(2026, 3, 29), time(2, 0), utc(2026, 3, 29, 1, 0), "03:00"),
    (BERLIN, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30), "02:30"),  # first
    (BERLIN, date(2026, 10, 25), time(21, 0), utc(2026, 10, 25, 20, 0), "21:00"),
    # Sydney (southern hemisphere): 4 October 2026 02:00 → 03:00; 5 April 03:00 → 02:00.
    (SYDNEY, date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16, 0), "03:00"),
    (SYDNEY, date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30), "02:30"),  # first
    (SYDNEY, date(2026, 4, 5), time(21, 0), utc(2026, 4, 5, 11, 0), "21:00"),  # AEST now
    # Shanghai: no DST, UTC+8 on every one of those days.
    (SHANGHAI, date(2026, 3, 8), time(2, 30), utc(2026, 3, 7, 18, 30), "02:30"),
    (SHANGHAI, date(2026, 3, 29), time(2, 30), utc(2026, 3, 28, 18, 30), "02:30"),
    (SHANGHAI, date(2026, 10, 4), time(21, 0), utc(2026, 10, 4, 13, 0), "21:00"),
    (SHANGHAI, date(2026, 11, 1), time(1, 30), utc(2026, 10, 31, 17, 30), "01:30"),
]


@pytest.mark.parametrize(("zone", "day", "at", "instant", "clock"), DST_DAYS)
def test_dst_days(zone: ZoneInfo, day: date, at: time, instant: datetime, clock: str) -> None:
    due = occurrence(at, zone, day)
    assert due == instant
    assert due.astimezone(zone).strftime("%H:%M") == clock
    assert local_day(due, zone) == day


def test_a_skipped_half_hour_and_a_skipped_day() -> None:
    """Lord Howe Island moves its clocks by 30 minutes; Samoa skipped 30 December 2011."""
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    due = occurrence(time(2, 15), lord_howe, date(2026, 10, 4))
    assert due.astimezone(lord_howe).strftime("%H:%M") == "02:30"
    apia = ZoneInfo("Pacific/Apia")
    due = occurrence(time(21, 0), apia, date(2011, 12, 30))
    assert due.astimezone(apia) == datetime(2011, 12, 31, 0, 0, tzinfo=apia)


def _daily(zone: ZoneInfo, at: time, start: datetime, days: int) -> list[datetime]:
    """What a check-in does for `days` days: due, sent, moved on to the next local day."""
    clock = Clock(start)
    day, instant = next_due(at, zone, clock.now)
    sent = []
    for _ in range(days):
        clock.now = instant + timedelta(seconds=20)  # the tick that sends it
        sent.append(instant)
        day, instant = next_due(at, zone, clock.now, after=day)
    return sent


@pytest.mark.parametrize(
    ("zone", "at", "start"),
    [(NEW_YORK, time(1, 30), utc(2026, 10, 28)), (NEW_YORK, time(2, 30), utc(2026, 3, 5)),
     (BERLIN, time(2, 30), utc(2026, 10, 22)), (BERLIN, time(2, 30), utc(2026, 3, 26)),
     (SYDNEY, time(2, 30), utc(2026, 4, 2)), (SYDNEY, time(2, 30), utc(2026, 10, 1)),
     (SHANGHAI, time(2, 30), utc(2026, 3, 5))],
)  # fmt: skip
def test_across_a_dst_change_a_daily_check_in_fires_once_a_day(
    zone: ZoneInfo, at: time, start: datetime
) -> None:
    sent = _daily(zone, at, start, 8)
    days = [local_day(instant, zone) for instant in sent]
    assert days == [days[0] + timedelta(days=i) for i in range(8)]  # one per day, no gap
    assert len(set(sent)) == 8
    for instant in sent:  # at the time asked, or the first minute after a skipped one
        shown = instant.astimezone(zone).time()
        assert shown == at or (shown.hour == 3 and shown.minute == 0)


def test_the_repeated_hour_fires_once_not_twice() -> None:
    """1 Nov 2026, New York: 01:30 happens at 05:30 and again at 06:30 UTC."""
    day, first = next_due(time(1, 30), NEW_YORK, utc(2026, 11, 1, 5, 0))
    assert (day, first) == (date(2026, 11, 1), utc(2026, 11, 1, 5, 30))
    between = utc(2026, 11, 1, 6, 0)  # after the first 01:30, before the second
    day, following = next_due(time(1, 30), NEW_YORK, between, after=day)
    assert (day, following) == (date(2026, 11, 2), utc(2026, 11, 2, 6, 30))


def test_next_due_skips_taken_days_and_missed_ones() -> None:
    now = utc(2026, 3, 8, 12, 0)  # 20:00 in Shanghai
    assert next_due(time(21, 0), SHANGHAI, now) == (date(2026, 3, 8), utc(2026, 3, 8, 13, 0))
    assert next_due(time(19, 0), SHANGHAI, now) == (date(2026, 3, 9), utc(2026, 3, 9, 11, 0))
    taken = {date(2026, 3, 8)}  # already sent today: tomorrow
    assert next_due(time(21, 0), SHANGHAI, now, taken=taken)[0] == date(2026, 3, 9)
    # Due a week ago and never sent (no bot ran): today, not each missed day in turn.
    assert next_due(time(21, 0), SHANGHAI, now, after=date(2026, 3, 1))[0] == date(2026, 3, 8)


def test_a_clock_jumping_back_does_not_bring_a_day_back() -> None:
    """Sent for 8 March; the clock then reads a day earlier: still 9 March next."""
    day, _ = next_due(time(21, 0), SHANGHAI, utc(2026, 3, 8, 13, 0, 5), after=date(2026, 3, 8))
    assert day == date(2026, 3, 9)
    back = utc(2026, 3, 7, 12, 0)
    assert next_due(time(21, 0), SHANGHAI, back, after=date(2026, 3, 8))[0] == date(2026, 3, 9)
