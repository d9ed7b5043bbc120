"""The fake Discord's REST API (v10), as a part of FakeDiscord: the routes the bot uses,
named after Discord's documentation, answering as Discord does (JSON labelled exactly
"application/json", rate-limit headers, Discord's error codes), with Discord's rules for
interactions (3 seconds for the first answer, one answer, follow-ups filling in
"thinking…") and for what a message may hold (discord_limits.py)."""

from __future__ import annotations

import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from aiohttp import web
from discord_limits import Invalid, check_message
from discord_payloads import DM, EPHEMERAL, MESSAGE_COMPONENT, attachment, message, timestamp, user
from fake_records import Body, Call, Failure, InteractionState, Sent

API = "/api/v10"
LOADING = 1 << 7  # message flag: "the application is thinking…"
INTERACTION_WINDOW = 3.0  # seconds Discord gives for the first answer to an interaction
FOLLOW_UP_WINDOW = 15 * 60.0  # seconds an interaction token stays valid
NONCE_WINDOW = 5 * 60.0  # seconds an enforced nonce makes a second send return the first
CALLBACK_MESSAGE, CALLBACK_DEFERRED, CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE = 4, 5, 6, 7
Handler = Callable[[web.Request, Body], Awaitable[Any]]


class DiscordRest:
    """The REST half of FakeDiscord (which holds the state below and serves `_api`)."""

    token: str
    port: int
    ids: Callable[[], str]  # new snowflakes
    interaction_window: float
    application_id: str
    bot: dict[str, Any]
    users: dict[str, dict[str, Any]]
    channels: dict[str, dict[str, Any]]
    guilds: dict[str, Any]
    blocked: set[str]
    messages: dict[str, dict[str, Any]]
    files: dict[str, bytes]
    chunked: set[str]
    downloads: list[str]
    calls: list[Call]
    sent: list[Sent]
    interactions: dict[str, InteractionState]
    commands: dict[str | None, list[dict[str, Any]]]
    _replies: dict[str, list[Sent]]
    _answers: dict[str, list[Sent]]
    _by_token: dict[str, InteractionState]
    nonces: dict[tuple[str, str], tuple[str, float]]  # (channel, nonce) → (message, when)
    nonce_hits: int
    _failures: dict[str, deque[Failure]]

    def dm_channel(self, user_id: str) -> str:
        raise NotImplementedError

    def _notify(self) -> None:
        raise NotImplementedError

    @property
    def gateway_url(self) -> str:
        raise NotImplementedError

    @property
    def cdn_url(self) -> str:
        raise NotImplementedError

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
            url = f"{self.cdn_url}/{channel_id}/{attachment_id}/{name}"
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
        nonce = payload.get("nonce")
        if nonce is not None and payload.get("enforce_nonce"):
            earlier = self.nonces.get((channel_id, str(nonce)))
            if earlier is not None and time.perf_counter() - earlier[1] < NONCE_WINDOW:
                self.nonce_hits += 1
                return self.messages[earlier[0]]  # the message made the first time
        reference = (payload.get("message_reference") or {}).get("message_id")
        if reference is not None and str(reference) not in self.messages:
            return _error(400, 50035, "Invalid Form Body: Unknown message")
        reply_to = str(reference) if reference is not None else None
        extra = {"referenced": self.messages[reply_to]} if reply_to else {}
        stored = self._store(channel_id, payload, body.files, body.filenames, **extra)
        if nonce is not None:
            stored["nonce"] = nonce
            self.nonces[(channel_id, str(nonce))] = (stored["id"], time.perf_counter())
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
