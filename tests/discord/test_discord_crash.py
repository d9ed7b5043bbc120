"""Nothing lost, nothing twice: `moodtune run` in its own process, killed with SIGKILL in the
middle of a burst of Discord messages and started again.

Discord never delivers a message again, so every one the bot received must be in its inbox
before the kill to be answered after it. An answer Discord took just before the kill, whose
"sent" mark had not been stored yet, is sent again after the restart, with the same nonce:
Discord returns the message it made the first time instead of making a second."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from bot_process import bot_environment, kill_bot, start_bot, stop_bot
from fake_discord import FakeDiscord

PEOPLE, PER_PERSON = 60, 5  # 300 messages
KILL_AFTER = 100  # answers seen before the kill
FEELINGS = ("I feel calm tonight", "so happy today!", "I miss home", "a bit anxious")


def environment(fake: FakeDiscord, data_dir: Path) -> dict[str, str]:
    return bot_environment(
        data_dir, MOODTUNE_DISCORD_TOKEN=fake.token, MOODTUNE_DISCORD_API_URL=fake.api_url
    )


def answered(fake: FakeDiscord, messages: list[str]) -> int:
    return sum(1 for m in messages if fake.replies_to(m))


async def test_a_killed_bot_loses_nothing(catalog_database: Path, tmp_path: Path) -> None:
    shutil.copyfile(catalog_database, tmp_path / "moodtune.db")
    fake = FakeDiscord()
    await fake.start()
    env = environment(fake, tmp_path)
    process = await start_bot(env, tmp_path)
    try:
        await fake.ready(timeout=90)
        people = [fake.add_user(f"person{n}") for n in range(PEOPLE)]
        messages = [
            fake.push_message(person, FEELINGS[(n + round_) % len(FEELINGS)])
            for round_ in range(PER_PERSON)
            for n, person in enumerate(people)
        ]
        await fake.wait_for(lambda: answered(fake, messages) >= KILL_AFTER, timeout=180)
        await kill_bot(process)
        assert answered(fake, messages) < len(messages)  # killed in the middle of the burst
        process = await start_bot(env, tmp_path)
        await fake.wait_for(lambda: answered(fake, messages) == len(messages), timeout=240)
        await asyncio.sleep(1.0)  # anything answered twice would have arrived by now
        counts = [len(fake.replies_to(m)) for m in messages]
        assert counts == [1] * len(messages), f"{sum(c > 1 for c in counts)} answered twice"
        assert all(fake.replies_to(m)[0].components for m in messages), "an apology, not an answer"
    finally:
        log = await stop_bot(process)
        await fake.stop()
    assert "Traceback" not in log, log[-3000:]
    assert "answering" in log and "left from before the restart" in log
    assert fake.nonce_hits > 0  # answers sent again, shown once
