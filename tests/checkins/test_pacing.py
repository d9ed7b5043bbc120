"""The pace of messages the bot starts: evenly spaced slots, in order, no saved-up burst."""

from __future__ import annotations

import asyncio

import pytest

from moodtune.handlers.pacing import Pace


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_slots_are_spaced_and_an_idle_pace_saves_no_burst() -> None:
    time = FakeTime()
    pace = Pace(25.0, time.clock, time.sleep)
    starts = []
    for _ in range(5):
        await pace.wait()
        starts.append(time.now)
    assert starts == pytest.approx([100.0, 100.04, 100.08, 100.12, 100.16])
    time.now += 10  # idle for ten seconds
    await pace.wait()
    await pace.wait()
    assert time.slept[-1] == pytest.approx(0.04)  # the second after the idle waits again


async def test_concurrent_waiters_are_served_in_order_at_the_rate() -> None:
    pace = Pace(50.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    done: list[tuple[int, float]] = []

    async def one(i: int) -> None:
        await pace.wait()
        done.append((i, loop.time() - started))

    await asyncio.gather(*(one(i) for i in range(6)))
    assert [i for i, _ in done] == list(range(6))
    assert done[-1][1] >= 5 / 50 - 0.005


@pytest.mark.parametrize("rate", [0, -1, float("nan")])
def test_a_pace_needs_a_positive_rate(rate: float) -> None:
    with pytest.raises(ValueError, match="positive rate"):
        Pace(rate)
