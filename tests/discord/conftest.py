"""The fake Discord for the tests here: a fresh one per test (`fake`), or moodtune's bot
connected to one and shared by a module's tests (`bot`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import discord
import pytest
import pytest_asyncio
from discord.gateway import DiscordWebSocket
from discord_harness import Harness, start_harness, stop_harness
from fake_discord import FakeDiscord


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(autouse=True, scope="session")
def discord_defaults() -> Iterator[tuple[str, object]]:
    """discord.py's own REST base and gateway, as it came. Tests point these process-wide
    attributes at their fake (each bot at its own, as it logs in); they are put back when
    the tests are done."""
    base, gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield base, gateway
    discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    catalog_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Harness]:
    """moodtune's Discord bot connected to a fake Discord, shared by one module's tests
    (each test uses its own people)."""
    harness = await start_harness(tmp_path_factory.mktemp("discord-bot"), catalog_database)
    yield harness
    await stop_harness(harness)
