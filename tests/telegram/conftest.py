"""The real python-telegram-bot Application against the fake Bot API, one per test module.

Each module copies the session's catalog database (tests/conftest.py), starts a fake server
and an Application polling it, and shares them between its tests (each test uses its own
people).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from telegram_harness import PROXY_VARIABLES, Harness, start_harness, stop_harness

from moodtune.bot.telegram.delivery import ignore_the_method_preference


@pytest.fixture(autouse=True)
def _telegram_as_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the machine running the tests (a test names its own), and the one
    warning filter the bot sets when imported, which pytest takes back after each test."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    ignore_the_method_preference()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    catalog_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Harness]:
    """A polling bot on a fake server and a copy of the catalog database, for one module."""
    harness = await start_harness(tmp_path_factory.mktemp("telegram-bot"), catalog_database)
    yield harness
    await stop_harness(harness)
