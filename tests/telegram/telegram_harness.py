"""A polling bot on a fake Bot API server: the real python-telegram-bot Application, the
moodtune App on a copy of a catalog database, and the settings that tie them together."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_bot_api import FakeBotApi

from moodtune.bot.app import App
from moodtune.bot.telegram.connector import TelegramConnector
from moodtune.bot.telegram.handlers import TelegramBot
from moodtune.config import Settings
from moodtune.handlers.dispatch import Handlers

POLL_TIMEOUT = 1  # seconds a getUpdates long poll waits: short, so stopping is quick
MOODTUNE = [sys.executable, "-c", "from moodtune.bot.cli import main; main()"]
PROXY_VARIABLES = ("http_proxy", "https_proxy", "no_proxy", "all_proxy")


def telegram_settings(data_dir: Path, fake: FakeBotApi | None = None, **overrides: Any) -> Settings:
    """Settings for a test bot: nothing from the environment or a .env file."""
    values: dict[str, Any] = {"data_dir": data_dir, "messages_per_minute": 20}
    if fake is not None:
        values.update(
            telegram_token=fake.token,
            telegram_base_url=fake.base_url,
            telegram_base_file_url=fake.base_file_url,
        )
    return Settings(_env_file=None, **{**values, **overrides})  # type: ignore[call-arg]


def command_env(data_dir: Path, **values: str) -> dict[str, str]:
    """The environment for `moodtune` in its own process: this one without the MOODTUNE_
    settings and proxies it may have, with MOODTUNE_DATA_DIR and `values` instead."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("MOODTUNE_") and name.lower() not in PROXY_VARIABLES
    }
    return {**kept, "MOODTUNE_DATA_DIR": str(data_dir), **values}


@dataclass
class Harness:
    fake: FakeBotApi
    app: App
    application: Any
    bot: TelegramBot
    data_dir: Path
    connector: TelegramConnector


async def start_harness(
    data_dir: Path, database: Path, fake: FakeBotApi | None = None, **overrides: Any
) -> Harness:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(database, data_dir / "moodtune.db")
    fake = fake or FakeBotApi()
    await fake.start()
    rate_limit = overrides.pop("rate_limit", True)
    settings = telegram_settings(data_dir, fake, **overrides)
    app = await App.open(settings)
    connector = TelegramConnector(
        settings, Handlers(app), rate_limit=rate_limit, poll_timeout=POLL_TIMEOUT
    )
    await connector.start()
    return Harness(fake, app, connector.application, connector.bot, data_dir, connector)


async def stop_harness(harness: Harness) -> None:
    await harness.connector.stop()
    await harness.app.close()
    await harness.fake.stop()
