"""Telegram as one of `moodtune run`'s connectors: polling by default, a webhook when
MOODTUNE_TELEGRAM_WEBHOOK_URL is set, sharing the process's App and conversation core."""

from __future__ import annotations

from urllib.parse import urlsplit

from telegram.error import InvalidToken

from moodtune.bot.telegram.application import (
    ALLOWED_UPDATES,
    build_application,
    set_command_menu,
    webhook_secret,
)
from moodtune.config import Settings
from moodtune.errors import ConfigurationError
from moodtune.handlers.dispatch import Handlers


class TelegramConnector:
    name = "Telegram"

    def __init__(self, settings: Settings, handlers: Handlers) -> None:
        self.settings = settings
        self.secret = webhook_secret(settings) if settings.telegram_webhook_url else None
        self.application, self.bot = build_application(settings, handlers=handlers)

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self.application.bot.shutdown()  # its connections, open even after a refusal
            raise

    async def _start(self) -> None:
        application, settings = self.application, self.settings
        try:
            await application.initialize()  # asks Telegram who the bot is
        except InvalidToken:
            raise ConfigurationError(
                "Telegram refused the bot token: check MOODTUNE_TELEGRAM_TOKEN (from @BotFather)"
            ) from None
        await set_command_menu(application)
        updater = application.updater
        assert updater is not None  # built with one (build_application)
        url = settings.telegram_webhook_url
        if url:
            await updater.start_webhook(
                listen=settings.telegram_webhook_listen,
                port=settings.telegram_webhook_port,
                url_path=urlsplit(url).path.lstrip("/"),
                webhook_url=url,
                secret_token=self.secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await application.start()

    async def stop(self) -> None:
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
