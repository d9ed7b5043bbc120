"""Nothing lost: `moodtune run` in its own process, killed with SIGKILL in the middle of a
burst and started again, polling and with a webhook.

Telegram has no way to send a message only once: an answer the platform took just before
the kill, but whose "sent" mark had not been stored yet, is sent again after the restart.
That window is a few milliseconds of the last answers (IN_FLIGHT bounds it); every other
message is answered exactly once."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from bot_process import bot_environment, free_port, kill_bot, start_bot, stop_bot
from fake_bot_api import FakeBotApi

PEOPLE, PER_PERSON = 60, 5  # 300 messages
KILL_AFTER = 100  # replies seen before the kill
IN_FLIGHT = 3  # answers the kill may catch between Telegram taking them and their mark
SECRET = "crash-test-secret"


def environment(fake: FakeBotApi, data_dir: Path, **extra: str) -> dict[str, str]:
    return bot_environment(
        data_dir,
        MOODTUNE_TELEGRAM_TOKEN=fake.token,
        MOODTUNE_TELEGRAM_BASE_URL=fake.base_url,
        MOODTUNE_TELEGRAM_BASE_FILE_URL=fake.base_file_url,
        **extra,
    )


def answered(fake: FakeBotApi, updates: list[int]) -> int:
    return sum(1 for u in updates if fake.replies_to(u))


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
    process = await start_bot(env, tmp_path)
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
        await fake.wait_for(lambda: answered(fake, updates) >= KILL_AFTER, timeout=180)
        await kill_bot(process)
        before = answered(fake, updates)
        assert before < len(updates)  # killed in the middle of the burst
        process = await start_bot(env, tmp_path)
        if mode == "webhook":
            await delivery  # Telegram kept retrying what the dead bot did not take
        await check_every_message_answered_once(fake, updates)
    finally:
        log = await stop_bot(process)
        await fake.stop()
    assert "Traceback" not in log
