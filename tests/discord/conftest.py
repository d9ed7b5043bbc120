"""The fake Discord for every test here: a fresh server on a free loopback port per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import discord
import pytest
import pytest_asyncio
from discord.gateway import DiscordWebSocket
from fake_discord import FakeDiscord


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(autouse=True)
def _discord_endpoints() -> Iterator[None]:
    """Tests point discord.py's process-wide REST base and gateway at their fake; put back
    Discord's own afterwards."""
    base, gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway
