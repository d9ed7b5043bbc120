"""The web chat as one of `moodtune run`'s connectors: it listens on MOODTUNE_WEB_HOST:
MOODTUNE_WEB_PORT (127.0.0.1:8080), prints its URL, and shares the process's App and
conversation core with the other connectors."""

from __future__ import annotations

from aiohttp import web

from moodtune.bot.redaction import redact_tokens
from moodtune.bot.web.chat import WebChat
from moodtune.bot.web.identity import PersonCookie, cookie_secret
from moodtune.bot.web.security import check_listen
from moodtune.bot.web.server import WebServer
from moodtune.config import Settings
from moodtune.errors import ConfigurationError
from moodtune.handlers.dispatch import Handlers

SHUTDOWN_SECONDS = 5.0  # what is being answered gets this long when the server stops


class WebConnector:
    name = "web chat"

    @staticmethod
    async def precheck(settings: Settings) -> None:
        """Before the database opens (bot/runner.py): a listening address beyond this
        machine that was not asked for is named at once."""
        check_listen(settings)

    def __init__(self, settings: Settings, handlers: Handlers) -> None:
        check_listen(settings)
        self.settings = settings
        self.handlers = handlers
        self.chat = WebChat(handlers)
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        """Listen (port 0: any free one), print the URL, and take the bot's own messages
        for web people (check-ins) from the core."""
        settings = self.settings
        secret = cookie_secret(settings)
        redact_tokens(secret.decode())
        server = WebServer(self.chat, PersonCookie(secret))
        runner = web.AppRunner(
            server.application(), access_log=None, shutdown_timeout=SHUTDOWN_SECONDS
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, settings.web_host, settings.web_port).start()
        except OSError as error:
            await runner.cleanup()
            raise ConfigurationError(
                f"the web chat cannot listen on {settings.web_host}:{settings.web_port} "
                f"({error.strerror or error}); set MOODTUNE_WEB_PORT to a free port"
            ) from None
        self.runner = runner
        port = runner.addresses[0][1]
        host = f"[{settings.web_host}]" if ":" in settings.web_host else settings.web_host
        self.url = f"http://{host}:{port}/"
        self.handlers.messenger.connect(self.chat)
        print(f"moodtune web chat: open {self.url} in your browser", flush=True)

    async def stop(self) -> None:
        self.handlers.messenger.disconnect(self.chat.platform)
        await self.chat.close_all()
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None
