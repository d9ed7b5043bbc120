"""discord.py's own Client on the fake Discord, with nothing of moodtune's but where it
connects (moodtune.bot.discord.endpoints): what the fake's faithfulness is tested with."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import discord
from discord import app_commands
from fake_discord import FakeDiscord

from moodtune.bot.discord.endpoints import use_api, use_gateway_of


def intents(message_content: bool = True) -> discord.Intents:
    chosen = discord.Intents.default()
    chosen.message_content = message_content
    return chosen


class PlainClient(discord.Client):
    """Echoes every message it may read, and keeps what it received."""

    def __init__(self, message_content: bool = True, **options: Any) -> None:
        options = {"guild_ready_timeout": 0.05, "chunk_guilds_at_startup": False, **options}
        super().__init__(intents=intents(message_content), **options)
        self.tree = app_commands.CommandTree(self)
        self.received: list[discord.Message] = []

    async def setup_hook(self) -> None:
        await use_gateway_of(self)

    async def on_message(self, message: discord.Message) -> None:
        if message.author == self.user:
            return
        self.received.append(message)
        await message.reply(f"echo: {message.content}")


@contextlib.asynccontextmanager
async def running(client: discord.Client, fake: FakeDiscord) -> AsyncIterator[asyncio.Task[None]]:
    """Log in to the fake, connect, wait for READY; close afterwards. Yields the task that
    runs `connect()` (done early if the gateway refused the client)."""
    use_api(fake.api_url)
    await client.login(fake.token)
    task = asyncio.create_task(client.connect())
    ready = asyncio.create_task(client.wait_until_ready())
    await asyncio.wait({task, ready}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    ready.cancel()
    try:
        yield task
    finally:
        await client.close()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
