"""Claiming due check-ins among 100,000 on PostgreSQL: what one tick costs the database.

100,000 check-ins, their local times on the quarter hours of the day, in 12 zones (whole
and half-hour offsets), next due as /checkin sets them, as the table stands just before a
quarter hour. Ticks are timed in that quarter hour (about a thousand due at once: 1/96 of
the table), before it (none due), and with the batch a Telegram tick claims (50: two
seconds at its pace). Each claim runs in a
transaction that is rolled back, so every repetition sees the same table; a full tick
(claim, record each send, store the outcomes, sending to an Outbound that only counts)
is timed once over that quarter hour. Beside the wall-clock times, the CPU time of this
process and of the PostgreSQL backend serving it (from /proc, when the server runs on
this machine): on a machine busy with other work, wall time is mostly waiting for a core.

The database: MOODTUNE_BENCH_DATABASE_URL or MOODTUNE_TEST_POSTGRES_URL names a
PostgreSQL server; the benchmark creates a database of its own there and drops it after.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as TimeOfDay
from pathlib import Path

import numpy as np
from sqlalchemy import text
from sqlalchemy.engine import make_url

from benchmarks.table import Row
from moodtune.config import Settings
from moodtune.handlers.checkin_tick import CheckinSender
from moodtune.handlers.daily_time import next_due
from moodtune.handlers.outbound import Delivery
from moodtune.handlers.time_zones import zone_info
from moodtune.storage import checkins
from moodtune.storage.db import make_engine, make_session_factory, on_server, upgrade

URL_ENVS = ("MOODTUNE_BENCH_DATABASE_URL", "MOODTUNE_TEST_POSTGRES_URL")
CHECKINS = 100_000
ZONES = ("Asia/Shanghai", "Asia/Tokyo", "Asia/Kolkata", "Europe/Berlin", "Europe/London",
         "America/New_York", "America/Los_Angeles", "America/Sao_Paulo", "Australia/Sydney",
         "Africa/Lagos", "Asia/Dubai", "+08:00")  # fmt: skip
# The table as it stands just before 13:00 UTC (21:00 in Shanghai): every check-in due
# at 13:00 in any zone (21:00 Shanghai, 14:00 Berlin, 18:30 Kolkata...) is due next.
NOW = datetime(2026, 3, 8, 12, 59, 30, tzinfo=UTC)
PEAK = datetime(2026, 3, 8, 13, 0, 20, tzinfo=UTC)  # a tick 20 s into that minute
REPEATS = 30
TARGET_MS = 50.0
NAME = "check-ins: claim the due ones (100,000 in the table, PostgreSQL)"


class Counting:
    platform = "telegram"

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, chat: object, reply: object) -> Delivery:
        self.sent += 1
        return Delivery.DELIVERED


def _rows(n: int, rng: np.random.Generator) -> list[tuple]:
    rows = []
    for i in range(n):
        zone = ZONES[int(rng.integers(len(ZONES)))]
        quarter = int(rng.integers(96))
        at = TimeOfDay(quarter // 4, quarter % 4 * 15)
        day, instant = next_due(at, zone_info(zone), NOW)
        rows.append((i + 1, "telegram", f"chat{i}", "group", at, zone, "en", instant, day,
                     False, False, NOW, NOW))  # fmt: skip
    return rows


async def _fill(url: str, records: list[tuple]) -> None:
    """COPY the check-ins in: minutes of ORM inserts would only time the set-up."""
    import asyncpg

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        columns = ["id", "platform", "chat_id", "chat_kind", "local_time", "zone", "language",
                   "next_due_at", "next_due_day", "paused", "skip_next", "created_at",
                   "updated_at"]  # fmt: skip
        await connection.copy_records_to_table("checkins", records=records, columns=columns)
        await connection.execute("ANALYZE checkins")
    finally:
        await connection.close()


def _cpu_seconds(pid: int | None) -> float:
    """CPU time the process has run, from /proc (ns resolution); 0 when not readable (a
    PostgreSQL server on another machine)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


async def _timed_claims(
    sessions, now: datetime, limit: int
) -> tuple[list[float], list[float], int]:
    """Per claim over REPEATS rolled-back claims: wall-clock ms, CPU ms (this process and
    the PostgreSQL backend serving it), and how many rows each claimed."""
    walls, cpus, got = [], [], 0
    for i in range(REPEATS + 1):
        async with sessions() as session:
            transaction = await session.begin()
            backend = await session.scalar(text("SELECT pg_backend_pid()"))
            cpu = time.process_time() + _cpu_seconds(backend)
            start = time.perf_counter()
            claimed = await checkins.claim_due(
                session, now, f"bench:{i}", ("telegram",), limit, timedelta(seconds=60)
            )
            elapsed = (time.perf_counter() - start) * 1e3
            cpu = (time.process_time() + _cpu_seconds(backend) - cpu) * 1e3
            await transaction.rollback()
        if i:  # the first warms the connection and the plan cache
            walls.append(elapsed)
            cpus.append(cpu)
            got = len(claimed)
    return walls, cpus, got


def _spread(
    name: str, case: str, walls: list[float], cpus: list[float], target: bool = False
) -> list[Row]:
    median = float(np.median(walls))
    main = Row(name, f"{case}: median", median, "ms",
               f"<= {TARGET_MS:g} ms" if target else "",
               median <= TARGET_MS if target else None)  # fmt: skip
    return [
        Row(name, f"{case}: p90", float(np.percentile(walls, 90)), "ms"),
        Row(name, f"{case}: slowest of {len(walls)}", max(walls), "ms"),
        Row(name, f"{case}: CPU, bench + PostgreSQL backend, median", float(np.median(cpus)), "ms"),
        main,
    ]


async def _measure(url: str, quick: bool) -> list[Row]:
    n = CHECKINS // 10 if quick else CHECKINS
    name = NAME if not quick else NAME.replace("100,000", f"{n:,}")
    records = _rows(n, np.random.default_rng(14))
    await asyncio.to_thread(upgrade, url)
    await _fill(url, records)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        due_then = sum(record[7] <= PEAK for record in records)
        peak, quiet = PEAK, NOW + timedelta(seconds=10)
        peak_all, peak_all_cpu, got_all = await _timed_claims(sessions, peak, 10 * due_then)
        peak_batch, peak_batch_cpu, got_batch = await _timed_claims(sessions, peak, 50)
        quiet_times, quiet_cpu, got_quiet = await _timed_claims(sessions, quiet, 50)
        assert got_all == due_then and got_batch == 50 and got_quiet == 0, (got_all, due_then)
        settings = Settings(_env_file=None, checkin_sends_per_second=100_000)  # type: ignore[call-arg]
        outbound = Counting()
        sender = CheckinSender(sessions, {"telegram": outbound}, settings, lambda: peak)
        start = time.perf_counter()
        report = await sender.tick()
        tick_ms = (time.perf_counter() - start) * 1e3
        assert outbound.sent == report.delivered == due_then, (outbound.sent, due_then)
    finally:
        await engine.dispose()
    return [
        *_spread(name, "a minute with none due", quiet_times, quiet_cpu),
        *_spread(name, f"{due_then:,} due, a batch of {got_batch}", peak_batch, peak_batch_cpu),
        Row(
            name,
            f"full tick, {due_then:,} due (claimed, recorded, sent, stored; once)",
            tick_ms / due_then,
            "ms per check-in",
        ),
        *_spread(name, f"all {got_all:,} due claimed at once", peak_all, peak_all_cpu, True),
    ]


async def _run(quick: bool) -> list[Row]:
    server = next((os.environ[env] for env in URL_ENVS if os.environ.get(env)), None)
    if server is None:
        return [Row(NAME, f"skipped: set {URL_ENVS[0]} to a PostgreSQL server", 0, "")]
    database = f"moodtune_bench_checkins_{uuid.uuid4().hex[:10]}"
    await on_server(server, f'CREATE DATABASE "{database}"')
    try:
        url = make_url(server).set(database=database).render_as_string(hide_password=False)
        return await _measure(url, quick)
    finally:
        await on_server(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def run(quick: bool = False) -> list[Row]:
    return asyncio.run(_run(quick))
