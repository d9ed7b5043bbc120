"""`moodtune run`: one process, one App, every configured connector.

Telegram starts when MOODTUNE_TELEGRAM_TOKEN is set, Discord when MOODTUNE_DISCORD_TOKEN is
(both may be), the web chat when MOODTUNE_WEB_ENABLED is set or no platform has a token;
they share the App (database, catalog, engines, people in memory), the conversation core
and the daily check-in scheduler.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from typing import Protocol

from moodtune.bot.app import App, freeze_startup_objects
from moodtune.bot.scheduler import CheckinScheduler
from moodtune.config import Settings
from moodtune.handlers.dispatch import Handlers

log = logging.getLogger(__name__)
PRUNE_EVERY_SECONDS = 3600.0


class Connector(Protocol):
    """A platform's connection, started once the App is open and stopped before it closes."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


ConnectorFactory = Callable[[Settings, Handlers], Connector]


def configured(settings: Settings) -> list[ConnectorFactory]:
    """The connectors the settings ask for, in start order: every platform with a token,
    and the web chat beside them when enabled, or alone when no platform has a token."""
    factories: list[ConnectorFactory] = []
    if settings.telegram_token is not None:
        from moodtune.bot.telegram.connector import TelegramConnector

        factories.append(TelegramConnector)
    if settings.discord_token is not None:
        from moodtune.bot.discord.connector import DiscordConnector

        factories.append(DiscordConnector)
    if not factories or settings.web_enabled:
        from moodtune.bot.web import WebConnector

        factories.append(WebConnector)
    return factories


async def serve(
    settings: Settings, factories: list[ConnectorFactory], stop: asyncio.Event | None = None
) -> None:
    """Open the App, start each connector, run until `stop` is set (SIGINT / SIGTERM by
    default), then stop them in reverse order and close the App."""
    stop = stop or _stop_on_signals()
    for factory in factories:  # a platform that cannot be reached is named before anything
        precheck = getattr(factory, "precheck", None)
        if precheck is not None:
            await precheck(settings)
    app = await App.open(settings)
    handlers = Handlers(app)
    started: list[Connector] = []
    scheduler: CheckinScheduler | None = None
    try:
        for factory in factories:
            connector = factory(settings, handlers)
            await connector.start()
            started.append(connector)
            log.info("%s connector started", connector.name)
        messenger = handlers.messenger
        outbounds = {platform: messenger.outbound(platform) for platform in messenger.platforms}
        scheduler = CheckinScheduler.for_app(app, outbounds)  # daily check-ins, every connector
        scheduler.start()
        pruning = asyncio.create_task(_prune_inbox(handlers))
        freeze_startup_objects()
        await stop.wait()
        pruning.cancel()
    finally:
        if scheduler is not None:
            await scheduler.stop()
        for connector in reversed(started):
            try:
                await connector.stop()
            except Exception:  # the others still stop, and the App still closes
                log.exception("%s connector did not stop cleanly", connector.name)
        await app.close()


async def _prune_inbox(handlers: Handlers) -> None:
    """Now and every hour: done inbox events older than a day deleted (the words people
    sent are kept no longer than needed to recognise a late re-delivery)."""
    while True:
        try:
            await handlers.prune_inbox()
        except Exception as error:  # a database away now: the next hour tries again
            log.warning("could not prune the inbox: %s", error)
        await asyncio.sleep(PRUNE_EVERY_SECONDS)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            # Windows' event loops cannot: Ctrl-C still interrupts there.
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(getattr(signal, name), stop.set)
    return stop
