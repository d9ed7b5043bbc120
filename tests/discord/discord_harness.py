"""The Discord connector on the fake Discord: the real discord.py client (moodtune's
DiscordBot), the moodtune App on a copy of the session's catalog database, the slash
commands synced, connected and READY. `restart` replaces the bot and the App (same
database, same fake Discord), as a redeploy would."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_discord import FakeDiscord, Guild, Sent

from moodtune.bot.app import App
from moodtune.bot.discord.client import DiscordBot
from moodtune.bot.discord.connector import DiscordConnector
from moodtune.config import Settings
from moodtune.handlers.dispatch import Handlers


def discord_settings(data_dir: Path, fake: FakeDiscord, **overrides: Any) -> Settings:
    """Settings for a test bot: nothing from the environment or a .env file."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "messages_per_minute": 20,
        "discord_token": fake.token,
        "discord_api_url": fake.api_url,
    }
    return Settings(_env_file=None, **{**values, **overrides})  # type: ignore[call-arg]


@dataclass
class Harness:
    fake: FakeDiscord
    settings: Settings
    app: App
    connector: DiscordConnector
    data_dir: Path
    server: Guild

    @property
    def bot(self) -> DiscordBot:
        return self.connector.bot

    async def ask(self, user_id: str, text: str = "", **options: Any) -> Sent:
        """A DM (or, with guild=…, a server message) and the bot's reply to it."""
        timeout = options.pop("timeout", 30.0)
        return await self.fake.reply_to(self.fake.push_message(user_id, text, **options), timeout)


async def connect(settings: Settings, app: App) -> DiscordConnector:
    """The connector as `moodtune run` starts it (a short wait for servers to arrive)."""
    connector = DiscordConnector(settings, Handlers(app), guild_ready_timeout=0.05)
    await connector.start()
    assert connector.bot.is_ready(), "the bot did not get READY from the fake Discord"
    return connector


async def start_harness(
    data_dir: Path, database: Path, fake: FakeDiscord | None = None, **overrides: Any
) -> Harness:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(database, data_dir / "moodtune.db")
    if fake is None:
        fake = FakeDiscord(message_content=overrides.get("discord_message_content", False))
        await fake.start()
    server = fake.add_guild("the server", [])
    settings = discord_settings(data_dir, fake, **overrides)
    app = await App.open(settings)
    connector = await connect(settings, app)
    await connector.bot.tree.sync()  # as `moodtune discord sync` does once, on request
    return Harness(fake, settings, app, connector, data_dir, server)


async def stop_bot(harness: Harness) -> None:
    await harness.connector.stop()
    await harness.app.close()


async def restart(harness: Harness) -> None:
    """A new process, as far as the bot knows: new client, new App, nothing in memory."""
    await stop_bot(harness)
    harness.app = await App.open(harness.settings)
    harness.connector = await connect(harness.settings, harness.app)


async def stop_harness(harness: Harness) -> None:
    await stop_bot(harness)
    await harness.fake.stop()
