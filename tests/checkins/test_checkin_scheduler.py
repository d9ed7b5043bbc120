"""APScheduler drives the check-in tick: it ticks, survives a failing tick, stops cleanly."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, time, timedelta

import pytest
from checkin_helpers import add_checkins

from moodtune.bot.scheduler import CheckinScheduler
from moodtune.config import Settings
from moodtune.handlers.checkin_tick import CheckinSender, TickReport
from moodtune.handlers.outbound import Delivery
from moodtune.handlers.replies import Chat, Reply


class Recording:
    platform = "telegram"

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, chat: Chat, reply: Reply) -> Delivery:
        self.sent.append(chat.chat_id)
        return Delivery.DELIVERED


class Flaky(CheckinSender):
    """Fails its first tick, as a database outage would."""

    failed = False

    async def tick(self) -> TickReport:
        if not self.failed:
            self.failed = True
            raise ConnectionError("database went away")
        return await super().tick()


async def _wait_for(condition, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_the_scheduler_ticks_recovers_and_stops(
    session_factory, caplog: pytest.LogCaptureFixture
) -> None:
    minute = datetime.now(UTC).replace(second=0, microsecond=0)
    settings = Settings(_env_file=None, checkin_sends_per_second=1000)  # type: ignore[call-arg]
    outbound = Recording()
    sender = Flaky(session_factory, {"telegram": outbound}, settings, lambda: datetime.now(UTC))
    scheduler = CheckinScheduler(sender, timedelta(seconds=0.2))
    # Set a second before this minute began: due at this minute, so at once.
    await add_checkins(session_factory, ["room"], time(minute.hour, minute.minute), "UTC",
                       minute - timedelta(seconds=1))  # fmt: skip
    caplog.set_level(logging.ERROR, "moodtune.bot.scheduler")
    scheduler.start()
    try:
        await _wait_for(lambda: sender.failed)
        assert "check-in tick failed" in caplog.text
        await _wait_for(lambda: outbound.sent == ["room"])
    finally:
        await scheduler.stop()
    assert outbound.sent == ["room"]
    await asyncio.sleep(0.5)
    assert outbound.sent == ["room"]  # stopped: no tick since
