"""Nothing lost, nothing twice, measured: `moodtune run` killed with SIGKILL in the middle of
a burst of 1,000 messages (100 people, 10 each) and started again, three times on each
of Telegram polling, a Telegram webhook and Discord, against the fake servers of the tests
(tests/telegram/fake_bot_api.py, tests/discord/fake_discord.py) on loopback, on SQLite.

The kills come after 250, 500 and 750 answers. Counted over all of a platform's runs:
messages never answered with tracks (lost: an apology counts as lost), messages answered
more than once (duplicated), and the seconds from the restart to the last answer.

Telegram's Bot API has no idempotency key (its sendMessage has nothing like Discord's
nonce), so an answer Telegram took in the instant before the kill, whose "sent" mark the
bot had not stored, is sent again after the restart: the duplicates counted for Telegram
are those. Discord's nonce makes the same resend come back as the message made before.

    python -m benchmarks crash            # 3 kills a platform, 1,000 messages each
    python -m benchmarks crash --quick    # 1 kill a platform, 300 messages
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.feelings import FEELINGS
from benchmarks.table import Row

TESTS = Path(__file__).resolve().parent.parent / "tests"
for folder in (TESTS, TESTS / "telegram", TESTS / "discord"):
    sys.path.insert(0, str(folder))

PEOPLE, PER_PERSON = 100, 10
QUICK_PEOPLE, QUICK_PER_PERSON = 60, 5
KILLS = (0.25, 0.5, 0.75)  # the share of the burst answered when the bot is killed
QUICK_KILLS = (0.5,)
SECRET = "crash-benchmark-secret"
TIMEOUT = 300.0  # seconds for a burst to be answered, kill and restart included
NAME = "crash"


@dataclass
class Outcome:
    messages: int
    lost: int
    duplicated: int
    recovery_seconds: float


async def _template() -> Path:
    """A migrated SQLite file with the catalog loaded, copied for every run (opening an
    empty database annotates the catalog, which takes a while)."""
    from moodtune.bot.app import App
    from moodtune.config import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="moodtune-crash-template-"))
    app = await App.open(Settings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]
    await app.close()
    return data_dir / "moodtune.db"


async def _telegram(
    template: Path, people: int, per_person: int, kill_at: int, webhook: bool
) -> Outcome:
    from bot_process import bot_environment, free_port
    from fake_bot_api import FakeBotApi

    fake = FakeBotApi()
    await fake.start()
    settings = {
        "MOODTUNE_TELEGRAM_TOKEN": fake.token,
        "MOODTUNE_TELEGRAM_BASE_URL": fake.base_url,
        "MOODTUNE_TELEGRAM_BASE_FILE_URL": fake.base_file_url,
    }
    if webhook:
        port = free_port()
        settings |= {
            "MOODTUNE_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
            "MOODTUNE_TELEGRAM_WEBHOOK_PORT": str(port),
            "MOODTUNE_TELEGRAM_WEBHOOK_SECRET": SECRET,
        }
    updates: list[dict[str, Any]] = []
    for round_ in range(per_person):
        for person in range(people):
            text = f"{FEELINGS[(person + round_) % len(FEELINGS)]} ({round_})"
            updates.append({"update_id": fake.next_update_id(),
                            "message": fake.message(800_000 + person, text=text)})  # fmt: skip
    ids = [u["update_id"] for u in updates]
    delivery: asyncio.Task[None] | None = None

    async def send_burst() -> None:
        nonlocal delivery
        if webhook:
            await fake.wait_for(lambda: fake.webhook, timeout=90)
            delivery = asyncio.create_task(fake.deliver_to_webhook(updates, SECRET))
        else:
            for update in updates:
                fake.push(update)

    def replies() -> list[int]:
        return [sum(1 for m in fake.replies_to(u) if m.get("reply_markup")) for u in ids]

    def all_sent() -> list[int]:
        return [len(fake.replies_to(u)) for u in ids]

    try:
        return await _crash(template, bot_environment, settings, send_burst, fake.wait_for,
                            replies, all_sent, kill_at)  # fmt: skip
    finally:
        if delivery is not None:
            await delivery
        await fake.stop()


async def _discord(template: Path, people: int, per_person: int, kill_at: int) -> Outcome:
    from bot_process import bot_environment
    from fake_discord import FakeDiscord

    fake = FakeDiscord()
    await fake.start()
    settings = {"MOODTUNE_DISCORD_TOKEN": fake.token, "MOODTUNE_DISCORD_API_URL": fake.api_url}
    messages: list[str] = []

    async def send_burst() -> None:
        await fake.ready(timeout=90)
        users = [fake.add_user(f"person{n}") for n in range(people)]
        for round_ in range(per_person):
            for n, user in enumerate(users):
                text = f"{FEELINGS[(n + round_) % len(FEELINGS)]} ({round_})"
                messages.append(fake.push_message(user, text))

    def replies() -> list[int]:
        return [sum(1 for m in fake.replies_to(message) if m.components) for message in messages]

    def all_sent() -> list[int]:
        return [len(fake.replies_to(message)) for message in messages]

    try:
        return await _crash(template, bot_environment, settings, send_burst, fake.wait_for,
                            replies, all_sent, kill_at, expected=people * per_person)  # fmt: skip
    finally:
        await fake.stop()


async def _crash(
    template: Path,
    environment: Callable[..., dict[str, str]],
    settings: dict[str, str],
    send_burst: Callable[[], Awaitable[None]],
    wait_for: Callable[..., Awaitable[Any]],
    answers: Callable[[], list[int]],
    sent: Callable[[], list[int]],
    kill_at: int,
    expected: int | None = None,
) -> Outcome:
    """Start the bot, send the burst, kill it once `kill_at` messages are answered, start
    it again and wait for every message to be answered."""
    from bot_process import kill_bot, start_bot, stop_bot

    data_dir = Path(tempfile.mkdtemp(prefix="moodtune-crash-"))
    shutil.copyfile(template, data_dir / "moodtune.db")
    env = environment(data_dir, **settings)
    process = await start_bot(env, data_dir)
    try:
        await send_burst()
        count = expected or len(answers())

        def answered() -> int:
            return sum(1 for n in sent() if n)

        await wait_for(lambda: answered() >= kill_at, timeout=TIMEOUT)
        await kill_bot(process)
        restarted = time.perf_counter()
        process = await start_bot(env, data_dir)
        with contextlib.suppress(TimeoutError):  # what never came is counted as lost
            await wait_for(lambda: answered() >= count, timeout=TIMEOUT)
        recovery = time.perf_counter() - restarted
        await asyncio.sleep(1.0)  # anything answered twice would have arrived by now
        with_tracks, all_replies = answers(), sent()
        return Outcome(
            messages=count,
            lost=sum(1 for n in with_tracks if n == 0),
            duplicated=sum(1 for n in all_replies if n > 1),
            recovery_seconds=recovery,
        )
    finally:
        log = await stop_bot(process)
        shutil.rmtree(data_dir, ignore_errors=True)
        if "Traceback" in log:
            print(f"the bot's log had a traceback:\n{log[-3000:]}", file=sys.stderr)


async def _measure(quick: bool) -> dict[str, list[Outcome]]:
    people, per_person = (QUICK_PEOPLE, QUICK_PER_PERSON) if quick else (PEOPLE, PER_PERSON)
    kills = [int(share * people * per_person) for share in (QUICK_KILLS if quick else KILLS)]
    template = await _template()
    platforms: dict[str, Callable[[int], Awaitable[Outcome]]] = {
        "Telegram polling": lambda at: _telegram(template, people, per_person, at, False),
        "Telegram webhook": lambda at: _telegram(template, people, per_person, at, True),
        "Discord": lambda at: _discord(template, people, per_person, at),
    }
    outcomes: dict[str, list[Outcome]] = {}
    try:
        for platform, run_once in platforms.items():
            outcomes[platform] = []
            for at in kills:
                print(f"crash: {platform}, killed after {at} answers", file=sys.stderr)
                outcomes[platform].append(await run_once(at))
    finally:
        shutil.rmtree(template.parent, ignore_errors=True)
    return outcomes


def run(quick: bool = False) -> list[Row]:
    from moodtune.bot import event_loop

    rows = []
    for platform, outcomes in event_loop.run(_measure(quick)).items():
        name = f"{NAME}: {platform}"
        lost = sum(o.lost for o in outcomes)
        duplicated = sum(o.duplicated for o in outcomes)
        recoveries = [o.recovery_seconds for o in outcomes]
        rows += [
            Row(name, f"kill -9 runs of {outcomes[0].messages:,} messages", len(outcomes), ""),
            Row(name, "messages lost", lost, "", "0", lost == 0),
            Row(name, "messages answered twice", duplicated, "", "0", duplicated == 0),
            Row(name, "restart to last answer: slowest", max(recoveries), "s"),
            Row(name, "restart to last answer: fastest", min(recoveries), "s"),
        ]
    return rows


def last_line(result: list[Row]) -> str:
    """``crash: K kills, L lost, D duplicated`` over every platform."""
    total = {"kill -9": 0, "messages lost": 0, "messages answered twice": 0}
    for row in result:
        for case in total:
            if row.case.startswith(case):
                total[case] += int(row.value)
    kills, lost, duplicated = total.values()
    return f"crash: {kills} kills, {lost} lost, {duplicated} duplicated"
