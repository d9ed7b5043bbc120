"""AiohttpRequest, python-telegram-bot's transport on aiohttp, against small aiohttp servers
on 127.0.0.1: JSON bodies, multipart uploads, timeouts, refused connections, its life cycle.
Requests are made as python-telegram-bot makes them, through a Bot's public do_api_request."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TimedOut
from telegram.warnings import PTBUserWarning

from moodtune.bot.redaction import REDACTED, redact_tokens
from moodtune.bot.telegram.http import AiohttpRequest

TOKEN = "42:http-transport-test-token"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MARKUP = InlineKeyboardMarkup([[InlineKeyboardButton("👍 1", callback_data="v:7:1")]])
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@asynccontextmanager
async def serving(handler: Handler) -> AsyncIterator[str]:
    """A server on a free loopback port answering every POST with `handler`; its bot URL."""
    app = web.Application()
    app.router.add_post("/{path:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/bot{TOKEN}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def transport(**timeouts: Any) -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(**timeouts)
    await request.initialize()
    try:
        yield request
    finally:
        await request.shutdown()


async def call(http: AiohttpRequest, url: str, **parameters: Any) -> Any:
    """`url` (.../bot<token>/<method>) called with `parameters` by a Bot on transport `http`."""
    base, _, method = url.rpartition("/")
    bot = Bot(TOKEN, base_url=base.removesuffix(TOKEN), request=http, get_updates_request=http)
    with warnings.catch_warnings():  # PTB would rather we used its send_message etc.
        warnings.simplefilter("ignore", PTBUserWarning)
        return await bot.do_api_request(method, parameters)


def recording(seen: list[dict[str, Any]]) -> Handler:
    """A handler that keeps what each request carried and answers {"ok": true}."""

    async def handle(request: web.Request) -> web.Response:
        entry: dict[str, Any] = {"path": request.path, "type": request.content_type}
        if request.content_type == "application/json":
            entry["json"] = await request.json()
        else:
            form = await request.post()
            entry["form"] = {
                name: (value.filename, value.content_type, value.file.read())
                if isinstance(value, web.FileField) else value
                for name, value in form.items()
            }  # fmt: skip
        seen.append(entry)
        return web.json_response({"ok": True, "result": True})

    return handle


async def test_a_json_body_keeps_nested_objects(caplog: pytest.LogCaptureFixture) -> None:
    redact_tokens(TOKEN)
    caplog.set_level(logging.DEBUG, logger="moodtune.bot.telegram.http")
    seen: list[dict[str, Any]] = []
    async with serving(recording(seen)) as url, transport() as http:
        sent = await call(http, f"{url}/sendMessage", chat_id=5, text="Tracks for you: 🎵",
                          reply_markup=MARKUP)  # fmt: skip
        assert sent is True
    assert seen == [{
        "path": f"/bot{TOKEN}/sendMessage", "type": "application/json",
        "json": {"chat_id": 5, "text": "Tracks for you: 🎵", "reply_markup": {
            "inline_keyboard": [[{"text": "👍 1", "callback_data": "v:7:1"}]]}},
    }]  # fmt: skip
    [line] = [r.getMessage() for r in caplog.records if "sendMessage" in r.getMessage()]
    assert TOKEN not in line and REDACTED in line and "HTTP 200" in line


async def test_a_file_goes_as_multipart_with_its_name_and_type() -> None:
    seen: list[dict[str, Any]] = []
    async with serving(recording(seen)) as url, transport() as http:
        photo = InputFile(PNG, filename="mood.png")
        sent = await call(http, f"{url}/sendPhoto", chat_id=5, photo=photo, reply_markup=MARKUP)
        assert sent is True
    [entry] = seen
    assert entry["type"] == "multipart/form-data"
    assert entry["form"]["photo"] == ("mood.png", "image/png", PNG)
    assert entry["form"]["chat_id"] == "5"
    assert json.loads(entry["form"]["reply_markup"]) == MARKUP.to_dict()


async def test_a_server_that_never_answers_times_out() -> None:
    release = asyncio.Event()

    async def silent(_request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response({"ok": True, "result": True})

    async with serving(silent) as url, transport(read_timeout=0.2) as http:
        try:
            async with asyncio.timeout(10):  # a guard against hanging, not a measurement
                with pytest.raises(TimedOut, match="getUpdates"):
                    await call(http, f"{url}/getUpdates", timeout=0)
        finally:
            release.set()


async def test_a_closed_port_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free once the socket closes, and nobody listens
    async with transport() as http:
        with pytest.raises(NetworkError) as raised:
            await call(http, f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    assert not isinstance(raised.value, TimedOut)


async def test_the_life_cycle() -> None:
    http = AiohttpRequest()
    await http.shutdown()  # before initialize(): nothing to close
    with pytest.raises(RuntimeError, match="not initialized"):
        await http.do_request("http://127.0.0.1:9/botX/getMe", "POST")
    seen: list[dict[str, Any]] = []
    async with serving(recording(seen)) as url:
        await http.initialize()
        assert (await http.do_request(f"{url}/getMe", "POST"))[0] == 200
        await http.shutdown()
        await http.shutdown()
        with pytest.raises(RuntimeError, match="not initialized"):
            await http.do_request(f"{url}/getMe", "POST")
        await http.initialize()  # a shut-down transport can be started again
        assert (await http.do_request(f"{url}/getMe", "POST"))[0] == 200
        await http.shutdown()
    assert len(seen) == 2
