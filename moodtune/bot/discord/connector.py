"""Discord as one of `moodtune run`'s connectors (sharing the process's App and core), and
`moodtune discord sync`, which registers the slash commands with Discord on request.

    MOODTUNE_DISCORD_TOKEN=…            the bot's token (Developer Portal → Bot)
    MOODTUNE_DISCORD_API_URL=…          another Discord-compatible API (default Discord's)
    MOODTUNE_DISCORD_PROXY=…            a proxy (else HTTPS_PROXY)
    MOODTUNE_DISCORD_MESSAGE_CONTENT=1  ask for the message-content intent
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from functools import partial
from typing import Any

import discord

from moodtune.bot.discord.client import DiscordBot
from moodtune.bot.discord.endpoints import discord_proxy
from moodtune.bot.discord.intake import send_reply
from moodtune.bot.redaction import redact_tokens
from moodtune.config import Settings
from moodtune.errors import ConfigurationError
from moodtune.handlers.dispatch import Handlers

log = logging.getLogger(__name__)
READY_SECONDS = 60.0  # how long `start` waits for the gateway's READY before going on
DRAIN_SECONDS = 30.0  # at a stop, how long messages being answered may take to finish


def discord_token(settings: Settings) -> str:
    """The token (and the proxy's password, if any), cut out of every log line from now on."""
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        raise ConfigurationError("set MOODTUNE_DISCORD_TOKEN to your bot's token")
    proxy = discord_proxy(settings)
    redact_tokens(token, *([proxy.password] if proxy and proxy.password else []))
    if proxy is not None:
        log.info("reaching Discord through the proxy %s (%s)", proxy.shown, proxy.source)
    return token


async def log_in(bot: DiscordBot, token: str) -> None:
    """Log in over HTTP (no gateway yet); a refused token says what to fix."""
    try:
        await bot.login(token)
    except discord.LoginFailure:
        await bot.close()
        raise ConfigurationError(
            "Discord refused the bot token: check MOODTUNE_DISCORD_TOKEN (Developer Portal → "
            "your application → Bot → Reset Token)"
        ) from None


def _refusal(error: BaseException) -> ConfigurationError | None:
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return ConfigurationError(
            "Discord refused the message-content intent: switch on Message Content Intent "
            "(Developer Portal → your application → Bot), or unset "
            "MOODTUNE_DISCORD_MESSAGE_CONTENT"
        )
    if isinstance(error, discord.ConnectionClosed) and error.code == 4004:
        return ConfigurationError("Discord refused the bot token: check MOODTUNE_DISCORD_TOKEN")
    return None


class DiscordConnector:
    name = "Discord"

    def __init__(self, settings: Settings, handlers: Handlers, **options: Any) -> None:
        self.token = discord_token(settings)
        self.bot = DiscordBot(settings, handlers, **options)
        self._running: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Log in, answer what the inbox kept, connect to the gateway, and wait for READY
        (or a refusal)."""
        await log_in(self.bot, self.token)
        # What was left from before a stop is answered first (over HTTP; new messages from
        # the gateway queue up behind it, channel by channel).
        send = partial(send_reply, self.bot)
        await self.bot.intake.replay(self.bot.settings.inbox_stale_seconds, send)
        self._running = asyncio.create_task(self.bot.connect())
        ready = asyncio.create_task(self.bot.wait_until_ready())
        await asyncio.wait({self._running, ready}, timeout=READY_SECONDS,
                           return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
        ready.cancel()
        if self._running.done():
            error = self._running.exception()
            await self.bot.close()
            refusal = _refusal(error) if error else None
            if refusal is not None:
                raise refusal
            raise ConfigurationError(f"Discord's gateway closed at once: {error!r}")
        if not self.bot.is_ready():
            log.warning("no READY from Discord's gateway yet; discord.py keeps trying")
        self._running.add_done_callback(_report_end)

    async def stop(self) -> None:
        """Stop taking events, let the messages being answered finish (a while), close."""
        self.bot.taking = False
        try:
            await asyncio.wait_for(self.bot.intake.order.drain(), DRAIN_SECONDS)
        except TimeoutError:  # what is left is in the inbox, answered at the next start
            await self.bot.intake.order.cancel()
        await self.bot.close()
        if self._running is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._running, 30)


def _report_end(running: asyncio.Task[None]) -> None:
    if not running.cancelled() and running.exception() is not None:
        log.error("the Discord connection ended", exc_info=running.exception())


async def sync_commands(settings: Settings, guild_id: int | None = None) -> list[str]:
    """Register the slash commands with Discord: globally (every server and DM; Discord
    takes a while to show changes everywhere), or in one server (at once). Logs in over
    HTTP only: no gateway connection, nothing else is touched."""
    token = discord_token(settings)
    bot = DiscordBot(settings)
    try:
        await log_in(bot, token)
        guild = discord.Object(guild_id) if guild_id is not None else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        try:
            synced = await bot.tree.sync(guild=guild)
        except discord.Forbidden as error:
            raise ConfigurationError(
                f"Discord refused the commands for server {guild_id}: invite the bot there "
                "with the applications.commands scope first"
            ) from error
        return [command.name for command in synced]
    finally:
        await bot.close()
