"""The web chat on loopback for tests: the real aiohttp server with the moodtune App on a
copy of a catalog database, and a page played by a script (aiohttp's client speaking the
page's protocol: a cookie from GET /, a WebSocket with the page's Origin, uploads)."""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select
from yarl import URL

from moodtune.bot.app import App
from moodtune.bot.web import WebConnector
from moodtune.bot.web.identity import COOKIE
from moodtune.config import Settings
from moodtune.handlers.dispatch import Handlers
from moodtune.storage.models import Feedback, MoodReading, Person, Recommendation

REPLY_TIMEOUT = 60.0  # a first photo or voice note loads its engine


def web_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a test server: any free port, nothing from the environment or .env."""
    values: dict[str, Any] = {"data_dir": data_dir, "web_port": 0, "messages_per_minute": 20}
    return Settings(_env_file=None, **{**values, **overrides})  # type: ignore[call-arg]


@dataclass
class WebHarness:
    app: App
    connector: WebConnector
    data_dir: Path

    @property
    def url(self) -> str:
        return self.connector.url

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

    async def rows_of(self, person: str) -> dict[str, int]:
        """How many rows of each kind the database holds about a web person."""
        async with self.app.sessions() as session:
            found = await session.scalar(
                select(Person.id).where(Person.platform == "web", Person.platform_user_id == person)
            )
            if found is None:
                return {"person": 0, "moods": 0, "offers": 0, "thumbs": 0}
            counts = {"person": 1}
            for name, model in (
                ("moods", MoodReading), ("offers", Recommendation), ("thumbs", Feedback),
            ):  # fmt: skip
                query = select(func.count()).select_from(model).where(model.person_id == found)
                counts[name] = await session.scalar(query) or 0
            return counts

    async def moods_of(self, person: str) -> list[MoodReading]:
        async with self.app.sessions() as session:
            query = (
                select(MoodReading)
                .join(Person, Person.id == MoodReading.person_id)
                .where(Person.platform == "web", Person.platform_user_id == person)
                .order_by(MoodReading.id)
            )
            return list(await session.scalars(query))


async def start_web(data_dir: Path, database: Path | None, **overrides: Any) -> WebHarness:
    data_dir.mkdir(parents=True, exist_ok=True)
    if database is not None:
        shutil.copyfile(database, data_dir / "moodtune.db")
    settings = web_settings(data_dir, **overrides)
    app = await App.open(settings)
    connector = WebConnector(settings, Handlers(app))
    await connector.start()
    return WebHarness(app, connector, data_dir)


async def stop_web(harness: WebHarness) -> None:
    await harness.connector.stop()
    await harness.app.close()


@dataclass(frozen=True)
class Site:
    """A web chat running elsewhere (another process), known by its URL."""

    url: str

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")


class ScriptedPage:
    """One browser, played by a script: its cookie jar, its WebSocket, its uploads."""

    def __init__(self, harness: WebHarness | Site, language: str = "en-US") -> None:
        self.harness = harness
        self.language = language
        jar = aiohttp.CookieJar(unsafe=True)  # keep cookies from 127.0.0.1, as browsers do
        self.session = aiohttp.ClientSession(headers={"Accept-Language": language}, cookie_jar=jar)
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self.hello: dict[str, Any] = {}
        self.answers: dict[str, list[dict[str, Any]]] = {}  # read, by the id they answer
        self.other_frames: list[dict[str, Any]] = []  # frames that answered nothing asked

    async def __aenter__(self) -> ScriptedPage:
        try:
            return await self.open()
        except BaseException:
            await self.close()
            raise

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self) -> ScriptedPage:
        async with self.session.get(self.harness.url) as response:
            assert response.status == 200
        self.socket = await self.session.ws_connect(
            self.harness.url + "ws", origin=self.harness.origin
        )
        self.hello = await self.frame()
        assert self.hello["type"] == "hello", self.hello
        return self

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        await self.session.close()

    @property
    def person(self) -> str:
        value = self.session.cookie_jar.filter_cookies(URL(self.harness.url))[COOKIE].value
        return value.split(".")[0]

    async def frame(self, timeout: float = REPLY_TIMEOUT) -> dict[str, Any]:
        assert self.socket is not None
        message = await self.socket.receive(timeout=timeout)
        assert message.type is aiohttp.WSMsgType.TEXT, message
        return json.loads(message.data)

    async def answer_to(self, frame_id: str, timeout: float = REPLY_TIMEOUT) -> dict[str, Any]:
        """The (first) answer to `frame_id`; answers come in any order, as on the page."""
        while not self.answers.get(frame_id):
            frame = await self.frame(timeout)
            if frame.get("to"):
                self.answers.setdefault(frame["to"], []).append(frame)
            else:
                self.other_frames.append(frame)
        return self.answers[frame_id].pop(0)

    async def send(self, frame: dict[str, Any]) -> str:
        assert self.socket is not None
        frame.setdefault("id", uuid.uuid4().hex)
        await self.socket.send_str(json.dumps(frame))
        return frame["id"]

    async def say(self, text: str) -> dict[str, Any]:
        """The frame answering `text` (a reply, or a refusal or an error)."""
        return await self.answer_to(await self.send({"type": "text", "text": text}))

    async def reply(self, text: str) -> dict[str, Any]:
        frame = await self.say(text)
        assert frame["type"] == "reply", frame
        return frame["reply"]

    async def press(self, reply: dict[str, Any], label_part: str) -> dict[str, Any]:
        """Press the first button of `reply` whose label contains `label_part`."""
        keyboard = reply["buttons"]["keyboard"]
        data = next(b["data"] for row in keyboard for b in row if label_part in b["label"])
        frame_id = await self.send({"type": "press", "data": data, "buttons": keyboard})
        frame = await self.answer_to(frame_id)
        assert frame["type"] == "outcome", frame
        return frame["outcome"]

    async def upload(
        self,
        data: bytes,
        kind: str = "photo",
        filename: str = "photo.jpg",
        content_type: str = "image/jpeg",
        caption: str | None = None,
        announce_size: bool = True,
    ) -> tuple[int, dict[str, Any]]:
        form = aiohttp.FormData()
        form.add_field("id", uuid.uuid4().hex)
        form.add_field("kind", kind)
        if caption is not None:
            form.add_field("caption", caption)
        if announce_size:
            form.add_field("size", str(len(data)))
        form.add_field("file", data, filename=filename, content_type=content_type)
        headers = {"Origin": self.harness.origin}
        async with self.session.post(self.harness.url + "upload", data=form, headers=headers) as r:
            return r.status, await r.json()
