"""Nothing lost: `moodtune run` in its own process, killed with SIGKILL in the middle of a
burst and started again, polling and with a webhook.

Telegram has no way to send a message only once: an answer the platform took just before
the kill, but whose "sent" mark had not been stored yet, is sent again after the restart.
That window is a few milliseconds of the last answers (IN_FLIGHT bounds it); every other
message is answered exactly once."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_bot_api import FakeBotApi

MOODTUNE = [sys.executable, "-c", "from moodtune.bot.cli import main; main()"]
PEOPLE, PER_PERSON = 60, 5  # 300 messages
KILL_AFTER = 100  # replies seen before the kill
IN_FLIGHT = 3  # answers the kill may catch between Telegram taking them and their mark
SECRET = "crash-test-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(fake: FakeBotApi, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOODTUNE_")},
        "MOODTUNE_DATA_DIR": str(data_dir),
        "MOODTUNE_TELEGRAM_TOKEN": fake.token,
        "MOODTUNE_TELEGRAM_BASE_URL": fake.base_url,
        "MOODTUNE_TELEGRAM_BASE_FILE_URL": fake.base_file_url,
        "MOODTUNE_MESSAGES_PER_MINUTE": "0",
        **extra,
    }


async def start(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *MOODTUNE, "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def answered(fake: FakeBotApi, updates: list[int]) -> int:
    return sum(1 for u in updates if fake.replies_to(u))


async def kill_when(fake: FakeBotApi, updates: list[int], process: Any, count: int) -> None:
    await fake.wait_for(lambda: answered(fake, updates) >= count, timeout=180)
    process.send_signal(signal.SIGKILL)
    await process.wait()


def texts(n: int) -> str:
    return ("I feel calm tonight", "so happy today!", "I miss home", "a bit anxious")[n % 4]


async def check_every_message_answered_once(fake: FakeBotApi, updates: list[int]) -> None:
    await fake.wait_for(lambda: answered(fake, updates) == len(updates), timeout=240)
    await asyncio.sleep(1.0)  # anything answered twice would have arrived by now
    counts = [len(fake.replies_to(u)) for u in updates]
    assert counts.count(0) == 0, f"{counts.count(0)} messages never answered"
    assert max(counts) <= 2, "an answer was sent three times"
    assert sum(c == 2 for c in counts) <= IN_FLIGHT, f"{sum(c == 2 for c in counts)} twice"
    for update in updates:
        assert fake.replies_to(update)[0].get("reply_markup"), "an apology, not an answer"


async def stop(process: asyncio.subprocess.Process) -> str:
    process.send_signal(signal.SIGINT)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    return stderr.decode()


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_killed_bot_loses_nothing(
    catalog_database: Path, tmp_path: Path, mode: str
) -> None:
    shutil.copyfile(catalog_database, tmp_path / "moodtune.db")
    fake = FakeBotApi()
    await fake.start()
    extra: dict[str, str] = {}
    if mode == "webhook":
        port = free_port()
        extra = {
            "MOODTUNE_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
            "MOODTUNE_TELEGRAM_WEBHOOK_PORT": str(port),
            "MOODTUNE_TELEGRAM_WEBHOOK_SECRET": SECRET,
        }
    env = environment(fake, tmp_path, **extra)
    process = await start(env, tmp_path)
    try:
        messages = [
            {"message": fake.message(700 + person, text=texts(n))}
            for n in range(PER_PERSON)
            for person in range(PEOPLE)
        ]
        for message in messages:
            message["update_id"] = fake.next_update_id()
        updates = [m["update_id"] for m in messages]
        if mode == "polling":
            for message in messages:
                fake.push(message)
        else:
            await fake.wait_for(lambda: fake.webhook, timeout=90)
            delivery = asyncio.create_task(fake.deliver_to_webhook(messages, SECRET))
        await kill_when(fake, updates, process, KILL_AFTER)
        before = answered(fake, updates)
        assert before < len(updates)  # killed in the middle of the burst
        process = await start(env, tmp_path)
        if mode == "webhook":
            await delivery  # Telegram kept retrying what the dead bot did not take
        await check_every_message_answered_once(fake, updates)
    finally:
        log = await stop(process)
        await fake.stop()
    assert "Traceback" not in log
