"""`moodtune run` with a token: the real command in its own process, polling the fake
Bot API, answering a message, stopping cleanly on Ctrl-C, and never printing the token."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest
from fake_bot_api import FakeBotApi
from typer.testing import CliRunner

from moodtune.bot.cli import cli
from moodtune.config import get_settings

MOODTUNE = [sys.executable, "-c", "from moodtune.bot.cli import main; main()"]


async def test_moodtune_run_polls_answers_and_stops(catalog_database: Path, tmp_path: Path) -> None:
    shutil.copyfile(catalog_database, tmp_path / "moodtune.db")
    fake = FakeBotApi()
    await fake.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOODTUNE_")},
        "MOODTUNE_DATA_DIR": str(tmp_path),
        "MOODTUNE_TELEGRAM_TOKEN": fake.token,
        "MOODTUNE_TELEGRAM_BASE_URL": fake.base_url,
        "MOODTUNE_TELEGRAM_BASE_FILE_URL": fake.base_file_url,
    }
    process = await asyncio.create_subprocess_exec(
        *MOODTUNE, "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        reply = await fake.reply_to(fake.push_text(501, "I feel happy and light"), timeout=90)
        assert "Tracks for you:" in reply["text"]
        assert fake.calls_of("deleteWebhook")  # polling mode
        menus = {c.params.get("language_code"): c.params["commands"]
                 for c in fake.calls_of("setMyCommands")}  # fmt: skip
        assert [c["command"] for c in menus[None]] == [
            "start", "help", "mode", "mood", "export", "forget", "privacy", "playlist",
            "checkin",
        ]  # fmt: skip
        assert menus["zh"][3] == {"command": "mood", "description": "最近 30 天的心情图"}
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
        await fake.stop()
    assert process.returncode == 0, stderr.decode()
    log = stderr.decode()
    assert "Traceback" not in log
    assert fake.token not in log and fake.token.split(":")[1] not in log


async def test_a_token_telegram_refuses_is_named(tmp_path: Path) -> None:
    fake = FakeBotApi()
    await fake.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOODTUNE_")},
        "MOODTUNE_DATA_DIR": str(tmp_path),
        "MOODTUNE_TELEGRAM_TOKEN": "42:not-the-right-token",
        "MOODTUNE_TELEGRAM_BASE_URL": fake.base_url,
    }
    try:
        process = await asyncio.create_subprocess_exec(
            *MOODTUNE, "run", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        await fake.stop()
    assert process.returncode == 1
    log = stderr.decode()
    [line] = log.strip().splitlines()  # asked before anything starts: no traceback logged
    assert line.startswith("moodtune: Telegram refused the bot token")
    assert "not-the-right-token" not in log


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MOODTUNE_TELEGRAM_TOKEN": "123:abc", "MOODTUNE_TELEGRAM_WEBHOOK_URL":
          "https://example.org/hook", "MOODTUNE_TELEGRAM_WEBHOOK_SECRET": "not ok!"},
         "MOODTUNE_TELEGRAM_WEBHOOK_SECRET"),
        ({"MOODTUNE_TELEGRAM_TOKEN": "   "}, "MOODTUNE_TELEGRAM_TOKEN"),
    ],
)  # fmt: skip
def test_a_bad_telegram_setup_is_named(
    env: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
