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
"thinking…" message; a message sent with an enforced nonce is made once (a second send
gets the first message back); without the message-content intent a server message that
does not mention the bot arrives without its content and attachments; what a message may
hold is checked against Discord's limits (discord_limits.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

from aiohttp import web
from discord_payloads import (
    APPLICATION_COMMAND,
    BUTTON,
    MESSAGE_COMPONENT,
    OPTION_ATTACHMENT,
    OPTION_INTEGER,
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
    user,
)
from fake_gateway import FakeGateway, Session
from fake_records import Call, Failure, Guild, InteractionState, Sent, Upload
from fake_rest import API, CALLBACK_DEFERRED, INTERACTION_WINDOW, DiscordRest

__all__ = ["FakeDiscord", "Guild", "Sent", "Upload"]


class FakeDiscord(DiscordRest):
    def __init__(
        self,
        token: str = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.Gfake0.fake-discord-token_abcdefghijklmnopqrs",
        message_content: bool = True,
        heartbeat_interval_ms: int = 41_250,
        host: str = "127.0.0.1",
    ) -> None:
        self.token = token
        self.host = host
        self.interaction_window = INTERACTION_WINDOW
        self.ids = Snowflakes()
        self.application_id = self.ids()
        self.bot = user(self.application_id, "moodtune", bot=True)
        self.users: dict[str, dict[str, Any]] = {}
        self.locales: dict[str, str] = {}
        self.admins: set[str] = set()
        self.guilds: dict[str, Guild] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.dm_of: dict[str, str] = {}  # user id → their DM channel with the bot
        self.blocked: set[str] = set()  # people who do not accept the bot's DMs
        self.messages: dict[str, dict[str, Any]] = {}  # every message, by id
        self.files: dict[str, bytes] = {}  # attachment id → bytes on the CDN
        self.chunked: set[str] = set()  # attachment ids the CDN sends without a length
        self.downloads: list[str] = []  # attachment ids fetched from the CDN
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.interactions: dict[str, InteractionState] = {}
        self.commands: dict[str | None, list[dict[str, Any]]] = {}  # guild id (None: global)
        self.pushed_at: dict[str, float] = {}  # message or interaction id → when injected
        self._replies: dict[str, list[Sent]] = defaultdict(list)  # message id → replies
        self._answers: dict[str, list[Sent]] = defaultdict(list)  # interaction id → sent
        self._by_token: dict[str, InteractionState] = {}
        self.nonces: dict[tuple[str, str], tuple[str, float]] = {}
        self.nonce_hits = 0  # sends answered with the message an earlier one made
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
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
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway-resume", self.gateway.handle)
        app.router.add_get("/attachments/{channel}/{attachment}/{filename}", self._cdn)
        app.router.add_route("*", API + "/{path:.*}", self._api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.gateway.resume_url = f"ws://{self.address}/gateway-resume"

    async def stop(self) -> None:
        await self.gateway.stop()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def address(self) -> str:
        """host:port in the URLs the fake hands out (`host` may be a name only a proxy
        knows, so that nothing reaches the fake but through it)."""
        return f"{self.host}:{self.port}"

    @property
    def cdn_url(self) -> str:
        return f"http://{self.address}/attachments"

    @property
    def api_url(self) -> str:
        return f"http://{self.address}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.address}/gateway"

    # People, servers, channels.

    def add_user(self, name: str, locale: str = "en-US", admin: bool = False) -> str:
        """A person; `admin`: in every server, they may manage it (an "admins" role)."""
        user_id = self.ids()
        if admin:
            self.admins.add(user_id)
        self.users[user_id] = user(user_id, name)
        self.locales[user_id] = locale
        return user_id

    def add_guild(self, name: str, member_ids: list[str]) -> Guild:
        """A server with one text channel, the bot and these people in it (a GUILD_CREATE
        goes out when the bot is already connected: it has just joined)."""
        guild_id, channel_id = self.ids(), self.ids()
        self.channels[channel_id] = text_channel(channel_id, guild_id, "general")
        server = Guild(guild_id, name, channel_id, list(member_ids), self.ids())
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
            author_member=self._member(guild, user_id) if guild else None,
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
        options: dict[str, str | int | Upload] | None = None,
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
                assert kind in (OPTION_STRING, OPTION_INTEGER), f"{option_name}: type {kind}"
                typed = int(value) if kind == OPTION_INTEGER else value  # type: ignore[arg-type]
                values.append({"name": option_name, "type": kind, "value": typed})
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
        members = [member(self.bot)] + [self._member(server, u) for u in server.member_ids]
        channels = [{k: v for k, v in self.channels[server.channel_id].items() if k != "guild_id"}]
        return guild(server.id, server.name, channels, members, server.admin_role_id)

    def _member(self, server: Guild, user_id: str) -> dict[str, Any]:
        admin = user_id in self.admins
        roles = [server.admin_role_id] if admin else []
        return member(self.users[user_id], roles, admin)

    def _guild_payloads(self) -> list[dict[str, Any]]:
        return [self._guild_payload(server) for server in self.guilds.values()]

    def _channel_of(self, user_id: str, server: Guild | None) -> dict[str, Any]:
        return self.channels[server.channel_id if server else self.dm_channel(user_id)]

    def _upload(self, channel_id: str, upload: Upload) -> dict[str, Any]:
        attachment_id = self.ids()
        self.files[attachment_id] = upload.data
        if upload.chunked:
            self.chunked.add(attachment_id)
        url = f"{self.cdn_url}/{channel_id}/{attachment_id}/{upload.filename}"
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
            admin=user_id in self.admins,
        )
        self.interactions[interaction_id] = InteractionState(payload, time.perf_counter())
        self._by_token[payload["token"]] = self.interactions[interaction_id]
        self.pushed_at[interaction_id] = time.perf_counter()
        self.gateway.dispatch("INTERACTION_CREATE", payload)
        return interaction_id
