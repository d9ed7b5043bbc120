"""A fake Discord on 127.0.0.1: the REST API (v10), the gateway and an attachment CDN, on one
aiohttp server. The real discord.py client connects to it: its REST base is the fake's
`api_url` and its gateway the URL the fake's `GET /gateway/bot` gives.

Tests add people and servers, inject what people do (messages with attachments, slash
commands, presses on buttons and select menus) as gateway dispatches, read everything the
bot sent, make any route answer 429 (with Discord's rate-limit headers and `retry_after`)
or 500, and close the gateway with the codes Discord uses.

    fake = FakeDiscord()
    await fake.start()
    person = fake.add_user("ana")
    message_id = fake.push_message(person, "I feel great")
    reply = await fake.reply_to(message_id)

Discord's behaviour that the bot must live with is kept: an interaction must be answered
within 3 seconds and only once; the first follow-up after a deferred answer fills in the
"thinking…" message; without the message-content intent a server message that does not
mention the bot arrives without its content and attachments; what a message may hold is
checked against Discord's limits (discord_limits.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from aiohttp import web
from discord_limits import Invalid, check_message
from discord_payloads import (
    APPLICATION_COMMAND,
    BUTTON,
    DM,
    EPHEMERAL,
    MESSAGE_COMPONENT,
    OPTION_ATTACHMENT,
    OPTION_STRING,
    STRING_SELECT,
    Snowflakes,
    attachment,
    dm_channel,
    guild,
    interaction,
    member,
    message,
    text_channel,
    timestamp,
    user,
)
from fake_gateway import FakeGateway, Session

API = "/api/v10"
LOADING = 1 << 7  # message flag: "the application is thinking…"
INTERACTION_WINDOW = 3.0  # seconds Discord gives for the first answer to an interaction
FOLLOW_UP_WINDOW = 15 * 60.0  # seconds an interaction token stays valid
CALLBACK_MESSAGE, CALLBACK_DEFERRED, CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE = 4, 5, 6, 7
Handler = Callable[[web.Request, "Body"], Awaitable[Any]]


@dataclass
class Body:
    """A request's JSON (or multipart `payload_json`) and its uploaded files."""

    json: Any
    files: dict[str, bytes]
    filenames: dict[str, str]
    query: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)  # from the route's path


@dataclass
class Call:
    """One request the bot made: the route as Discord documents it, what it carried, when,
    and the status the fake answered."""

    route: str
    path: str
    body: Any
    files: dict[str, bytes]
    at: float
    status: int = 0


@dataclass
class Sent:
    """A message the bot made appear: in a channel, as an interaction's answer or follow-up,
    or an edit of one. `message` is that message as it stands now (edits change it)."""

    kind: str  # "message", "interaction", "follow-up", "edit"
    message: dict[str, Any]
    files: dict[str, bytes]
    at: float
    reply_to: str | None = None  # the message it answers (a message reference)
    interaction_id: str | None = None

    @property
    def ephemeral(self) -> bool:
        return bool(self.message.get("flags", 0) & EPHEMERAL)

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.get("embeds") or []

    @property
    def text(self) -> str:
        """The content and every embed's text, for assertions on what a person reads."""
        parts = [self.message.get("content") or ""]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(part for part in parts if part)

    @property
    def components(self) -> list[dict[str, Any]]:
        """Every button and select menu, row after row."""
        rows = self.message.get("components") or []
        return [item for row in rows for item in row.get("components") or []]

    @property
    def custom_ids(self) -> list[str]:
        return [item["custom_id"] for item in self.components if "custom_id" in item]

    def button(self, label: str) -> dict[str, Any]:
        """The first button whose label starts with `label`."""
        return next(b for b in self.components if (b.get("label") or "").startswith(label))

    @property
    def select(self) -> dict[str, Any] | None:
        return next((c for c in self.components if c["type"] == STRING_SELECT), None)


@dataclass
class Upload:
    """A file a person attaches. `told_size` is what Discord announces (default: the real
    size); `voice_seconds` makes it a voice message (a duration and a waveform)."""

    data: bytes
    filename: str
    content_type: str | None = None
    voice_seconds: float | None = None
    told_size: int | None = None
    dimensions: tuple[int, int] | None = None
    chunked: bool = False  # the CDN sends it without a Content-Length


@dataclass
class Guild:
    id: str
    name: str
    channel_id: str
    member_ids: list[str]


@dataclass
class InteractionState:
    """An interaction as Discord tracks it: its token, when it was created, how it was
    answered, the message its answer made (the "original"), and its follow-ups."""

    payload: dict[str, Any]
    created: float
    callback_type: int | None = None
    callback_at: float | None = None
    callback_data: dict[str, Any] | None = None
    original: dict[str, Any] | None = None
    follow_ups: list[dict[str, Any]] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)  # (what, Discord's code)

    @property
    def id(self) -> str:
        return self.payload["id"]

    @property
    def answered(self) -> bool:
        return self.callback_type is not None

    @property
    def ephemeral(self) -> bool:
        return bool(((self.callback_data or {}).get("flags") or 0) & EPHEMERAL)


@dataclass
class Failure:
    status: int
    retry_after: float = 0.0
    is_global: bool = False


class FakeDiscord:
    def __init__(
        self,
        token: str = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.Gfake0.fake-discord-token_abcdefghijklmnopqrs",
        message_content: bool = True,
        heartbeat_interval_ms: int = 41_250,
    ) -> None:
        self.token = token
        self.interaction_window = INTERACTION_WINDOW
        self.ids = Snowflakes()
        self.application_id = self.ids()
        self.bot = user(self.application_id, "moodtune", bot=True)
        self.users: dict[str, dict[str, Any]] = {}
        self.locales: dict[str, str] = {}
        self.guilds: dict[str, Guild] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.dm_of: dict[str, str] = {}  # user id → their DM channel with the bot
        self.blocked: set[str] = set()  # people who do not accept the bot's DMs
        self.messages: dict[str, dict[str, Any]] = {}  # every message, by id
        self.files: dict[str, bytes] = {}  # attachment id → bytes on the CDN
        self.chunked: set[str] = set()  # attachment ids the CDN sends without a length
        self.streamed: dict[str, int] = {}  # of those, how many bytes went out
        self.downloads: list[str] = []  # attachment ids fetched from the CDN
        self.peer_ports: set[int] = set()  # the client ports every request came from
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.interactions: dict[str, InteractionState] = {}
        self.commands: dict[str | None, list[dict[str, Any]]] = {}  # guild id (None: global)
        self.pushed_at: dict[str, float] = {}  # message or interaction id → when injected
        self._replies: dict[str, list[Sent]] = defaultdict(list)  # message id → replies
        self._answers: dict[str, list[Sent]] = defaultdict(list)  # interaction id → sent
        self._by_token: dict[str, InteractionState] = {}
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._routes: list[tuple[str, re.Pattern[str], str]] = []
        self._changed = asyncio.Event()
        granted = {"message_content"} if message_content else set()
        self.gateway = FakeGateway(
            token, self._ready, self._guild_payloads, granted, heartbeat_interval_ms
        )
        self.gateway.on_change(self._notify)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # The server.

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[self._peer])
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway-resume", self.gateway.handle)
        app.router.add_get("/attachments/{channel}/{attachment}/{filename}", self._cdn)
        app.router.add_route("*", API + "/{path:.*}", self._api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.gateway.resume_url = f"ws://127.0.0.1:{self.port}/gateway-resume"

    @web.middleware
    async def _peer(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Note the port each request came from (to tell a proxy's connections apart)."""
        peer = request.transport.get_extra_info("peername") if request.transport else None
        if peer:
            self.peer_ports.add(peer[1])
        return await handler(request)

    async def stop(self) -> None:
        await self.gateway.stop()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # People, servers, channels.

    def add_user(self, name: str, locale: str = "en-US") -> str:
        user_id = self.ids()
        self.users[user_id] = user(user_id, name)
        self.locales[user_id] = locale
        return user_id

    def add_guild(self, name: str, member_ids: list[str]) -> Guild:
        """A server with one text channel, the bot and these people in it (a GUILD_CREATE
        goes out when the bot is already connected: it has just joined)."""
        guild_id, channel_id = self.ids(), self.ids()
        self.channels[channel_id] = text_channel(channel_id, guild_id, "general")
        server = Guild(guild_id, name, channel_id, list(member_ids))
        self.guilds[guild_id] = server
        if self.gateway.session is not None:
            self.gateway.dispatch("GUILD_CREATE", self._guild_payload(server), "guilds")
        return server

    def dm_channel(self, user_id: str) -> str:
        if user_id not in self.dm_of:
            channel_id = self.ids()
            self.channels[channel_id] = dm_channel(channel_id, self.users[user_id])
            self.dm_of[user_id] = channel_id
        return self.dm_of[user_id]

    def block_dms(self, user_id: str) -> None:
        """This person no longer accepts the bot's DMs (Discord answers 403, code 50007)."""
        self.blocked.add(user_id)

    # Making routes fail.

    def fail_next(
        self,
        route: str,
        status: int,
        retry_after: float = 0.0,
        times: int = 1,
        is_global: bool = False,
    ) -> None:
        """The next `times` requests to `route` (as Discord documents it, e.g.
        "POST /channels/{channel.id}/messages") answer `status`; 429 with `retry_after`."""
        self._failures[route].extend(Failure(status, retry_after, is_global) for _ in range(times))

    # Injecting what people do.

    def push_message(
        self,
        user_id: str,
        content: str = "",
        *,
        guild: Guild | None = None,
        files: list[Upload] | None = None,
        mention: bool = False,
        reply_to: dict[str, Any] | None = None,
        ping: bool = True,
        message_id: str | None = None,
    ) -> str:
        """A message from a person: in their DM with the bot, or in `guild`'s channel;
        `mention` puts <@bot> in front, `reply_to` answers a message (pinging its author
        unless `ping` is False). Pass `message_id` again to deliver the same message twice."""
        person = self.users[user_id]
        channel_id = guild.channel_id if guild else self.dm_channel(user_id)
        message_id = message_id or self.ids()
        if mention:
            content = f"<@{self.application_id}> {content}".rstrip()
        mentions = [self.bot] if mention else []
        referenced = None
        if reply_to is not None:
            referenced = self.messages.get(reply_to["id"], reply_to)
            author = referenced["author"]
            if ping and author["id"] not in {m["id"] for m in mentions}:
                mentions.append(author)
        attachments = [self._upload(channel_id, upload) for upload in files or []]
        voice = any(upload.voice_seconds is not None for upload in files or [])
        payload = message(
            message_id,
            channel_id,
            person,
            content,
            guild_id=guild.id if guild else None,
            author_member=member(person) if guild else None,
            mentions=mentions,
            attachments=attachments,
            flags=(1 << 13) if voice else 0,
            referenced=referenced,
        )
        self.messages[message_id] = payload
        self.pushed_at.setdefault(message_id, time.perf_counter())
        self.gateway.dispatch(
            "MESSAGE_CREATE",
            self._as_seen_by_bot(payload),
            "guild_messages" if guild else "dm_messages",
        )
        return message_id

    def push_command(
        self,
        user_id: str,
        name: str,
        options: dict[str, str | Upload] | None = None,
        *,
        guild: Guild | None = None,
        interaction_id: str | None = None,
    ) -> str:
        """A slash command as Discord delivers it: only one the bot registered (globally or
        in `guild`), with its options typed as registered; files land on the CDN and in
        `resolved`. Pass `interaction_id` again to deliver the same interaction twice."""
        command = self._command(name, guild)
        declared = {option["name"]: option for option in command.get("options") or []}
        channel = self._channel_of(user_id, guild)
        values: list[dict[str, Any]] = []
        resolved: dict[str, dict[str, Any]] = {}
        for option_name, value in (options or {}).items():
            kind = declared[option_name]["type"]  # KeyError: the command has no such option
            if kind == OPTION_ATTACHMENT:
                assert isinstance(value, Upload), f"{option_name} takes a file"
                uploaded = self._upload(channel["id"], value)
                resolved[uploaded["id"]] = uploaded
                values.append({"name": option_name, "type": kind, "value": uploaded["id"]})
            else:
                assert kind == OPTION_STRING and isinstance(value, str), option_name
                values.append({"name": option_name, "type": kind, "value": value})
        missing = {n for n, o in declared.items() if o.get("required")} - set(options or {})
        assert not missing, f"Discord's client would not send /{name} without {missing}"
        data: dict[str, Any] = {"id": command["id"], "name": name, "type": 1, "options": values}
        if guild is not None:
            data["guild_id"] = guild.id
        if resolved:
            data["resolved"] = {"attachments": resolved}
        return self._push_interaction(
            APPLICATION_COMMAND, user_id, channel, data, guild, None, interaction_id
        )

    def push_press(
        self,
        user_id: str,
        message_id: str,
        custom_id: str,
        *,
        values: list[str] | None = None,
        interaction_id: str | None = None,
    ) -> str:
        """A press on a button (or, with `values`, a choice in a select menu) under one of
        the bot's messages. `custom_id` goes as given: a modified client can send anything."""
        source = self.messages[message_id]
        guild_id = source.get("guild_id")
        server = self.guilds.get(guild_id) if guild_id else None
        channel = self.channels[source["channel_id"]]
        data: dict[str, Any] = {
            "custom_id": custom_id,
            "component_type": BUTTON if values is None else STRING_SELECT,
        }
        if values is not None:
            data["values"] = values
        return self._push_interaction(
            MESSAGE_COMPONENT, user_id, channel, data, server, source, interaction_id
        )

    def redeliver(self, event_id: str) -> None:
        """Dispatch a message or an interaction again, as Discord sometimes does."""
        if event_id in self.interactions:
            self.gateway.dispatch("INTERACTION_CREATE", self.interactions[event_id].payload)
        else:
            payload = self.messages[event_id]
            intent = "guild_messages" if "guild_id" in payload else "dm_messages"
            self.gateway.dispatch("MESSAGE_CREATE", self._as_seen_by_bot(payload), intent)

    # Reading what the bot did.

    def calls_to(self, route: str) -> list[Call]:
        return [call for call in self.calls if call.route == route]

    def replies_to(self, message_id: str) -> list[Sent]:
        return self._replies.get(message_id, [])

    def answers_to(self, interaction_id: str) -> list[Sent]:
        """What the bot sent for an interaction: its answer, follow-ups, edits, in order."""
        return self._answers.get(interaction_id, [])

    def sent_in(self, channel_id: str) -> list[Sent]:
        return [s for s in self.sent if s.message["channel_id"] == channel_id]

    async def wait_for(self, condition: Callable[[], Any], timeout: float = 30.0) -> Any:
        """Wait until `condition()` is truthy, re-checked on every change here and every
        50 ms (for conditions on the client's side); its value."""
        async with asyncio.timeout(timeout):
            while not (value := condition()):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), 0.05)
        return value

    async def reply_to(self, message_id: str, timeout: float = 30.0) -> Sent:
        return (await self.wait_for(lambda: self.replies_to(message_id), timeout))[0]

    async def answer_to(self, interaction_id: str, timeout: float = 30.0) -> Sent:
        """The message a person sees for an interaction: the answer, or, after a deferral,
        the follow-up that filled in "thinking…" (or a press's updated message)."""

        deferred = self.interactions[interaction_id]

        def answer() -> Sent | None:
            for sent in self.answers_to(interaction_id):
                if sent.kind == "interaction" and deferred.callback_type == CALLBACK_DEFERRED:
                    continue  # "thinking…": the answer is the follow-up that fills it in
                return sent
            return None

        return await self.wait_for(answer, timeout)

    async def ready(self, timeout: float = 30.0) -> None:
        await self.wait_for(self.gateway.ready.is_set, timeout)

    # Internals: state.

    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def _ready(self, session: Session) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "v": 10,
            "user": {**self.bot, "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": g, "unavailable": True} for g in self.guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway.resume_url,
            "application": {"id": self.application_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
        }
        if session.shard is not None:
            payload["shard"] = session.shard
        return payload

    def _guild_payload(self, server: Guild) -> dict[str, Any]:
        members = [member(self.bot)] + [member(self.users[u]) for u in server.member_ids]
        channels = [{k: v for k, v in self.channels[server.channel_id].items() if k != "guild_id"}]
        return guild(server.id, server.name, channels, members)

    def _guild_payloads(self) -> list[dict[str, Any]]:
        return [self._guild_payload(server) for server in self.guilds.values()]

    def _channel_of(self, user_id: str, server: Guild | None) -> dict[str, Any]:
        return self.channels[server.channel_id if server else self.dm_channel(user_id)]

    def _upload(self, channel_id: str, upload: Upload) -> dict[str, Any]:
        attachment_id = self.ids()
        self.files[attachment_id] = upload.data
        if upload.chunked:
            self.chunked.add(attachment_id)
        url = f"http://127.0.0.1:{self.port}/attachments/{channel_id}/{attachment_id}/{upload.filename}"
        size = len(upload.data) if upload.told_size is None else upload.told_size
        return attachment(
            attachment_id, upload.filename, size, url, upload.content_type,
            upload.voice_seconds, upload.dimensions,
        )  # fmt: skip

    def _as_seen_by_bot(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Without the message-content intent, Discord empties content, attachments, embeds
        and components of a server message unless it mentions the bot (or is the bot's)."""
        session = self.gateway.session
        sees_content = session is None or session.allows("message_content")
        mentioned = any(m["id"] == self.application_id for m in payload["mentions"])
        if (
            sees_content
            or "guild_id" not in payload
            or mentioned
            or payload["author"]["id"] == self.application_id
        ):
            return payload
        return {**payload, "content": "", "attachments": [], "embeds": [], "components": []}

    def _command(self, name: str, server: Guild | None) -> dict[str, Any]:
        scopes = [None] + ([server.id] if server else [])
        for scope in reversed(scopes):
            for command in self.commands.get(scope, []):
                if command["name"] == name:
                    return command
        raise LookupError(f"/{name} is not registered (did the bot sync its commands?)")

    def _push_interaction(
        self,
        kind: int,
        user_id: str,
        channel: dict[str, Any],
        data: dict[str, Any],
        server: Guild | None,
        source: dict[str, Any] | None,
        interaction_id: str | None,
    ) -> str:
        if interaction_id is not None:  # the same interaction, delivered again
            self.gateway.dispatch("INTERACTION_CREATE", self.interactions[interaction_id].payload)
            return interaction_id
        interaction_id = self.ids()
        payload = interaction(
            interaction_id,
            kind,
            secrets.token_urlsafe(48),
            self.application_id,
            self.users[user_id],
            channel,
            data,
            guild_id=server.id if server else None,
            locale=self.locales[user_id],
            source=source,
        )
        self.interactions[interaction_id] = InteractionState(payload, time.perf_counter())
        self._by_token[payload["token"]] = self.interactions[interaction_id]
        self.pushed_at[interaction_id] = time.perf_counter()
        self.gateway.dispatch("INTERACTION_CREATE", payload)
        return interaction_id

    def _interaction_by_token(self, token: str) -> InteractionState | None:
        return self._by_token.get(token)

    def _store(
        self,
        channel_id: str,
        payload: dict[str, Any],
        files: dict[str, bytes],
        filenames: dict[str, str],
        **extra: Any,
    ) -> dict[str, Any]:
        """A new message from the bot, as Discord returns it."""
        message_id = self.ids()
        attachments = []
        for index, (part, data) in enumerate(files.items()):
            attachment_id = self.ids()
            self.files[attachment_id] = data
            name = filenames.get(part, f"file{index}")
            url = f"http://127.0.0.1:{self.port}/attachments/{channel_id}/{attachment_id}/{name}"
            attachments.append(attachment(attachment_id, name, len(data), url, None))
        channel = self.channels.get(channel_id, {})
        stored = message(
            message_id,
            channel_id,
            self.bot,
            payload.get("content") or "",
            guild_id=channel.get("guild_id"),
            embeds=payload.get("embeds"),
            components=payload.get("components"),
            attachments=attachments,
            flags=int(payload.get("flags") or 0),
            application_id=self.application_id,
            **extra,
        )
        self.messages[message_id] = stored
        return stored

    def _record(
        self,
        kind: str,
        stored: dict[str, Any],
        files: dict[str, bytes],
        reply_to: str | None = None,
        interaction_id: str | None = None,
    ) -> None:
        sent = Sent(kind, stored, files, time.perf_counter(), reply_to, interaction_id)
        self.sent.append(sent)
        if reply_to is not None:
            self._replies[reply_to].append(sent)
        if interaction_id is not None:
            self._answers[interaction_id].append(sent)

    @staticmethod
    def _edited(stored: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
        for key in ("content", "embeds", "components", "flags"):
            if key in payload and payload[key] is not None:
                stored[key] = payload[key]
        stored["flags"] = int(stored.get("flags") or 0) & ~LOADING
        stored["edited_timestamp"] = timestamp()
        return stored

    # Internals: HTTP.

    async def _body(self, request: web.Request) -> Body:
        query = dict(request.query)
        if not request.can_read_body:
            return Body(None, {}, {}, query)
        if request.content_type == "application/json":
            return Body(await request.json(), {}, {}, query)
        if request.content_type.startswith("multipart/"):
            payload: Any = None
            files: dict[str, bytes] = {}
            filenames: dict[str, str] = {}
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":
                    payload = json.loads(await part.text())
                elif part.name is not None:
                    files[part.name] = bytes(await part.read())
                    filenames[part.name] = part.filename or part.name
            return Body(payload, files, filenames, query)
        return Body(None, {}, {}, query)

    async def _api(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        route, handler, params, needs_auth = self._match(request.method, path)
        body = await self._body(request)
        call = Call(route, path, body.json, body.files, time.perf_counter())
        self.calls.append(call)
        try:
            if handler is None:
                response = _error(404, 0, "404: Not Found")
            elif needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
                response = _error(401, 0, "401: Unauthorized")
            elif failures := self._failures.get(route):
                response = _failure(failures.popleft(), route)
            else:
                body.params = params
                try:
                    result = await handler(request, body)
                except Invalid as invalid:
                    result = _error(400, invalid.code, str(invalid))
                response = result if isinstance(result, web.StreamResponse) else _ok(result)
            call.status = response.status
            return response
        finally:
            self._notify()

    def _match(self, method: str, path: str) -> tuple[str, Handler | None, dict[str, str], bool]:
        for route_method, pattern, route, handler, needs_auth in ROUTES:
            found = pattern.fullmatch(path)
            if found and route_method == method:
                return route, getattr(self, handler), found.groupdict(), needs_auth
        return f"{method} {path}", None, {}, True

    async def _cdn(self, request: web.Request) -> web.Response:
        attachment_id = request.match_info["attachment"]
        self.downloads.append(attachment_id)
        self._notify()
        data = self.files.get(attachment_id)
        if data is None:
            return web.Response(status=404, text="Not Found")
        if attachment_id not in self.chunked:
            return web.Response(body=data, content_type="application/octet-stream")
        stream = web.StreamResponse()
        stream.enable_chunked_encoding()
        await stream.prepare(request)
        try:
            for start in range(0, len(data), 64 * 1024):
                await stream.write(data[start : start + 64 * 1024])
                self.streamed[attachment_id] = start + 64 * 1024
        except ConnectionError:
            pass  # the client stopped reading
        return stream

    # REST routes (named after Discord's documentation; see ROUTES below).

    async def get_gateway_bot(self, request: web.Request, body: Body) -> Any:
        return {
            "url": self.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1,
            },
        }  # fmt: skip

    async def get_gateway(self, request: web.Request, body: Body) -> Any:
        return {"url": self.gateway_url}

    async def get_current_user(self, request: web.Request, body: Body) -> Any:
        return {**self.bot, "verified": True, "mfa_enabled": False, "email": None}

    async def get_current_application(self, request: web.Request, body: Body) -> Any:
        owner = user(self.ids(), "owner")
        return {
            "id": self.application_id,
            "name": "moodtune",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": owner,
            "verify_key": "0" * 64,
            "flags": 0,
            "team": None,
            "summary": "",
            "rpc_origins": [],
            "tags": [],
        }

    async def get_user(self, request: web.Request, body: Body) -> Any:
        found = self.users.get(body.params["user_id"])
        return found if found is not None else _error(404, 10013, "Unknown User")

    async def create_dm(self, request: web.Request, body: Body) -> Any:
        recipient = str((body.json or {}).get("recipient_id"))
        if recipient not in self.users:
            return _error(400, 50035, "Invalid Form Body")
        return self.channels[self.dm_channel(recipient)]

    async def create_message(self, request: web.Request, body: Body) -> Any:
        channel_id = body.params["channel_id"]
        channel = self.channels.get(channel_id)
        if channel is None:
            return _error(404, 10003, "Unknown Channel")
        if channel["type"] == DM and channel["recipients"][0]["id"] in self.blocked:
            return _error(403, 50007, "Cannot send messages to this user")
        payload = body.json or {}
        check_message(payload, body.files)
        reference = (payload.get("message_reference") or {}).get("message_id")
        if reference is not None and str(reference) not in self.messages:
            return _error(400, 50035, "Invalid Form Body: Unknown message")
        reply_to = str(reference) if reference is not None else None
        extra = {"referenced": self.messages[reply_to]} if reply_to else {}
        stored = self._store(channel_id, payload, body.files, body.filenames, **extra)
        self._record("message", stored, body.files, reply_to=reply_to)
        return stored

    async def edit_message(self, request: web.Request, body: Body) -> Any:
        stored = self.messages.get(body.params["message_id"])
        if stored is None or stored["channel_id"] != body.params["channel_id"]:
            return _error(404, 10008, "Unknown Message")
        if stored["author"]["id"] != self.application_id:
            return _error(403, 50005, "Cannot edit a message authored by another user")
        check_message(body.json or {}, body.files, editing=True)
        self._record("edit", self._edited(stored, body.json or {}), body.files)
        return stored

    async def trigger_typing(self, request: web.Request, body: Body) -> Any:
        if body.params["channel_id"] not in self.channels:
            return _error(404, 10003, "Unknown Channel")
        return web.Response(status=204)

    async def create_interaction_response(self, request: web.Request, body: Body) -> Any:
        state = self.interactions.get(body.params["interaction_id"])
        if state is None or state.payload["token"] != body.params["token"]:
            return _error(404, 10062, "Unknown interaction")
        if time.perf_counter() - state.created > self.interaction_window:
            state.refused.append(("late", 10062))
            return _error(404, 10062, "Unknown interaction")
        if state.answered:
            state.refused.append(("again", 40060))
            return _error(400, 40060, "Interaction has already been acknowledged.")
        answer = body.json or {}
        kind = answer.get("type")
        data = answer.get("data") or {}
        is_press = state.payload["type"] == MESSAGE_COMPONENT
        if kind not in (CALLBACK_MESSAGE, CALLBACK_DEFERRED) and not (
            is_press and kind in (CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE)
        ):
            return _error(400, 50035, f"Invalid Form Body: callback type {kind}")
        if kind in (CALLBACK_MESSAGE, CALLBACK_UPDATE):
            check_message(data, body.files, editing=kind == CALLBACK_UPDATE)
        state.callback_type = kind
        state.callback_at = time.perf_counter()
        state.callback_data = data
        channel_id = state.payload["channel_id"]
        metadata = {"id": state.id, "type": state.payload["type"], "user": self.bot}
        resource: dict[str, Any] | None = None
        if kind == CALLBACK_MESSAGE:
            resource = self._store(
                channel_id, data, body.files, body.filenames, interaction=metadata
            )
            state.original = resource
            self._record("interaction", resource, body.files, interaction_id=state.id)
        elif kind == CALLBACK_DEFERRED:
            loading = {"flags": LOADING | (int(data.get("flags") or 0) & EPHEMERAL)}
            resource = self._store(channel_id, loading, {}, {}, interaction=metadata)
            state.original = resource
            self._record("interaction", resource, {}, interaction_id=state.id)
        else:  # a press: its message is the "original" that later edits change
            state.original = self.messages[state.payload["message"]["id"]]
            if kind == CALLBACK_UPDATE:
                resource = self._edited(state.original, data)
                self._record("edit", resource, body.files, interaction_id=state.id)
        if body.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        response: dict[str, Any] = {
            "interaction": {
                "id": state.id,
                "type": state.payload["type"],
                "activity_instance_id": None,
                "response_message_id": resource["id"] if resource else None,
                "response_message_loading": kind == CALLBACK_DEFERRED,
                "response_message_ephemeral": state.ephemeral,
            },
        }
        if resource is not None:
            response["resource"] = {"type": kind, "message": resource}
        return response

    def _token_state(self, body: Body) -> InteractionState | web.Response:
        state = self._interaction_by_token(body.params["token"])
        if state is None or body.params["application_id"] != self.application_id:
            return _error(401, 50027, "Invalid Webhook Token")
        if time.perf_counter() - state.created > FOLLOW_UP_WINDOW:
            return _error(401, 50027, "Invalid Webhook Token")
        if not state.answered:
            return _error(404, 10015, "Unknown Webhook")  # no answer yet: nothing to follow
        return state

    async def create_follow_up(self, request: web.Request, body: Body) -> Any:
        state = self._token_state(body)
        if isinstance(state, web.Response):
            return state
        data = body.json or {}
        check_message(data, body.files)
        original = state.original
        if original is not None and original.get("flags", 0) & LOADING:
            # The first follow-up after "thinking…" becomes that message (keeping whether
            # it was ephemeral).
            files_added = self._store(original["channel_id"], {}, body.files, body.filenames)
            original["attachments"] = files_added["attachments"]
            self._edited(original, {**data, "flags": original["flags"] & EPHEMERAL})
            self._record("follow-up", original, body.files, interaction_id=state.id)
            return original
        metadata = {"id": state.id, "type": state.payload["type"], "user": self.bot}
        stored = self._store(
            state.payload["channel_id"], data, body.files, body.filenames, interaction=metadata
        )
        state.follow_ups.append(stored)
        self._record("follow-up", stored, body.files, interaction_id=state.id)
        return stored

    def _webhook_message(
        self, state: InteractionState, message_id: str
    ) -> dict[str, Any] | web.Response:
        if message_id == "@original":
            if state.original is None:
                return _error(404, 10008, "Unknown Message")
            return state.original
        for stored in [state.original, *state.follow_ups]:
            if stored is not None and stored["id"] == message_id:
                return stored
        return _error(404, 10008, "Unknown Message")

    async def get_webhook_message(self, request: web.Request, body: Body) -> Any:
        state = self._token_state(body)
        if isinstance(state, web.Response):
            return state
        return self._webhook_message(state, body.params["message_id"])

    async def edit_webhook_message(self, request: web.Request, body: Body) -> Any:
        state = self._token_state(body)
        if isinstance(state, web.Response):
            return state
        stored = self._webhook_message(state, body.params["message_id"])
        if isinstance(stored, web.Response):
            return stored
        check_message(body.json or {}, body.files, editing=True)
        self._record("edit", self._edited(stored, body.json or {}), body.files, None, state.id)
        return stored

    async def delete_webhook_message(self, request: web.Request, body: Body) -> Any:
        state = self._token_state(body)
        if isinstance(state, web.Response):
            return state
        stored = self._webhook_message(state, body.params["message_id"])
        if isinstance(stored, web.Response):
            return stored
        self.messages.pop(stored["id"], None)
        return web.Response(status=204)

    def _overwrite(self, scope: str | None, commands: Any) -> Any:
        if not isinstance(commands, list) or len(commands) > 100:
            return _error(400, 50035, "Invalid Form Body: at most 100 commands")
        stored = []
        previous = {c["name"]: c for c in self.commands.get(scope, [])}
        for command in commands:
            name = command.get("name", "")
            if not re.fullmatch(r"[-_\w]{1,32}", name) or name != name.lower():
                return _error(400, 50035, f"Invalid Form Body: command name {name!r}")
            if not 1 <= len(command.get("description") or "") <= 100:
                return _error(400, 50035, f"Invalid Form Body: /{name} description")
            for option in command.get("options") or []:
                if not 1 <= len(option.get("description") or "") <= 100:
                    return _error(400, 50035, f"Invalid Form Body: /{name} option description")
            kept_id = previous.get(name, {}).get("id") or self.ids()
            stored.append({
                "type": 1, "options": [], "default_member_permissions": None, "nsfw": False,
                **command, "id": kept_id, "application_id": self.application_id,
                "version": self.ids(), **({"guild_id": scope} if scope else {}),
            })  # fmt: skip
        self.commands[scope] = stored
        return stored

    async def overwrite_global_commands(self, request: web.Request, body: Body) -> Any:
        if body.params["application_id"] != self.application_id:
            return _error(403, 50001, "Missing Access")
        return self._overwrite(None, body.json)

    async def overwrite_guild_commands(self, request: web.Request, body: Body) -> Any:
        if body.params["application_id"] != self.application_id:
            return _error(403, 50001, "Missing Access")
        guild_id = body.params["guild_id"]
        if guild_id not in self.guilds:
            return _error(403, 50001, "Missing Access")
        return self._overwrite(guild_id, body.json)

    async def get_global_commands(self, request: web.Request, body: Body) -> Any:
        return self.commands.get(None, [])

    async def get_guild_commands(self, request: web.Request, body: Body) -> Any:
        return self.commands.get(body.params["guild_id"], [])


def _route(method: str, template: str, handler: str, auth: bool = True) -> tuple[Any, ...]:
    """A route as Discord's documentation writes it, e.g. "/channels/{channel.id}/messages"."""

    def group(match: re.Match[str]) -> str:
        name = "token" if match[2] == "token" else f"{match[1]}_{match[2]}"
        return f"(?P<{name}>[^/]+)"

    pattern = re.sub(r"\{(\w+)\.(\w+)\}", group, template)
    return method, re.compile(pattern), f"{method} {template}", handler, auth


CHANNEL = "/channels/{channel.id}"
HOOK = "/webhooks/{application.id}/{interaction.token}"
COMMANDS = "/applications/{application.id}/commands"
GUILD_COMMANDS = "/applications/{application.id}/guilds/{guild.id}/commands"
ROUTES = [
    _route("GET", "/gateway/bot", "get_gateway_bot"),
    _route("GET", "/gateway", "get_gateway", auth=False),
    _route("GET", "/users/@me", "get_current_user"),
    _route("GET", "/oauth2/applications/@me", "get_current_application"),
    _route("GET", "/applications/@me", "get_current_application"),
    _route("GET", "/users/{user.id}", "get_user"),
    _route("POST", "/users/@me/channels", "create_dm"),
    _route("POST", CHANNEL + "/messages", "create_message"),
    _route("PATCH", CHANNEL + "/messages/{message.id}", "edit_message"),
    _route("POST", CHANNEL + "/typing", "trigger_typing"),
    _route(
        "POST",
        "/interactions/{interaction.id}/{interaction.token}/callback",
        "create_interaction_response",
        auth=False,
    ),
    _route("POST", HOOK, "create_follow_up", auth=False),
    _route("GET", HOOK + "/messages/{message.id}", "get_webhook_message", auth=False),
    _route("PATCH", HOOK + "/messages/{message.id}", "edit_webhook_message", auth=False),
    _route("DELETE", HOOK + "/messages/{message.id}", "delete_webhook_message", auth=False),
    _route("PUT", COMMANDS, "overwrite_global_commands"),
    _route("GET", COMMANDS, "get_global_commands"),
    _route("PUT", GUILD_COMMANDS, "overwrite_guild_commands"),
    _route("GET", GUILD_COMMANDS, "get_guild_commands"),
]


def _ok(result: Any) -> web.Response:
    """A success with the rate-limit headers Discord sends (a bucket never exhausted here)."""
    headers = {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Bucket": "fakebucket",
    }
    return _json(result, headers=headers)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON the way Discord labels it: discord.py parses a body only when its Content-Type is
    exactly "application/json" (aiohttp's json_response would add "; charset=utf-8")."""
    data = json.dumps(body, ensure_ascii=False).encode()
    return web.Response(
        body=data, status=status, headers={**(headers or {}), "Content-Type": "application/json"}
    )


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"message": message, "code": code}, status=status)


def _failure(failure: Failure, route: str) -> web.Response:
    if failure.status != 429:
        reason = HTTPStatus(failure.status).phrase
        return _json({"message": f"{failure.status}: {reason}", "code": 0}, failure.status)
    headers = {
        "Retry-After": str(max(1, round(failure.retry_after))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset-After": f"{failure.retry_after:.3f}",
        "X-RateLimit-Reset": f"{time.time() + failure.retry_after:.3f}",
        "X-RateLimit-Bucket": "fakebucket",
        "X-RateLimit-Scope": "shared" if not failure.is_global else "global",
        "Via": "1.1 google",  # discord.py takes a 429 without it for a Cloudflare ban
    }
    if failure.is_global:
        headers["X-RateLimit-Global"] = "true"
    body = {
        "message": "You are being rate limited.",
        "retry_after": failure.retry_after,
        "global": failure.is_global,
        "code": 0,
    }
    return _json(body, status=429, headers=headers)
