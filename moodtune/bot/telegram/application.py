"""The Telegram bot on python-telegram-bot 22: polling by default, a webhook in production.

    moodtune run    # with MOODTUNE_TELEGRAM_TOKEN set (and MOODTUNE_TELEGRAM_WEBHOOK_URL
                    # for webhook mode)

The Bot API base URLs are settings, for people who run their own telegram-bot-api server
(and for the tests, which run a fake one on loopback). Telegram is reached through a proxy
when one is configured (see proxy.py), and asked once who the bot is before anything else
starts, so that no network or a refused token is one line, not a traceback.
"""

from __future__ import annotations

import logging
import re
import secrets
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand
from telegram.error import NetworkError
from telegram.ext import AIORateLimiter, Application, ExtBot

from moodtune.bot.proxy import Proxy, choose_proxy, without_credentials
from moodtune.bot.redaction import redact_tokens
from moodtune.bot.telegram.delivery import deliver
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
PROXY_SETTING = "MOODTUNE_TELEGRAM_PROXY"

log = logging.getLogger(__name__)

TelegramApplication = Application[Any, Any, Any, Any, Any, Any]


def _token(settings: Settings) -> str:
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        raise ConfigurationError("set MOODTUNE_TELEGRAM_TOKEN to your bot's token")
    return token


def telegram_proxy(settings: Settings) -> Proxy | None:
    """The proxy to Telegram (ConfigurationError for one that cannot be used)."""
    configured = settings.telegram_proxy.get_secret_value() if settings.telegram_proxy else None
    return choose_proxy(settings.telegram_base_url, configured, PROXY_SETTING)


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
    proxy = telegram_proxy(settings)
    redact_tokens(token, *([proxy.password] if proxy and proxy.password else []))
    if handlers is None and app is not None:
        handlers = Handlers(app)
    bot = TelegramBot(handlers)
    api = ExtBot(
        token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        request=AiohttpRequest(CONNECTIONS, pool_timeout=POOL_TIMEOUT, proxy=proxy),
        get_updates_request=AiohttpRequest(proxy=proxy),
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


async def reach_telegram(application: TelegramApplication, settings: Settings) -> None:
    """Ask Telegram who the bot is (what python-telegram-bot's start does first), so that
    no network is one line naming what failed, before the moodtune App is opened."""
    try:
        await application.bot.initialize()  # a refused token: InvalidToken, named by the caller
    except NetworkError as error:  # timeouts included
        raise unreachable(settings, error) from None
    proxy = telegram_proxy(settings)
    if proxy is not None:
        log.info("reached Telegram through the proxy %s (%s)", proxy.shown, proxy.source)


def unreachable(settings: Settings, error: NetworkError) -> ConfigurationError:
    api = urlsplit(settings.telegram_base_url)
    where = without_credentials(f"{api.scheme}://{api.netloc}")
    proxy = telegram_proxy(settings)
    through = f" through the proxy {proxy.shown} ({proxy.source})" if proxy else ""
    reason = error.message
    if proxy is not None and proxy.password:
        reason = reason.replace(proxy.password, "<password>")
    return ConfigurationError(
        f"cannot reach Telegram at {where}{through}: {reason}; "
        f"check your network or {PROXY_SETTING}"
    )
