"""Check-ins with real bot processes (tick_worker.py: the scheduler, the tick, an Outbound
that logs each send to a file) sharing one database: two at once, one killed right after
claiming, restarts inside and outside the grace window under faketime."""

from __future__ import annotations

import asyncio
import collections
import json
import os
import shutil
import signal
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as TimeOfDay
from pathlib import Path

import pytest
from checkin_helpers import add_checkins, utc
from sqlalchemy import select

from moodtune.storage.db import make_engine, make_session_factory
from moodtune.storage.models import CheckIn, CheckInSend

WORKER = Path(__file__).with_name("tick_worker.py")
REPO = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 240  # a busy machine is slow; a stuck worker still fails the test


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


async def _worker(db_url: str, log: Path, *args: str, faketime: str | None = None,
                  **env: str) -> asyncio.subprocess.Process:  # fmt: skip
    command = [sys.executable, str(WORKER), db_url, str(log), *args]
    if faketime is not None:  # the process's clock starts at `faketime` (UTC) and runs on
        command = ["faketime", faketime, *command]
        # Python's timed waits on threads hang under libfaketime without this fix.
        env = {"TZ": "UTC", "FAKETIME_FORCE_MONOTONIC_FIX": "1", **env}
    return await asyncio.create_subprocess_exec(
        *command, env=_env(**env), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def _finish(process: asyncio.subprocess.Process) -> str:
    out, err = await asyncio.wait_for(process.communicate(), WAIT_SECONDS)
    assert process.returncode == 0, err.decode()[-3000:]
    assert "Traceback" not in err.decode(), err.decode()[-3000:]
    return out.decode()


def _logged(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


async def _rows(db_url: str) -> tuple[list[CheckIn], list[CheckInSend]]:
    engine = make_engine(db_url)
    try:
        async with make_session_factory(engine)() as session:
            checkins = list(await session.scalars(select(CheckIn).order_by(CheckIn.id)))
            sends = list(await session.scalars(select(CheckInSend).order_by(CheckInSend.id)))
    finally:
        await engine.dispose()
    return checkins, sends


async def _due_now(db_url: str, chats: list[str]) -> None:
    """Check-ins for `chats`, due at the minute that has just begun (so due at once)."""
    engine = make_engine(db_url)
    minute = datetime.now(UTC).replace(second=0, microsecond=0)
    try:
        await add_checkins(make_session_factory(engine), chats,
                           TimeOfDay(minute.hour, minute.minute), "UTC",
                           minute - timedelta(seconds=1))  # fmt: skip
    finally:
        await engine.dispose()


async def test_two_processes_send_1000_check_ins_each_exactly_once(db_url: str, tmp_path) -> None:
    chats = [f"c{i}" for i in range(1000)]
    await _due_now(db_url, chats)
    start_at = str(time.time() + 6)  # both start ticking together, once imported
    log = tmp_path / "sent.jsonl"
    workers = [await _worker(db_url, log, "--start-at", start_at, "--rate", "100")
               for _ in range(2)]  # fmt: skip
    for worker in workers:
        await _finish(worker)
    sent = _logged(log)
    per_chat = collections.Counter(entry["chat"] for entry in sent)
    assert set(per_chat) == set(chats)
    assert max(per_chat.values()) == 1, [c for c, n in per_chat.items() if n > 1][:10]
    assert len({entry["pid"] for entry in sent}) == 2  # both processes did a share
    checkins, sends = await _rows(db_url)
    assert len(sends) == 1000 and {s.status for s in sends} == {"delivered"}
    assert {s.id for s in sends} == {entry["send"] for entry in sent}
    assert all(c.claimed_by is None for c in checkins)


async def _kill_when(process: asyncio.subprocess.Process, marker: Path) -> None:
    """SIGKILL the process once it has written `marker`."""
    for _ in range(WAIT_SECONDS * 10):
        if marker.exists() or process.returncode is not None:
            break
        await asyncio.sleep(0.1)
    assert marker.exists(), (await process.stderr.read()).decode()[-2000:]
    process.send_signal(signal.SIGKILL)
    await process.wait()


async def test_a_process_killed_right_after_claiming_loses_nothing(db_url: str, tmp_path) -> None:
    chats = [f"k{i}" for i in range(5)]
    await _due_now(db_url, chats)
    log, marker = tmp_path / "sent.jsonl", tmp_path / "claimed"
    doomed = await _worker(db_url, log, "--claim-timeout", "3", "--hang-after-claim", str(marker))
    await _kill_when(doomed, marker)
    checkins, sends = await _rows(db_url)
    assert sends == [] and all(c.claimed_by for c in checkins)  # claimed, then nothing
    assert _logged(log) == []
    started = time.monotonic()
    await _finish(await _worker(db_url, log, "--claim-timeout", "3"))
    assert time.monotonic() - started >= 1  # it waited for the dead claim to time out
    assert sorted(entry["chat"] for entry in _logged(log)) == chats
    _, sends = await _rows(db_url)
    assert len(sends) == 5 and {s.status for s in sends} == {"delivered"}


async def test_a_process_killed_after_recording_a_send_never_sends_that_day_twice(
    db_url: str, tmp_path
) -> None:
    """Recorded, then killed before (or while) the platform took it: whether it arrived is
    unknown, so that day's check-in is not sent again (at most once); the rest go out."""
    chats = [f"r{i}" for i in range(3)]
    await _due_now(db_url, chats)
    log, marker = tmp_path / "sent.jsonl", tmp_path / "recorded"
    doomed = await _worker(db_url, log, "--claim-timeout", "3", "--hang-after-record", str(marker))
    await _kill_when(doomed, marker)
    recorded = int(marker.read_text())
    await _finish(await _worker(db_url, log, "--claim-timeout", "3"))
    _, sends = await _rows(db_url)
    status = {s.id: s.status for s in sends}
    logged = collections.Counter(entry["send"] for entry in _logged(log))
    assert len(sends) == 3 and status[recorded] == "sending"  # outcome unknown: not resent
    # Those the dead process recorded (it records up to 8 at once) stay unsent; the
    # others went out once each.
    assert {i for i, s in status.items() if s == "sending"}.isdisjoint(logged)
    assert {i for i, s in status.items() if s == "delivered"} == set(logged)
    assert set(logged.values()) <= {1}


@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime (apt: faketime)")
@pytest.mark.parametrize(("late", "sent"), [(timedelta(hours=1, minutes=30), True),
                                            (timedelta(hours=2, minutes=30), False)])  # fmt: skip
async def test_a_restart_inside_the_grace_window_sends_once_outside_it_skips(
    db_url: str, tmp_path, late: timedelta, sent: bool
) -> None:
    """Due at 21:00 in Shanghai on 8 March 2026 (13:00 UTC); no bot ran then. A bot
    starting `late` later sends it (once, however often it restarts), or lets it go."""
    engine = make_engine(db_url)
    try:
        await add_checkins(make_session_factory(engine), ["a", "b"], TimeOfDay(21),
                           "Asia/Shanghai", utc(2026, 3, 8, 12))  # fmt: skip
    finally:
        await engine.dispose()
    log = tmp_path / "sent.jsonl"
    for restart in range(2):  # a second run, ten minutes on, finds nothing left to do
        moment = utc(2026, 3, 8, 13) + late + timedelta(minutes=10 * restart)
        await _finish(await _worker(db_url, log, faketime=f"{moment:%Y-%m-%d %H:%M:%S}"))
    assert sorted(entry["chat"] for entry in _logged(log)) == (["a", "b"] if sent else [])
    checkins, sends = await _rows(db_url)
    assert [s.status for s in sends] == (["delivered"] * 2 if sent else ["missed"] * 2)
    assert {c.next_due_at for c in checkins} == {utc(2026, 3, 9, 13)}  # tomorrow, as usual
