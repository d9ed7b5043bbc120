"""A bot process as far as check-ins go, for the multi-process tests: the real scheduler
(APScheduler) and tick on a database, sending through an Outbound that appends a JSON
line per send to a file. It stops once no check-in is due any more.

    python tick_worker.py DB_URL LOG [--start-at EPOCH] [--rate N] [--claim-timeout S]
                                     [--hang-after-claim MARKER] [--hang-after-record MARKER]

--hang-after-claim: after the first claim that gets anything, write MARKER and hang,
for the test to kill the process right after claiming (nothing recorded, nothing sent).
--hang-after-record: the same after recording a send, before sending it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent))
from checkin_helpers import RecordingOutbound

from moodtune.bot.scheduler import CheckinScheduler
from moodtune.config import Settings
from moodtune.handlers import checkin_tick
from moodtune.handlers.checkin_tick import CheckinSender
from moodtune.storage.db import make_engine, make_session_factory
from moodtune.storage.models import CheckIn

TICK = timedelta(seconds=0.2)


def mark(marker: Path, text: str) -> None:
    """Write the marker whole or not at all: the test reads it as soon as it exists."""
    partial = marker.with_suffix(".partial")
    partial.write_text(text)
    partial.rename(marker)


def hang_after_claiming(marker: Path) -> None:
    claim = checkin_tick.checkins.claim_due

    async def claim_and_hang(session, *args):
        claimed = await claim(session, *args)
        if claimed:
            await session.commit()  # the claim is in the database, as in a real tick
            mark(marker, ",".join(str(due.id) for due in claimed))
            await asyncio.sleep(3600)
        return claimed

    checkin_tick.checkins.claim_due = claim_and_hang


def hang_after_recording(marker: Path) -> None:
    take = checkin_tick.checkins.take

    async def take_and_hang(session, due, status, *args):
        send_id = await take(session, due, status, *args)
        if send_id is not None and status == "sending":
            await session.commit()
            mark(marker, str(send_id))
            await asyncio.sleep(3600)
        return send_id

    checkin_tick.checkins.take = take_and_hang


async def due_left(sessions) -> int:
    async with sessions() as session:
        query = select(func.count()).where(
            CheckIn.next_due_at <= datetime.now(UTC), ~CheckIn.paused,
            CheckIn.unreachable_at.is_(None),
        )  # fmt: skip
        return await session.scalar(query)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db_url")
    parser.add_argument("log", type=Path)
    parser.add_argument("--start-at", type=float, default=0.0)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--claim-timeout", type=float, default=60.0)
    parser.add_argument("--hang-after-claim", type=Path)
    parser.add_argument("--hang-after-record", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    if args.hang_after_claim:
        hang_after_claiming(args.hang_after_claim)
    if args.hang_after_record:
        hang_after_recording(args.hang_after_record)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, checkin_sends_per_second=args.rate,
        checkin_claim_timeout_seconds=args.claim_timeout,
    )  # fmt: skip
    engine = make_engine(args.db_url)
    sessions = make_session_factory(engine)
    outbound = RecordingOutbound(log=args.log)
    sender = CheckinSender(sessions, {"telegram": outbound}, settings, lambda: datetime.now(UTC))
    scheduler = CheckinScheduler(sender, TICK)
    await asyncio.sleep(max(0.0, args.start_at - time.time()))  # start with the other one
    scheduler.start()
    try:
        while await due_left(sessions):
            await asyncio.sleep(TICK.total_seconds())
    finally:
        await scheduler.stop()
        await engine.dispose()
    print(f"sent {len(outbound.sent)}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
