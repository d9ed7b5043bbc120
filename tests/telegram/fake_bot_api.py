"""A fake Telegram Bot API server on 127.0.0.1: real HTTP, the methods moodtune uses.

The real python-telegram-bot Application talks to it through `base_url` / `base_file_url`.
Tests inject updates (messages, photos, voice notes, stickers, documents, button presses)
the way Telegram would, read what the bot sent, and make methods answer 429 or 5xx.

    fake = FakeBotApi()
    await fake.start()
    settings = Settings(telegram_token=fake.token, telegram_base_url=fake.base_url,
                        telegram_base_file_url=fake.base_file_url)
    update_id = fake.push_text(42, "I feel great")
    reply = await fake.reply_to(update_id)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import ssl
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "123456789:TEST-fake-token_abcdefghijklmnopqrstu"
BOT = {
    "id": 7_000_001,
    "is_bot": True,
    "first_name": "moodtune",
    "username": "moodtune_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
JSON_FIELDS = {
    "reply_markup", "reply_parameters", "link_preview_options", "allowed_updates", "entities",
    "caption_entities", "commands", "scope",
}  # fmt: skip
SENDING = {"sendMessage", "sendPhoto", "sendDocument"}


@dataclass
class Call:
    """One request the bot made: the method, its parameters, uploaded files, when."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = field(default_factory=time.perf_counter)


@dataclass
class Failure:
    status: int
    retry_after: int | None = None


class FakeBotApi:
    def __init__(self, token: str = TOKEN, host: str = "127.0.0.1") -> None:
        self.token = token
        self.host = host  # named in its URLs; it listens on 127.0.0.1 (another name: via a proxy)
        self.admins: set[int] = set()  # users getChatMember calls administrators
        self.calls: list[Call] = []
        self.sent: list[dict[str, Any]] = []  # every message the bot sent, in arrival order
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, id) → message
        self.files: dict[str, tuple[bytes, int | None]] = {}  # file_id → (bytes, size told)
        self.downloads: list[str] = []  # file paths fetched
        self.pushed_at: dict[int, float] = {}  # update id → when it was injected
        self.webhook: dict[str, Any] | None = None
        self._pushed: dict[int, dict[str, Any]] = {}  # update id → update
        self._update_of: dict[tuple[int, int], int] = {}  # (chat, message) → update id
        self._replies: dict[int, list[dict[str, Any]]] = defaultdict(list)  # by update id
        self._pushed_messages: dict[int, tuple[int, int]] = {}  # update id → (chat, message)
        self._pushed_queries: dict[int, str] = {}  # update id → callback query id
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._changed = asyncio.Event()  # set and replaced on every change
        self._runner: web.AppRunner | None = None
        self.scheme = "http"
        self.port = 0

    # The server.

    async def start(self, tls: ssl.SSLContext | None = None) -> None:
        """Serve on a free loopback port; over HTTPS with `tls` (a server context)."""
        self.scheme = "https" if tls else "http"
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=tls)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/file/bot"

    # Making methods fail.

    def fail_next(
        self, method: str, status: int, retry_after: int | None = None, times: int = 1
    ) -> None:
        """The next `times` calls of `method` answer `status` (429 with retry_after: flood)."""
        self._failures[method].extend(Failure(status, retry_after) for _ in range(times))

    # Injecting updates.

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update as is (a second push of the same update_id is a redelivery)."""
        update.setdefault("update_id", next(self._update_ids))
        self.pushed_at.setdefault(update["update_id"], time.perf_counter())
        self._remember(update)
        self._updates.append(update)
        self._notify()
        return update["update_id"]

    def user(self, user_id: int, language: str | None = "en") -> dict[str, Any]:
        person = {"id": user_id, "is_bot": False, "first_name": f"Person{user_id}"}
        return {**person, "language_code": language} if language else person

    def message(
        self, user_id: int, chat_id: int | None = None, language: str | None = "en", **content: Any
    ) -> dict[str, Any]:
        chat_id = user_id if chat_id is None else chat_id
        chat = {"id": chat_id, "type": "private", "first_name": f"Person{user_id}"}
        if chat_id != user_id:
            chat = {"id": chat_id, "type": "group", "title": "A group"}
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id, language),
            **content,
        }

    def push_message(self, user_id: int, **content: Any) -> int:
        return self.push({"message": self.message(user_id, **content)})

    def push_text(self, user_id: int, text: str, **options: Any) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith(("/", "@")):  # a command, or a mention of someone (the bot?)
            kind = "bot_command" if text.startswith("/") else "mention"
            length = len(text.split()[0].encode("utf-16-le")) // 2
            content["entities"] = [{"type": kind, "offset": 0, "length": length}]
        return self.push_message(user_id, **content, **options)

    def add_file(self, data: bytes, told_size: int | None = -1) -> tuple[str, int | None]:
        """Store a file to be fetched; (file id, the size Telegram announces: -1 = real)."""
        file_id = f"file-{next(self._file_ids)}"
        size = len(data) if told_size == -1 else told_size
        self.files[file_id] = (data, size)
        return file_id, size

    def _file_fields(self, data: bytes, told_size: int | None) -> dict[str, Any]:
        file_id, size = self.add_file(data, told_size)
        return {"file_id": file_id, "file_unique_id": f"u{file_id}",
                **({"file_size": size} if size is not None else {})}  # fmt: skip

    def push_photo(
        self, user_id: int, data: bytes, caption: str | None = None, told_size: int | None = -1,
        **options: Any,
    ) -> int:  # fmt: skip
        thumb = {**self._file_fields(b"thumbnail", -1), "width": 90, "height": 90}
        full = {**self._file_fields(data, told_size), "width": 1280, "height": 960}
        extra = {"caption": caption} if caption else {}
        return self.push_message(user_id, photo=[thumb, full], **extra, **options)

    def push_voice(self, user_id: int, data: bytes, told_size: int | None = -1) -> int:
        voice = {**self._file_fields(data, told_size), "duration": 3, "mime_type": "audio/ogg"}
        return self.push_message(user_id, voice=voice)

    def push_audio(self, user_id: int, data: bytes, mime_type: str = "audio/mpeg") -> int:
        audio = {**self._file_fields(data, -1), "duration": 3, "mime_type": mime_type}
        return self.push_message(user_id, audio=audio)

    def push_document(
        self, user_id: int, data: bytes, file_name: str, mime_type: str | None,
        told_size: int | None = -1, caption: str | None = None,
    ) -> int:  # fmt: skip
        document = {**self._file_fields(data, told_size), "file_name": file_name}
        if mime_type:
            document["mime_type"] = mime_type
        extra = {"caption": caption} if caption else {}
        return self.push_message(user_id, document=document, **extra)

    def push_sticker(self, user_id: int, emoji: str | None) -> int:
        sticker = {
            **self._file_fields(b"webp-sticker", -1), "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False,
            **({"emoji": emoji} if emoji else {}),
        }  # fmt: skip
        return self.push_message(user_id, sticker=sticker)

    def push_callback(
        self, user_id: int, message: dict[str, Any] | None, data: str, language: str = "en"
    ) -> int:
        """A press on a button under `message` (one the bot sent), with `data` as is."""
        query: dict[str, Any] = {
            "id": f"cb-{next(self._message_ids)}",
            "from": self.user(user_id, language),
            "chat_instance": "instance",
            "data": data,
        }
        if message is not None:
            query["message"] = self.messages.get(
                (message["chat"]["id"], message["message_id"]), message
            )
        return self.push({"callback_query": query})

    # Reading what the bot did.

    def file_of(self, update_id: int) -> str:
        """The file id of the photo (largest size), voice, audio or document in an update."""
        message = self._pushed[update_id]["message"]
        if "photo" in message:
            return message["photo"][-1]["file_id"]
        kind = next(k for k in ("voice", "audio", "document", "sticker") if k in message)
        return message[kind]["file_id"]

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["chat"]["id"] == chat_id]

    def replies_to(self, update_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent quoting the message of that update."""
        return self._replies.get(update_id, [])

    def answered(self, update_ids: set[int]) -> bool:
        """Whether every one of these updates has had a reply."""
        return all(self._replies.get(u) for u in update_ids)

    async def wait_for(self, condition: Callable[[], Any], timeout: float = 30.0) -> Any:
        """Wait until `condition()` is truthy (re-checked on every change); its value."""
        async with asyncio.timeout(timeout):
            while not (value := condition()):
                await self._changed.wait()
        return value

    async def reply_to(self, update_id: int, timeout: float = 30.0) -> dict[str, Any]:
        """The (first) message answering that update."""
        replies = await self.wait_for(lambda: self.replies_to(update_id), timeout)
        return replies[0]

    async def answer_to(self, update_id: int, timeout: float = 30.0) -> Call:
        """The answerCallbackQuery call for a button-press update."""
        query_id = self._pushed_queries[update_id]

        def answered() -> Call | None:
            calls = self.calls_of("answerCallbackQuery")
            return next((c for c in calls if c.params["callback_query_id"] == query_id), None)

        return await self.wait_for(answered, timeout)

    async def post_to_webhook(self, update: dict[str, Any], secret: str | None = None) -> int:
        """Deliver an update the way Telegram does in webhook mode; the HTTP status."""
        assert self.webhook is not None, "the bot set no webhook"
        update.setdefault("update_id", next(self._update_ids))
        self.pushed_at.setdefault(update["update_id"], time.perf_counter())
        self._remember(update)
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook["url"], json=update, headers=headers) as response,
        ):
            return response.status

    def next_update_id(self) -> int:
        return next(self._update_ids)

    async def deliver_to_webhook(
        self,
        updates: list[dict[str, Any]],
        secret: str,
        connections: int = 40,
        give_up_after: float = 240.0,
    ) -> None:
        """Deliver updates as Telegram's webhook does: up to `connections` at once, each
        retried until the bot answers 2xx (a dead bot, a 503) or Telegram gives up."""
        slots = asyncio.Semaphore(connections)
        deadline = time.perf_counter() + give_up_after
        for update in updates:
            self.pushed_at.setdefault(update["update_id"], time.perf_counter())
            self._remember(update)

        async def deliver(session: aiohttp.ClientSession, update: dict[str, Any]) -> None:
            async with slots:
                while time.perf_counter() < deadline:
                    assert self.webhook is not None
                    headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
                    try:
                        async with session.post(
                            self.webhook["url"], json=update, headers=headers
                        ) as response:
                            if 200 <= response.status < 300:
                                return
                    except aiohttp.ClientError:
                        pass  # the bot is not listening (down, restarting)
                    await asyncio.sleep(0.2)

        async with aiohttp.ClientSession() as session:
            await asyncio.gather(*(deliver(session, u) for u in updates))

    async def post_body_to_webhook(self, body: Any, secret: str | None = None) -> int:
        """Post any JSON body to the webhook (what a forger or a broken relay might send)."""
        assert self.webhook is not None, "the bot set no webhook"
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook["url"], json=body, headers=headers) as response,
        ):
            return response.status

    # Internals.

    def _remember(self, update: dict[str, Any]) -> None:
        self._pushed.setdefault(update["update_id"], update)
        if "message" in update:
            message = update["message"]
            chat = (message["chat"]["id"], message["message_id"])
            self._pushed_messages[update["update_id"]] = chat
            self._update_of[chat] = update["update_id"]
        if "callback_query" in update:
            self._pushed_queries[update["update_id"]] = update["callback_query"]["id"]

    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, bytes] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                for name, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        files[name] = value.file.read()
                    else:
                        params[name] = value
        for name in JSON_FIELDS & params.keys():
            if isinstance(params[name], str):
                params[name] = json.loads(params[name])
        return params, files

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await self._params(request)
        self.calls.append(Call(method, params, files))
        try:
            failures = self._failures.get(method)
            if failures:
                failure = failures.popleft()
                extra = {"retry_after": failure.retry_after} if failure.retry_after else None
                description = "Too Many Requests" if failure.status == 429 else "Internal Error"
                return _error(failure.status, description, extra)
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                return _error(404, "Not Found")
            result = await handler(params, files)
            if isinstance(result, web.Response):
                return result
            return web.json_response({"ok": True, "result": result})
        finally:
            self._notify()

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        self.downloads.append(path)
        self._notify()
        found = self.files.get(path.removeprefix("files/"))
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found[0], content_type="application/octet-stream")

    # Methods.

    async def _m_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return BOT

    async def _m_getChatMember(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        user_id = int(params["user_id"])
        if user_id not in self.admins:
            return {"status": "member", "user": self.user(user_id)}
        rights = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                  "can_restrict_members", "can_promote_members", "can_change_info",
                  "can_invite_users", "can_post_stories", "can_edit_stories",
                  "can_delete_stories")  # fmt: skip
        return {"status": "administrator", "user": self.user(user_id), "can_be_edited": False,
                "is_anonymous": False, **dict.fromkeys(rights, True)}  # fmt: skip

    async def _m_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = None
        return True

    async def _m_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = params
        return True

    async def _m_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _m_sendChatAction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _m_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        offset = int(params.get("offset", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        timeout = float(params.get("timeout", 0) or 0)
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()  # confirmed by the offset
        if not self._updates and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await self.wait_for(lambda: self._updates, timeout)
        # Like Telegram: updates stay until a later call's offset confirms them.
        return list(itertools.islice(self._updates, limit))

    def _store(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": BOT,
            **content,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        reply_to = (params.get("reply_parameters") or {}).get("message_id")
        self.messages[(chat_id, message["message_id"])] = message
        sent = {**message, "_reply_to": reply_to, "_at": time.perf_counter(), "_params": params}
        self.sent.append(sent)
        update_id = self._update_of.get((chat_id, reply_to)) if reply_to else None
        if update_id is not None:
            self._replies[update_id].append(sent)
        return message

    async def _m_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        text = params.get("text", "")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        return self._store(params, text=text)

    async def _m_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        data = files.get("photo")
        if not data:
            return _error(400, "Bad Request: there is no photo in the request")
        file_fields = self._file_fields(data, -1)
        photo = [{**file_fields, "width": 800, "height": 400}]
        message = self._store(params, photo=photo, caption=params.get("caption", ""))
        self.sent[-1]["_file"] = data
        return message

    async def _m_sendDocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        data = files.get("document")
        if data is None:
            return _error(400, "Bad Request: there is no document in the request")
        document = {**self._file_fields(data, -1), "file_name": "document"}
        message = self._store(params, document=document, caption=params.get("caption", ""))
        self.sent[-1]["_file"] = data
        return message

    def _edit(self, params: dict[str, Any], **changes: Any) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        if all(message.get(name) == value for name, value in changes.items()):
            return _error(400, "Bad Request: message is not modified")
        message.update(changes)
        return message

    async def _m_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        changes: dict[str, Any] = {"text": params["text"]}
        changes["reply_markup"] = params.get("reply_markup")
        return self._edit(params, **changes)

    async def _m_editMessageReplyMarkup(
        self, params: dict[str, Any], files: dict[str, bytes]
    ) -> Any:
        return self._edit(params, reply_markup=params.get("reply_markup"))

    async def _m_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _m_getFile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        file_id = params.get("file_id", "")
        if file_id not in self.files:
            return _error(400, "Bad Request: invalid file_id")
        size = len(self.files[file_id][0])  # Telegram knows the real size
        if size > 20 * 1024 * 1024:
            return _error(400, "Bad Request: file is too big")
        path = f"files/{file_id}"
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_path": path,
                "file_size": size}  # fmt: skip


def _chat(chat_id: int) -> dict[str, Any]:
    """A chat as Telegram describes it: groups have negative ids."""
    if chat_id < 0:
        return {"id": chat_id, "type": "group", "title": "A group"}
    return {"id": chat_id, "type": "private"}


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> Any:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)
