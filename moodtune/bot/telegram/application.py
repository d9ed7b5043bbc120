"""The Telegram bot on python-telegram-bot 22: polling by default, a webhook in production.

    moodtune run    # with MOODTUNE_TELEGRAM_TOKEN set (and MOODTUNE_TELEGRAM_WEBHOOK_URL
                    # for webhook mode)

The Bot API base URLs are settings, for people who run their own telegram-bot-api server
(and for the tests, which run a fake one on loopback). Telegram is reached through a proxy
when one is configured (see proxy.py), and asked once who the bot is before anything else
starts, so that no network or a refused token is one line, not a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import AIORateLimiter, Application, ExtBot

from moodtune.bot.event_loop import new_event_loop
from moodtune.bot.redaction import configure_logging, redact_tokens
from moodtune.bot.telegram.delivery import deliver
from moodtune.bot.telegram.handlers import TelegramBot
from moodtune.bot.telegram.http import AiohttpRequest
from moodtune.bot.telegram.proxy import Proxy, choose_proxy, without_credentials
from moodtune.config import Settings
from moodtune.errors import ConfigurationError
from moodtune.handlers.commands import command_menu
from moodtune.handlers.conversation import Services
from moodtune.handlers.dispatch import Handlers

CONCURRENT_UPDATES = 64  # updates handled at once; the rest wait their turn in order
CONNECTIONS = 16  # to the Bot API: enough to keep a burst's replies flowing
POOL_TIMEOUT = 30.0  # seconds a send waits for a free connection under a burst
RATE_LIMIT_RETRIES = 3  # flood-control (429) answers retried by the rate limiter
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
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
    settings: Settings, app: Services | None = None, *, rate_limit: bool = True
) -> tuple[TelegramApplication, TelegramBot]:
    """The python-telegram-bot Application, with moodtune's handlers registered.

    With `app` None, the moodtune App (database, catalog, engines) is opened when the
    Application starts and closed when it stops, on the Application's own event loop.
    `rate_limit=False` turns off Telegram's flood limits (benchmarks against a fake server).
    """
    token = _token(settings)
    proxy = telegram_proxy(settings)
    redact_tokens(token, *([proxy.password] if proxy and proxy.password else []))
    bot = TelegramBot(Handlers(app) if app is not None else None)
    api = ExtBot(
        token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        request=AiohttpRequest(CONNECTIONS, pool_timeout=POOL_TIMEOUT, proxy=proxy),
        get_updates_request=AiohttpRequest(proxy=proxy),
        rate_limiter=AIORateLimiter(max_retries=RATE_LIMIT_RETRIES) if rate_limit else None,
    )
    lifecycle = _Lifecycle(settings, bot)
    application = (
        Application.builder()
        .bot(api)
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(lifecycle.open)
        .post_shutdown(lifecycle.close)
        .build()
    )
    bot.register(application)
    return application, bot


class _Lifecycle:
    """Opens the moodtune App when the Application starts (unless given one), shows the
    commands in Telegram's menu, and closes the App it opened when the Application stops."""

    def __init__(self, settings: Settings, bot: TelegramBot) -> None:
        self.settings = settings
        self.bot = bot
        self.app: Any = None

    async def open(self, application: TelegramApplication) -> None:
        from moodtune.bot.app import App, freeze_startup_objects

        if self.bot.attached is None:
            self.app = await App.open(self.settings)
            self.bot.attach(Handlers(self.app))
        await set_command_menu(application)
        freeze_startup_objects()

    async def close(self, application: TelegramApplication) -> None:
        if self.app is not None:
            await self.app.close()


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


def run_telegram(settings: Settings) -> None:
    """Run until interrupted: a webhook when MOODTUNE_TELEGRAM_WEBHOOK_URL is set, else polling."""
    url = settings.telegram_webhook_url
    secret = webhook_secret(settings) if url else None  # a bad setting fails before starting
    configure_logging()
    application, _ = build_application(settings)
    asyncio.set_event_loop(new_event_loop())  # python-telegram-bot runs on the current loop
    try:
        asyncio.get_event_loop().run_until_complete(reach_telegram(application, settings))
        if not url:
            application.run_polling(allowed_updates=ALLOWED_UPDATES, close_loop=False)
            return
        application.run_webhook(
            listen=settings.telegram_webhook_listen,
            port=settings.telegram_webhook_port,
            url_path=urlsplit(url).path.lstrip("/"),
            webhook_url=url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            close_loop=False,
        )
    except InvalidToken:
        raise ConfigurationError(
            "Telegram refused the bot token: check MOODTUNE_TELEGRAM_TOKEN (from @BotFather)"
        ) from None
    except NetworkError as error:  # lost between the first call and polling
        raise unreachable(settings, error) from None
    finally:
        _close_connections(application)


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


def _close_connections(application: TelegramApplication) -> None:
    """Close the Bot API connections and the event loop. PTB closes the connections only
    after a start, so a refused token would leave them open (and aiohttp complaining)."""
    loop = asyncio.get_event_loop()
    loop.run_until_complete(application.bot.shutdown())  # does nothing when already closed
    loop.close()
