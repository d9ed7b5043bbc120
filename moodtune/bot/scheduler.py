"""The clock of daily check-ins: APScheduler runs the check-in tick every few seconds.

The bot layer owns the clock; what a tick does is moodtune.handlers.checkin_tick's, and
when each check-in is due is the database's (so a restart, or a second process, picks up
where things stand). A tick that runs long is not started twice (max_instances=1), and
ticks missed while one ran are folded into the next (coalesce).

    scheduler = CheckinScheduler.for_app(app, {"telegram": outbound})
    scheduler.start()        # inside the running event loop
    ...
    await scheduler.stop()   # lets a tick under way finish its round
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from moodtune.handlers.checkin_tick import CheckinSender, TickReport
from moodtune.handlers.conversation import Services
from moodtune.handlers.outbound import Outbound

log = logging.getLogger(__name__)

JOB_ID = "checkins"
STOP_TIMEOUT_SECONDS = 30.0


def wall_clock() -> datetime:
    return datetime.now(UTC)


class CheckinScheduler:
    def __init__(self, sender: CheckinSender, every: timedelta) -> None:
        self.sender = sender
        self.every = every
        self._scheduler: AsyncIOScheduler | None = None
        self._running: asyncio.Task[TickReport | None] | None = None

    @classmethod
    def for_app(
        cls,
        app: Services,
        outbounds: Mapping[str, Outbound],
        clock: Callable[[], datetime] = wall_clock,
    ) -> CheckinScheduler:
        """Check-ins of the platforms in `outbounds` (one Outbound each), on `app`'s database."""
        sender = CheckinSender(app.sessions, outbounds, app.settings, clock)
        return cls(sender, timedelta(seconds=app.settings.checkin_tick_seconds))

    def start(self) -> None:
        """Start ticking now and then every `every`; call from inside the event loop."""
        scheduler = AsyncIOScheduler(timezone=UTC)
        scheduler.add_job(
            self.tick, IntervalTrigger(seconds=self.every.total_seconds(), timezone=UTC),
            id=JOB_ID, max_instances=1, coalesce=True, misfire_grace_time=None,
            next_run_time=datetime.now(UTC),
        )  # fmt: skip
        scheduler.start()
        self._scheduler = scheduler

    async def tick(self) -> TickReport | None:
        """One tick; an error is logged, never raised into the scheduler (the next tick
        tries again: nothing is lost, the database still says what is due)."""
        self._running = asyncio.current_task()
        try:
            return await self.sender.tick()
        except Exception:
            log.exception("check-in tick failed; the next one tries again")
            return None
        finally:
            self._running = None

    async def stop(self) -> None:
        """No new tick; the one under way finishes (APScheduler's shutdown would cancel it
        midway, between recording a send and sending it), then the scheduler stops."""
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.pause()
        running = self._running
        if running is not None and not running.done():
            try:
                await asyncio.wait_for(asyncio.shield(running), STOP_TIMEOUT_SECONDS)
            except TimeoutError:
                log.warning("a check-in tick ran past the stop timeout and was cancelled")
        if scheduler is not None:
            scheduler.shutdown(wait=False)
