"""The real python-telegram-bot Application against the fake Bot API, one per test module.

Opening moodtune annotates the bundled catalog (seconds), so that happens once per test
session into a template SQLite file; each module copies it, starts a fake server and an
Application polling it, and shares them between its tests (each test uses its own people).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from fake_bot_api import FakeBotApi

from moodtune.bot.app import App
from moodtune.bot.telegram import build_application
from moodtune.bot.telegram_handlers import TelegramBot
from moodtune.config import Settings

POLL_TIMEOUT = 1  # seconds a getUpdates long poll waits: short, so stopping is quick


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


@pytest.fixture(scope="session")
def catalog_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the bundled catalog annotated and loaded."""
    data_dir = tmp_path_factory.mktemp("telegram-template")

    async def build() -> None:
        app = await App.open(telegram_settings(data_dir))
        await app.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, build()).result()
    return data_dir / "moodtune.db"


@dataclass
class Harness:
    fake: FakeBotApi
    app: App
    application: Any
    bot: TelegramBot
    data_dir: Path


async def start_harness(data_dir: Path, database: Path, **overrides: Any) -> Harness:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(database, data_dir / "moodtune.db")
    fake = FakeBotApi()
    await fake.start()
    rate_limit = overrides.pop("rate_limit", True)
    settings = telegram_settings(data_dir, fake, **overrides)
    app = await App.open(settings)
    application, bot = build_application(settings, app, rate_limit=rate_limit)
    await application.initialize()
    await application.updater.start_polling(poll_interval=0, timeout=POLL_TIMEOUT)
    await application.start()
    return Harness(fake, app, application, bot, data_dir)


async def stop_harness(harness: Harness) -> None:
    await harness.application.updater.stop()
    await harness.application.stop()
    await harness.application.shutdown()
    await harness.app.close()
    await harness.fake.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    catalog_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Harness]:
    """A polling bot on a fake server and a copy of the catalog database, for one module."""
    harness = await start_harness(tmp_path_factory.mktemp("telegram-bot"), catalog_database)
    yield harness
    await stop_harness(harness)
