"""Telegram as one of `moodtune run`'s connectors, sharing the process's App and core:
polling by default, a webhook when MOODTUNE_TELEGRAM_WEBHOOK_URL is set, every update
stored in the inbox before Telegram is told it arrived (intake.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from urllib.parse import urlsplit

from telegram.error import InvalidToken

from moodtune.bot.telegram.application import (
    CONCURRENT_UPDATES,
    build_application,
    reach_telegram,
    set_command_menu,
    webhook_secret,
)
from moodtune.bot.telegram.intake import ALLOWED_UPDATES, POLL_TIMEOUT, Intake
from moodtune.bot.telegram.webhook import Webhook
from moodtune.config import Settings
from moodtune.errors import ConfigurationError
from moodtune.handlers.dispatch import Handlers

log = logging.getLogger(__name__)
REFUSED = "Telegram refused the bot token: check MOODTUNE_TELEGRAM_TOKEN (from @BotFather)"
DRAIN_SECONDS = 30.0  # at a stop, how long updates being handled may take to finish


class TelegramConnector:
    name = "Telegram"

    def __init__(
        self,
        settings: Settings,
        handlers: Handlers,
        *,
        rate_limit: bool = True,
        poll_timeout: int = POLL_TIMEOUT,
    ) -> None:
        self.settings = settings
        self.secret = webhook_secret(settings) if settings.telegram_webhook_url else None
        self.application, self.bot = build_application(
            settings, handlers=handlers, rate_limit=rate_limit
        )
        self.intake = Intake(self.application, self.bot, handlers, CONCURRENT_UPDATES)
        self.poll_timeout = poll_timeout
        self._polling: asyncio.Task[None] | None = None
        self._webhook: Webhook | None = None

    @staticmethod
    async def precheck(settings: Settings) -> None:
        """Ask Telegram who the bot is before the App opens: no network, a refused token or
        an unusable proxy is then one line, before any database work."""
        if settings.telegram_webhook_url:
            webhook_secret(settings)  # a bad secret is named before anything else
        application, _ = build_application(settings)
        try:
            await reach_telegram(application, settings)
        except InvalidToken:
            raise ConfigurationError(REFUSED) from None
        finally:
            await application.bot.shutdown()

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self.application.bot.shutdown()  # its connections, open even after a refusal
            raise

    async def _start(self) -> None:
        application, settings = self.application, self.settings
        try:
            await reach_telegram(application, settings)  # no network: one line naming it
            await application.initialize()
        except InvalidToken:
            raise ConfigurationError(REFUSED) from None
        await set_command_menu(application)
        await application.start()
        await self.intake.replay(settings.inbox_stale_seconds)
        url = settings.telegram_webhook_url
        if url:
            assert self.secret is not None
            self._webhook = Webhook(self.intake, urlsplit(url).path, self.secret)
            await self._webhook.start(
                settings.telegram_webhook_listen, settings.telegram_webhook_port
            )
            await application.bot.set_webhook(
                url, secret_token=self.secret, allowed_updates=ALLOWED_UPDATES
            )
        else:
            await application.bot.delete_webhook()  # polling and a webhook exclude each other
            self._polling = asyncio.create_task(self.intake.poll(self.poll_timeout))
            self._polling.add_done_callback(_report_end)

    async def stop(self) -> None:
        """Stop taking updates, let those being handled finish (a while), then close."""
        if self._polling is not None:
            self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
        if self._webhook is not None:
            await self._webhook.stop()
        try:
            await asyncio.wait_for(self.intake.order.drain(), DRAIN_SECONDS)
        except TimeoutError:  # what is left is in the inbox, handled at the next start
            await self.intake.order.cancel()
        application = self.application
        if application.running:
            await application.stop()
        await application.shutdown()


def _report_end(polling: asyncio.Task[None]) -> None:
    if not polling.cancelled() and polling.exception() is not None:
        log.error("polling Telegram stopped", exc_info=polling.exception())
