"""Telegram's webhook, answered only once an update is stored: 200 when it is in the inbox,
503 while the database cannot take it (Telegram then delivers it again later), 403 without
the secret token Telegram was given, 400 for a body that is no update."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from aiohttp import web
from telegram import Update

from moodtune.bot.telegram.intake import Intake
from moodtune.storage.outage import is_outage

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # an update is a few kilobytes; files are fetched separately


class Webhook:
    def __init__(self, intake: Intake, path: str, secret: str) -> None:
        self.intake = intake
        self.path = "/" + path.lstrip("/")
        self.secret = secret
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self.path, self.receive)
        return app

    async def start(self, host: str, port: int) -> None:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=403, text="wrong secret token")
        try:
            data: Any = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400, text="not a Telegram update")
        try:
            update = Update.de_json(data, self.intake.application.bot)
        except (KeyError, TypeError, ValueError) as error:
            log.info("refused a malformed update: %s", error)
            return web.Response(status=400, text="malformed update")
        outage = self.intake.handlers.app.outage
        try:
            await self.intake.accept([update])
        except Exception as error:
            if not is_outage(error):
                raise
            outage.failed(error)
            return web.Response(status=503, text="try again later")
        outage.recovered()
        return web.Response(text="ok")
