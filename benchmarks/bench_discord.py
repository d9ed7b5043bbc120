"""The Discord bot under a burst: 2,000 events from 200 people (each: eight DMs and two
/feel slash commands) through the fake Discord (tests/discord/fake_discord.py): its gateway
over a zlib-stream WebSocket, its REST API for every reply, interaction answer and
follow-up, real HTTP on loopback, the real discord.py client, the bundled catalog, SQLite.
The whole bot runs in one process; the fake Discord in a second one, as Discord runs
elsewhere: on the same two cores, so it still competes with the bot for the CPU.

An interaction must be answered within 3 seconds of being made, so a burst that backs up
loses the interactions at its tail: those count as lost, like a reply that never came or an
apology. The burst runs three times (new people each time); the median one is reported,
with the slowest beside it; lost and duplicated answers are counted over all three.

Figures: events per second (first event injected → last answer received), time to answer
(injected → the answer with tracks received, so queueing in the burst counts), answers
lost or duplicated, interactions deferred ("thinking…" first), each process's CPU per event.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.feelings import FEELINGS
from benchmarks.helper_process import HelperProcess
from benchmarks.table import Row

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "discord"))

PEOPLE = 200
PER_PERSON = 10
COMMAND_EVERY = 5  # every fifth event of a person is /feel, the others DMs
DATABASE_ENV = "MOODTUNE_BENCH_DATABASE_URL"  # e.g. an empty PostgreSQL; SQLite by default
TARGET_RATE = 300.0
BURSTS = 3


class _DiscordProcess(HelperProcess):
    """The fake Discord in a process of its own, as Discord is: its CPU is not the bot's.
    It runs each burst itself and reports what arrived, and when."""

    def __init__(self) -> None:
        super().__init__(_serve)
        self.token, self.api_url = self.conn.recv()


def _serve(conn: Any) -> None:
    asyncio.run(_serving(conn))


async def _serving(conn: Any) -> None:
    from fake_discord import FakeDiscord

    fake = FakeDiscord(message_content=False)
    await fake.start()
    conn.send((fake.token, fake.api_url))
    loop = asyncio.get_running_loop()
    while (command := await loop.run_in_executor(None, conn.recv))[0] == "burst":
        conn.send(await _burst(fake, *command[1:]))
    await fake.stop()


def _answered(fake: Any, event: str) -> list[Any]:
    """The answers with tracks (buttons) to one event; an apology or nothing: none."""
    if event in fake.interactions:
        deferred = fake.interactions[event].callback_type == 5
        sent = [
            s for s in fake.answers_to(event)
            if s.kind != "edit" and not (deferred and s.kind == "interaction")  # "thinking…"
        ]  # fmt: skip
        return [s for s in sent if s.components]
    return [s for s in fake.replies_to(event) if s.components]


async def _burst(fake: Any, people: int, per_person: int) -> dict[str, float]:
    users = [fake.add_user(f"person{len(fake.users)}") for _ in range(people)]
    events: list[str] = []
    start, cpu = time.perf_counter(), time.process_time()
    for round_ in range(per_person):
        for number, user in enumerate(users):
            text = f"{FEELINGS[(number + round_) % len(FEELINGS)]} ({round_})"
            if round_ % COMMAND_EVERY == COMMAND_EVERY - 1:
                events.append(fake.push_command(user, "feel", {"text": text}))
            else:
                events.append(fake.push_message(user, text))
    waiting = set(events)

    def all_answered() -> bool:
        waiting.difference_update([e for e in waiting if _answered(fake, e)])
        return not waiting

    with contextlib.suppress(TimeoutError):  # what never came counts as lost
        await fake.wait_for(all_answered, timeout=120)
    answers = {e: _answered(fake, e) for e in events}
    arrived = [a[0].at for a in answers.values() if a]
    elapsed = (max(arrived) if arrived else time.perf_counter()) - start
    cpu = time.process_time() - cpu
    await asyncio.sleep(0.5)  # let any duplicate arrive
    interactions = [e for e in events if e in fake.interactions]
    latency = [a[0].at - fake.pushed_at[e] for e, a in answers.items() if a]
    return {
        "seconds": elapsed,
        "server_cpu": cpu / len(events) * 1e3,
        "lost": sum(1 for a in answers.values() if not a),
        "expired": sum(1 for e in interactions if fake.interactions[e].refused),
        "duplicated": sum(1 for e in events if len(_answered(fake, e)) > 1),
        "deferred": sum(1 for e in interactions if fake.interactions[e].callback_type == 5),
        "interactions": len(interactions),
        "p50": float(np.percentile(latency, 50)) * 1e3 if latency else float("nan"),
        "p99": float(np.percentile(latency, 99)) * 1e3 if latency else float("nan"),
    }


async def _bot(token: str, api_url: str, data_dir: Path, database_url: str | None) -> Any:
    from moodtune.bot.app import App, freeze_startup_objects
    from moodtune.bot.discord.connector import DiscordConnector
    from moodtune.config import Settings
    from moodtune.handlers.dispatch import Handlers

    settings = Settings(
        _env_file=None, data_dir=data_dir, database_url=database_url,  # type: ignore[call-arg]
        discord_token=token, discord_api_url=api_url,
    )  # fmt: skip
    app = await App.open(settings)
    connector = DiscordConnector(settings, Handlers(app), guild_ready_timeout=0.05)
    await connector.start()  # as `moodtune run` starts it
    await connector.bot.tree.sync()  # as `moodtune discord sync` does, once
    freeze_startup_objects()  # as `moodtune run` does once it is up
    return app, connector


async def _timed_burst(discord: _DiscordProcess, people: int) -> dict[str, float]:
    """A burst, and the bot's own CPU time per event meanwhile."""
    cpu = time.process_time()
    burst = await discord.ask("burst", people, PER_PERSON)
    events = people * PER_PERSON
    burst["rate"] = events / burst["seconds"]
    burst["cpu"] = (time.process_time() - cpu) / events * 1e3
    return burst


async def _measure(quick: bool) -> list[Row]:
    discord = _DiscordProcess()
    try:
        with tempfile.TemporaryDirectory(prefix="moodtune-bench-discord-") as tmp:
            database_url = os.environ.get(DATABASE_ENV)
            app, connector = await _bot(discord.token, discord.api_url, Path(tmp), database_url)
            try:
                await discord.ask("burst", 20, 1)  # warm up: engines, connections, caches
                people = 50 if quick else PEOPLE
                bursts = [await _timed_burst(discord, people) for _ in range(BURSTS)]
            finally:
                await connector.stop()
                await app.close()
    finally:
        discord.stop()
    bursts.sort(key=lambda b: b["rate"])
    burst, slowest = bursts[len(bursts) // 2], bursts[0]
    lost, duplicated = (int(sum(b[key] for b in bursts)) for key in ("lost", "duplicated"))
    expired = int(sum(b["expired"] for b in bursts))
    events = people * PER_PERSON
    database = "PostgreSQL" if database_url else "SQLite"
    name = f"discord burst ({events:,} events, {people} people, {database})"
    rows = [
        Row(name, f"events per second, median of {BURSTS} bursts", burst["rate"], "/s",
            f">= {TARGET_RATE:g}/s", burst["rate"] >= TARGET_RATE),
        Row(name, "events per second, slowest burst", slowest["rate"], "/s"),
        Row(name, f"lost answers, {BURSTS} bursts (expired interactions incl.)", lost, "",
            "0", lost == 0),
        Row(name, f"interactions expired before an answer, {BURSTS} bursts", expired, ""),
        Row(name, f"duplicated answers, {BURSTS} bursts", duplicated, "", "0", duplicated == 0),
        Row(name, "interactions deferred first", burst["deferred"],
            f"of {burst['interactions']:g}"),
        Row(name, "time to answer p50 (queueing incl.)", burst["p50"], "ms"),
        Row(name, "time to answer p99 (queueing incl.)", burst["p99"], "ms"),
        Row(name, "bot CPU per event", burst["cpu"], "ms"),
        Row(name, "fake Discord's CPU per event (own process)", burst["server_cpu"], "ms"),
    ]  # fmt: skip
    return rows


def last_line(rows: list[Row]) -> str:
    """The line the issue asks for, under the table."""
    rate = next((r.value for r in rows if r.case.startswith("events per second, median")), 0)
    return f"events per second: {rate:.0f}"


def run(quick: bool = False) -> list[Row]:
    from moodtune.bot import event_loop

    return event_loop.run(_measure(quick))  # the loop `moodtune run` uses
