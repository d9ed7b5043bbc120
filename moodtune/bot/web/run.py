"""Starting and stopping the web chat: on its own (`moodtune run` with no platform token),
or beside the bots (MOODTUNE_WEB_ENABLED=true)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from aiohttp import web

from moodtune.bot.event_loop import run
from moodtune.bot.redaction import configure_logging, redact_tokens
from moodtune.bot.web.chat import WebChat
from moodtune.bot.web.identity import PersonCookie, cookie_secret
from moodtune.bot.web.security import check_listen
from moodtune.bot.web.server import WebServer
from moodtune.config import Settings
from moodtune.handlers.dispatch import Handlers

SHUTDOWN_SECONDS = 5.0  # open pages get this long to finish before the server stops


@dataclass
class RunningWebChat:
    url: str
    chat: WebChat
    runner: web.AppRunner

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_web_chat(settings: Settings, handlers: Handlers) -> RunningWebChat:
    """Listen on MOODTUNE_WEB_HOST:MOODTUNE_WEB_PORT (port 0: any free one)."""
    check_listen(settings)
    secret = cookie_secret(settings)
    redact_tokens(secret.decode())
    chat = WebChat(handlers)
    server = WebServer(chat, PersonCookie(secret))
    runner = web.AppRunner(server.application(), access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
    await runner.setup()
    site = web.TCPSite(runner, settings.web_host, settings.web_port)
    await site.start()
    port = runner.addresses[0][1]
    host = f"[{settings.web_host}]" if ":" in settings.web_host else settings.web_host
    return RunningWebChat(f"http://{host}:{port}/", chat, runner)


async def serve(
    settings: Settings, stop: asyncio.Event | None = None, started: threading.Event | None = None
) -> None:
    """Open moodtune and serve the web chat until `stop` is set (by default: SIGINT or
    SIGTERM), then close both. `started` is set once the URL is printed."""
    from moodtune.bot.app import App, freeze_startup_objects

    check_listen(settings)  # before the seconds App.open takes
    stop = stop or _stopped_by_signals()
    app = await App.open(settings, progress=True)
    try:
        running = await start_web_chat(settings, Handlers(app))
        try:
            print(f"moodtune web chat: open {running.url} in your browser", flush=True)
            freeze_startup_objects()
            if started is not None:
                started.set()
            await stop.wait()
        finally:
            await running.stop()
    finally:
        await app.close()


def _stopped_by_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C cancels instead
            loop.add_signal_handler(signum, stop.set)
    return stop


def run_web(settings: Settings) -> None:
    """`moodtune run` without a platform token: the web chat alone, in the foreground."""
    configure_logging()
    run(serve(settings))


@contextlib.contextmanager
def web_chat_beside(settings: Settings) -> Iterator[None]:
    """The web chat in a thread of its own while a bot runs in the foreground: started
    (database migrated, URL printed) before the bot starts, stopped after it stops.

    It has its own moodtune App on the same database; web people are not the bots'
    people, so neither App's memory of people goes stale because of the other."""
    started = threading.Event()
    handle: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
    failure: list[BaseException] = []

    async def main() -> None:
        stop = asyncio.Event()
        handle.append((asyncio.get_running_loop(), stop))
        await serve(settings, stop, started)

    def in_thread() -> None:
        try:
            run(main())
        except BaseException as error:  # handed over to the foreground thread
            failure.append(error)
        finally:
            started.set()

    thread = threading.Thread(target=in_thread, name="moodtune-web", daemon=True)
    thread.start()
    started.wait()
    if failure:
        raise failure[0]
    try:
        yield
    finally:
        loop, stop = handle[0]
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=SHUTDOWN_SECONDS + 5)
