"""The conversation core over a real App (SQLite copy of the catalog database, the real
engines), driven through the in-memory backend: one App per test module."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from memory_backend import MemoryBackend

from moodtune.bot.app import App
from moodtune.config import Settings
from moodtune.handlers.dispatch import Handlers


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def app(
    catalog_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[App]:
    data_dir = tmp_path_factory.mktemp("conversation")
    shutil.copyfile(catalog_database, data_dir / "moodtune.db")
    settings = Settings(_env_file=None, data_dir=data_dir, messages_per_minute=20)  # type: ignore[call-arg]
    opened = await App.open(settings)
    yield opened
    await opened.close()


@pytest.fixture
def handlers(app: App) -> Handlers:
    return Handlers(app)


@pytest.fixture
def backend(handlers: Handlers) -> MemoryBackend:
    return MemoryBackend(handlers)
