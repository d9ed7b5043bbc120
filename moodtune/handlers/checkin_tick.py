"""Sending the due check-ins, once per local day, whatever the number of bot processes.

One tick (the scheduler runs one every few seconds, see moodtune.bot.scheduler):

1. claim a batch of due check-ins (about two seconds of sending at the platform's pace);
2. for each, decide (`plan`): send it, skip it (/checkin skip), or let it go as missed
   (due longer ago than the grace window: the bot was down; no burst of stale
   questions); and compute the next due instant, for the next local day;
3. wait for its slot at the platform's pace, then record the day's send and move the
   check-in on (`checkins.take`), and only then send it through the connector's Outbound;
4. store how the sends ended: delivered, unreachable (the check-in pauses until the chat
   writes again), or failed (retried while still within the grace window).

Repeated until a claim comes back short; then the failed sends whose retry is due.
See moodtune.storage.checkins for why this sends each local day at most once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from moodtune.config import Settings
from moodtune.handlers.checkins import question
from moodtune.handlers.daily_time import next_due
from moodtune.handlers.outbound import Delivery, Outbound
from moodtune.handlers.pacing import Pace
from moodtune.handlers.platforms import limits_of
from moodtune.handlers.replies import Chat
from moodtune.handlers.time_zones import ZoneError, zone_info
from moodtune.storage import checkins
from moodtune.storage.checkins import Due, Outcome

log = logging.getLogger(__name__)

IN_FLIGHT = 8  # sends awaiting the platform at once, per process
BATCH_SECONDS = 2.0  # a claim holds about this long of sending at the pace
SEND_TIMEOUT_SECONDS = 60.0  # a platform silent this long: the outcome stays unknown
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=20))
STATUS_OF = {
    Delivery.DELIVERED: "delivered",
    Delivery.UNREACHABLE: "unreachable",
    Delivery.FAILED: "failed",
}


@dataclass
class TickReport:
    """What one tick did. `lost`: claims another process took over, or days it recorded
    first; `failed`: sends the platform refused this time."""

    claimed: int = 0
    delivered: int = 0
    unreachable: int = 0
    failed: int = 0
    skipped: int = 0
    missed: int = 0
    lost: int = 0

    def count(self, status: str) -> None:
        if status in {f.name for f in fields(self)}:
            setattr(self, status, getattr(self, status) + 1)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do with a claimed check-in: "sending", "skipped" or "missed"; and when it is
    due next (the first local day after this one whose time is still to come)."""

    status: str
    next_day: date
    next_at: datetime


def plan(due: Due, now: datetime, grace: timedelta) -> Plan:
    try:
        zone = zone_info(due.zone)
    except ZoneError:  # the system's tz database lost the zone: never crash the tick on it
        log.error("check-in %d: unknown zone %r, not sent", due.id, due.zone)
        return Plan("missed", due.next_due_day + timedelta(days=1), now + timedelta(days=1))
    if due.skip_next:
        status = "skipped"
    elif now - due.next_due_at > grace:
        status = "missed"
    else:
        status = "sending"
    day, instant = next_due(due.local_time, zone, now, after=due.next_due_day)
    return Plan(status, day, instant)


def _chat(platform: str, chat_id: str, kind: str) -> Chat:
    return Chat(platform, chat_id, "group" if kind == "group" else "private")


def retry_at(attempts: int, due_at: datetime, now: datetime, grace: timedelta) -> datetime | None:
    """When to try a failed send again: a growing delay, never past the grace window."""
    if attempts > len(RETRY_DELAYS):
        return None
    when = now + RETRY_DELAYS[attempts - 1]
    return when if when <= due_at + grace else None


class CheckinSender:
    """Sends due check-ins through the connectors' Outbound, one per platform; claims only
    check-ins of those platforms (another process may serve the others)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbounds: Mapping[str, Outbound],
        settings: Settings,
        clock: Callable[[], datetime],
        name: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.outbounds = dict(outbounds)
        self.clock = clock
        self.grace = timedelta(hours=settings.checkin_grace_hours)
        self.claim_timeout = timedelta(seconds=settings.checkin_claim_timeout_seconds)
        self.name = name or f"{socket.gethostname()[:40]}:{os.getpid()}"
        rates = {
            platform: (settings.checkin_sends_per_second or limits_of(platform).sends_per_second)
            / settings.checkin_processes
            for platform in self.outbounds
        }
        self.paces = {platform: Pace(rate) for platform, rate in rates.items()}
        self.batch = max(IN_FLIGHT, int(sum(rates.values()) * BATCH_SECONDS))
        self._in_flight = asyncio.Semaphore(IN_FLIGHT)

    async def tick(self) -> TickReport:
        report = TickReport()
        if not self.outbounds:
            return report
        while await self._round(report) == self.batch:
            pass
        await self._retries(report)
        if report:
            log.info("check-ins: %s", report)
        return report

    async def _round(self, report: TickReport) -> int:
        claim = f"{self.name}:{secrets.token_hex(6)}"[-checkins.MAX_CLAIMANT :]
        async with self.sessions() as session, session.begin():
            claimed = await checkins.claim_due(
                session, self.clock(), claim, tuple(self.outbounds), self.batch,
                self.claim_timeout,
            )  # fmt: skip
        report.claimed += len(claimed)
        outcomes = await asyncio.gather(*(self._one(due, report) for due in claimed))
        await self._finish([outcome for outcome in outcomes if outcome is not None], report)
        return len(claimed)

    async def _one(self, due: Due, report: TickReport) -> Outcome | None:
        async with self._in_flight:
            decided = plan(due, self.clock(), self.grace)
            if decided.status == "sending":
                await self.paces[due.platform].wait()  # before recording: a short at-risk window
            async with self.sessions() as session, session.begin():
                send_id = await checkins.take(
                    session, due, decided.status, decided.next_at, decided.next_day, self.clock()
                )
            if send_id is None:
                report.lost += 1
                return None
            if decided.status != "sending":
                report.count(decided.status)
                return None
            chat = _chat(due.platform, due.chat_id, due.chat_kind)
            return await self._deliver(send_id, chat, due.language, due.next_due_at, 1)

    async def _deliver(
        self, send_id: int, chat: Chat, language: str, due_at: datetime, attempts: int
    ) -> Outcome | None:
        """Send the question; its outcome, None when unknown (the platform did not answer
        in time: it may have arrived, so it stays "sending" and is never sent again)."""
        sending = self.outbounds[chat.platform].send(chat, question(send_id, language))
        try:
            delivery = await asyncio.wait_for(sending, SEND_TIMEOUT_SECONDS)
        except TimeoutError:
            log.warning("check-in %d to %s: no answer from the platform", send_id, chat.platform)
            return None
        except Exception:  # a connector bug must not stop the other check-ins
            log.exception("check-in %d to %s: the connector failed", send_id, chat.platform)
            delivery = Delivery.FAILED
        status = STATUS_OF[delivery]
        if status != "failed":
            return Outcome(send_id, status)
        return Outcome(send_id, status, retry_at(attempts, due_at, self.clock(), self.grace))

    async def _retries(self, report: TickReport) -> None:
        async with self.sessions() as session, session.begin():
            ready = await checkins.claim_retries(
                session, self.clock(), tuple(self.outbounds), self.batch
            )
        if not ready:
            return

        async def again(retry: checkins.Retry) -> Outcome | None:
            async with self._in_flight:
                row = retry.checkin
                await self.paces[row.platform].wait()
                chat = _chat(row.platform, row.chat_id, row.chat_kind)
                return await self._deliver(
                    retry.send_id, chat, row.language, retry.due_at, retry.attempts
                )

        outcomes = await asyncio.gather(*(again(retry) for retry in ready))
        await self._finish([outcome for outcome in outcomes if outcome is not None], report)

    async def _finish(self, outcomes: list[Outcome], report: TickReport) -> None:
        for outcome in outcomes:
            report.count(outcome.status)
        if outcomes:
            async with self.sessions() as session, session.begin():
                await checkins.finish(session, outcomes, self.clock())
