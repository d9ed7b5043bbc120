"""The Telegram bot on python-telegram-bot 22: polling by default, a webhook in production.

    moodtune run    # with MOODTUNE_TELEGRAM_TOKEN set (and MOODTUNE_TELEGRAM_WEBHOOK_URL
                    # for webhook mode)

The Bot API base URLs are settings, for people who run their own telegram-bot-api server
(and for the tests, which run a fake one on loopback).
"""

from __future__ import annotations

import re
import secrets
from functools import partial
from typing import Any

from telegram import BotCommand
from telegram.ext import AIORateLimiter, Application

from moodtune.bot.redaction import redact_tokens
from moodtune.bot.telegram.delivery import EchoFreeBot, deliver
from moodtune.bot.telegram.handlers import TelegramBot
from moodtune.bot.telegram.http import AiohttpRequest
from moodtune.config import Settings
from moodtune.errors import ConfigurationError
from moodtune.handlers.commands import command_menu
from moodtune.handlers.conversation import Services
from moodtune.handlers.dispatch import Handlers

CONCURRENT_UPDATES = 64  # updates handled at once (in order per chat); the rest wait
CONNECTIONS = 16  # to the Bot API: enough to keep a burst's replies flowing
POOL_TIMEOUT = 30.0  # seconds a send waits for a free connection under a burst
RATE_LIMIT_RETRIES = 3  # flood-control (429) answers retried by the rate limiter
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")

TelegramApplication = Application[Any, Any, Any, Any, Any, Any]


def _token(settings: Settings) -> str:
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        raise ConfigurationError("set MOODTUNE_TELEGRAM_TOKEN to your bot's token")
    return token


def build_application(
    settings: Settings,
    app: Services | None = None,
    *,
    rate_limit: bool = True,
    handlers: Handlers | None = None,
) -> tuple[TelegramApplication, TelegramBot]:
    """The python-telegram-bot Application, with the conversation core (`handlers`, or one
    made over `app`) behind it; `moodtune run` starts it (bot/telegram/connector.py).
    `rate_limit=False` turns off Telegram's flood limits (benchmarks against a fake server).
    """
    token = _token(settings)
    redact_tokens(token)
    if handlers is None and app is not None:
        handlers = Handlers(app)
    bot = TelegramBot(handlers)
    api = EchoFreeBot(
        token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        request=AiohttpRequest(CONNECTIONS, pool_timeout=POOL_TIMEOUT),
        get_updates_request=AiohttpRequest(),
        rate_limiter=AIORateLimiter(max_retries=RATE_LIMIT_RETRIES) if rate_limit else None,
    )
    # No Updater: updates come in through intake.py, stored before they are acknowledged.
    application = Application.builder().bot(api).updater(None).build()
    bot.register(application)
    return application, bot


async def set_command_menu(application: TelegramApplication) -> None:
    """The commands with a line each, in English and (for Chinese apps) in Chinese."""
    for code in (None, "zh"):
        commands = [BotCommand(name, text) for name, text in command_menu(code or "en")]
        send = partial(application.bot.set_my_commands, commands, language_code=code)
        await deliver(send, "command menu")


def webhook_secret(settings: Settings) -> str:
    """The configured secret token, or a fresh random one (set with the webhook each start)."""
    if settings.telegram_webhook_secret is None:
        return secrets.token_urlsafe(32)
    secret = settings.telegram_webhook_secret.get_secret_value()
    if not _SECRET.fullmatch(secret):
        raise ConfigurationError(
            "MOODTUNE_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
        )
    return secret
