"""The web chat on loopback, one server per test module (opening moodtune takes seconds);
each test opens its own pages, and each page is a person of its own."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import pytest_asyncio
from web_harness import WebHarness, start_web, stop_web, web_settings

from moodtune.bot.app import App

# Real media (espeak-ng speech as OGG/Opus, sample photos) as the Telegram tests make them.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "telegram"))


@pytest.fixture(scope="session")
def web_catalog_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the bundled catalog annotated and loaded, made once."""
    data_dir = tmp_path_factory.mktemp("web-template")

    async def build() -> None:
        app = await App.open(web_settings(data_dir))
        await app.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, build()).result()
    return data_dir / "moodtune.db"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def web(
    web_catalog_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[WebHarness]:
    harness = await start_web(tmp_path_factory.mktemp("web-chat"), web_catalog_database)
    yield harness
    await stop_web(harness)
