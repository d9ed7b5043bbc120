"""The conversation over a real App: engines, the bundled catalog, a SQLite database.

Opening moodtune annotates the bundled catalog (seconds), so that happens once per test
session into a template file; each test opens an App on a copy of it.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from moodtune.bot.app import App
from moodtune.config import Settings
from moodtune.handlers.dispatch import Handlers


def app_settings(data_dir: Path) -> Settings:
    """Settings for a test App: nothing from the environment or a .env file."""
    return Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def catalog_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the bundled catalog annotated and loaded."""
    data_dir = tmp_path_factory.mktemp("handlers-template")

    async def build() -> None:
        app = await App.open(app_settings(data_dir))
        await app.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, build()).result()
    return data_dir / "moodtune.db"


@pytest.fixture
async def handlers(catalog_database: Path, tmp_path: Path) -> AsyncIterator[Handlers]:
    """The neutral handlers over an App on a copy of the catalog database."""
    data_dir = tmp_path / "app"
    data_dir.mkdir()
    shutil.copyfile(catalog_database, data_dir / "moodtune.db")
    app = await App.open(app_settings(data_dir))
    try:
        yield Handlers(app)
    finally:
        await app.close()
