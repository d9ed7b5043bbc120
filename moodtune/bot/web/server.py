"""The web chat over HTTP: the page, its WebSocket, and uploads.

    GET  /            the page (and, for a browser without one, its person cookie)
    GET  /static/...  the page's script, style and icon
    GET  /ws          the WebSocket: JSON frames (moodtune.bot.web.protocol)
    POST /upload      a photo, voice note or file (moodtune.bot.web.uploads)

Transport only: who the browser is (identity), whether it may connect (security), and
turning frames into calls on WebChat (chat), which talks to the core.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from importlib.resources import files

from aiohttp import WSMsgType, web

from moodtune.bot.web.chat import WebChat, send_frame
from moodtune.bot.web.identity import COOKIE, MAX_AGE_SECONDS, PersonCookie
from moodtune.bot.web.protocol import (
    MAX_FRAME_BYTES,
    Frame,
    FrameError,
    PressFrame,
    parse_frame,
)
from moodtune.bot.web.render import View
from moodtune.bot.web.security import Guard, middleware
from moodtune.bot.web.uploads import UploadError, read_upload
from moodtune.handlers.replies import Sender

log = logging.getLogger(__name__)

MAX_BAD_FRAMES = 20  # malformed frames one page may send before it is disconnected
FRAMES_IN_FLIGHT = 8  # frames of one page being answered at once
HEARTBEAT_SECONDS = 30.0  # pings find pages that vanished without closing
CLOSE_NO_PERSON = 4401  # application close codes (4000-4999): the page reads them
CLOSE_BUSY = 4503
CLOSE_POLICY = 1008
STATIC = {
    "app.js": "text/javascript",
    "app.css": "text/css",
    "icon.svg": "image/svg+xml",
}
WEB_CHAT: web.AppKey[WebChat] = web.AppKey("web_chat", WebChat)


@dataclass(frozen=True, slots=True)
class Page:
    """The page's files, read once from the package."""

    index: bytes
    static: dict[str, bytes]

    @classmethod
    def load(cls) -> Page:
        folder = files("moodtune.bot.web") / "static"
        static = {name: (folder / name).read_bytes() for name in STATIC}
        return cls((folder / "index.html").read_bytes(), static)


class WebServer:
    def __init__(self, chat: WebChat, cookie: PersonCookie) -> None:
        self.chat = chat
        self.cookie = cookie
        self.guard = Guard(chat.settings)
        self.page = Page.load()

    def application(self) -> web.Application:
        app = web.Application(middlewares=[middleware(self.guard)])
        app[WEB_CHAT] = self.chat
        app.router.add_get("/", self.index)
        app.router.add_get("/static/{name}", self.static)
        app.router.add_get("/ws", self.websocket)
        app.router.add_post("/upload", self.upload)
        return app

    # The page.

    async def index(self, request: web.Request) -> web.StreamResponse:
        response = web.Response(body=self.page.index, content_type="text/html", charset="utf-8")
        response.headers["Cache-Control"] = "no-cache"
        if self.cookie.person_of(request.cookies.get(COOKIE)) is None:
            response.set_cookie(
                COOKIE,
                self.cookie.value_for(self.cookie.new_person()),
                max_age=MAX_AGE_SECONDS,
                path="/",
                httponly=True,
                samesite="Strict",
                secure=self.guard.secure_cookie(request),
            )
        return response

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in STATIC:
            return web.json_response({"type": "error", "text": "no such file"}, status=404)
        response = web.Response(body=self.page.static[name], content_type=STATIC[name])
        response.headers["Cache-Control"] = "no-cache"
        return response

    # Who is asking.

    def _sender(self, request: web.Request) -> Sender | None:
        person = self.cookie.person_of(request.cookies.get(COOKIE))
        if person is None:
            return None
        return self.chat.sender(person, request.headers.get("Accept-Language"))

    def _anyone(self, request: web.Request) -> Sender:
        """No one in particular, for a refusal in the browser's language."""
        return self.chat.sender("0", request.headers.get("Accept-Language"))

    def _refused(self, request: web.Request, key: str, status: int) -> web.Response:
        return web.json_response(self.chat.error(self._anyone(request), key), status=status)

    # The WebSocket.

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if not self.guard.origin_allowed(request):
            log.info("refused a WebSocket from origin %r", request.headers.get("Origin"))
            return self._refused(request, "web_other_origin", 403)
        # No per-message deflate: a reply is a few KB, and aiohttp compresses the bigger
        # ones in a thread, a hand-off per reply for little gain.
        page = web.WebSocketResponse(
            max_msg_size=MAX_FRAME_BYTES, heartbeat=HEARTBEAT_SECONDS, compress=False
        )
        await page.prepare(request)
        sender = self._sender(request)
        if sender is None:  # told over the socket: a browser cannot read a refused upgrade
            refusal = self.chat.error(self._anyone(request), "web_no_person")
            await self._close(page, refusal, CLOSE_NO_PERSON)
            return page
        refusal = self.chat.refusal(sender.user_id)
        if refusal is not None:
            await self._close(page, self.chat.error(sender, refusal), CLOSE_BUSY)
            return page
        self.chat.opened(sender, page)
        try:
            await send_frame(page, self.chat.hello(sender))
            await self._serve(page, sender)
        finally:
            self.chat.closed(sender, page)
        return page

    async def _serve(self, page: web.WebSocketResponse, sender: Sender) -> None:
        """Frames are answered concurrently, as other platforms' updates are (the page puts
        each answer under its own message): a person's second message does not wait for
        the first one's database write. At most FRAMES_IN_FLIGHT per page; beyond that the
        page's frames wait unread. Returns once every answer is sent (or its page gone)."""
        in_flight = asyncio.Semaphore(FRAMES_IN_FLIGHT)
        answering: set[asyncio.Task[None]] = set()
        bad_frames = 0
        try:
            async for message in page:
                if message.type is WSMsgType.TEXT:
                    try:
                        frame = parse_frame(message.data)
                    except FrameError as error:
                        bad_frames += 1
                        answer = self.chat.error(sender, "web_bad_frame", reason=str(error))
                        await send_frame(page, answer)
                    else:
                        await in_flight.acquire()
                        task = asyncio.create_task(self._answer(page, sender, frame, in_flight))
                        answering.add(task)
                        task.add_done_callback(answering.discard)
                elif message.type is WSMsgType.BINARY:
                    bad_frames += 1
                    answer = self.chat.error(sender, "web_bad_frame", reason="a binary frame")
                    await send_frame(page, answer)
                if bad_frames > MAX_BAD_FRAMES:
                    await page.close(code=CLOSE_POLICY, message=b"too many malformed frames")
        finally:
            if answering:
                await asyncio.wait(answering)

    async def _answer(
        self, page: web.WebSocketResponse, sender: Sender, frame: Frame, done: asyncio.Semaphore
    ) -> None:
        try:
            if isinstance(frame, PressFrame):
                answer = await self.chat.on_press(sender, frame)
            else:
                answer = await self.chat.on_text(sender, frame)
        except Exception:  # logged; the page hears an apology and the socket stays up
            log.exception("a web message failed")
            answer = self.chat.error(sender, "server_error", to=frame.id)
        finally:
            done.release()
        await send_frame(page, answer)

    @staticmethod
    async def _close(page: web.WebSocketResponse, frame: View, code: int) -> None:
        await send_frame(page, frame)
        await page.close(code=code)

    # Uploads.

    async def upload(self, request: web.Request) -> web.StreamResponse:
        if not self.guard.origin_allowed(request):
            return self._refused(request, "web_other_origin", 403)
        sender = self._sender(request)
        if sender is None:
            return self._refused(request, "web_no_person", 401)
        try:
            upload = await read_upload(request)
        except UploadError as error:
            frame = self.chat.error(sender, "web_bad_upload", reason=str(error))
            return web.json_response(frame, status=400)
        try:
            frame = await self.chat.on_upload(sender, upload)
        except Exception:
            log.exception("a web upload failed")
            frame = self.chat.error(sender, "server_error", to=upload.id)
            return web.json_response(frame, status=500)
        return web.json_response(frame)
