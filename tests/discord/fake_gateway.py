"""The gateway half of the fake Discord: a WebSocket on 127.0.0.1 that speaks Discord's
gateway protocol v10 the way discord.py expects it.

HELLO, IDENTIFY → READY and a GUILD_CREATE per guild, heartbeats and their ACKs, dispatches
with sequence numbers, RESUME → the missed dispatches and RESUMED, RECONNECT, INVALID_SESSION,
and the close codes Discord uses. Frames are JSON, zlib-stream compressed when the URL asks
for it (`compress=zlib-stream`: one zlib stream per connection, each frame ending with a
Z_SYNC_FLUSH), plain text otherwise.
https://discord.com/developers/docs/events/gateway
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from discord_payloads import INTENTS, PRIVILEGED

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    0, 1, 2, 6, 7, 9, 10, 11,
)  # fmt: skip
CLOSE_UNKNOWN_ERROR = 4000  # resumable
CLOSE_UNKNOWN_OPCODE = 4001
CLOSE_DECODE_ERROR = 4002
CLOSE_NOT_AUTHENTICATED = 4003
CLOSE_AUTHENTICATION_FAILED = 4004  # not resumable, not to be retried
CLOSE_INVALID_SEQ = 4007  # reconnect with a new session
CLOSE_SESSION_TIMED_OUT = 4009  # reconnect with a new session
CLOSE_DISALLOWED_INTENTS = 4014
SESSION_ENDING = {CLOSE_INVALID_SEQ, CLOSE_SESSION_TIMED_OUT}  # a RESUME after these fails
ZLIB_SUFFIX = b"\x00\x00\xff\xff"


@dataclass
class Connection:
    """One WebSocket connection, with its own compression stream and outgoing queue."""

    ws: web.WebSocketResponse
    path: str
    query: dict[str, str]
    remote_port: int | None
    split_frames: bool
    outbox: asyncio.Queue[dict[str, Any] | None] = field(default_factory=asyncio.Queue)
    compressor: Any = None
    session: Session | None = None
    heartbeats: list[int | None] = field(default_factory=list)  # the sequence each carried
    closed_with: int | None = None

    def encode(self, frame: dict[str, Any]) -> list[bytes] | str:
        text = json.dumps(frame, separators=(",", ":"), ensure_ascii=False)
        if self.compressor is None:
            return text
        data = self.compressor.compress(text.encode()) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
        if self.split_frames and len(data) > 8:  # Discord may split a frame across messages
            middle = len(data) // 2
            return [data[:middle], data[middle:]]
        return [data]


@dataclass
class Session:
    session_id: str
    intents: int
    shard: list[int] | None
    sequence: int = 0
    frames: list[dict[str, Any]] = field(default_factory=list)  # every dispatch, for RESUME
    connection: Connection | None = None
    alive: bool = True

    def allows(self, intent: str) -> bool:
        return bool(self.intents & INTENTS[intent])


class FakeGateway:
    """The gateway. `ready_payload()` and `guild_payloads()` come from the fake Discord."""

    def __init__(
        self,
        token: str,
        ready_payload: Callable[[Session], dict[str, Any]],
        guild_payloads: Callable[[], list[dict[str, Any]]],
        granted_intents: set[str],
        heartbeat_interval_ms: int = 41_250,
    ) -> None:
        self.token = token
        self._ready_payload = ready_payload
        self._guild_payloads = guild_payloads
        self.granted = granted_intents  # privileged intents switched on in the portal
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.split_frames = False
        self.resume_url = ""  # set by the fake Discord once its port is known
        self.connections: list[Connection] = []
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.sessions: dict[str, Session] = {}
        self.session: Session | None = None  # the one a dispatch goes to
        self._pending: list[tuple[str, dict[str, Any], str | None]] = []  # before any session
        self._changed: Callable[[], None] = lambda: None
        self.ready = asyncio.Event()

    def on_change(self, notify: Callable[[], None]) -> None:
        self._changed = notify

    # What the tests do to the connected client.

    def dispatch(self, event: str, data: dict[str, Any], intent: str | None = None) -> bool:
        """Send a DISPATCH to the current session, if its intents let it see this event;
        before any session exists it waits for the first one. Whether it was sent."""
        session = self.session
        if session is None:
            self._pending.append((event, data, intent))
            return True
        if intent is not None and not session.allows(intent):
            return False
        self._send_dispatch(session, event, data)
        return True

    @property
    def connection(self) -> Connection | None:
        return self.session.connection if self.session else None

    async def close(self, code: int) -> None:
        """Close the current connection with `code`. 4007 and 4009 also end the session, so
        the client's RESUME is answered with INVALID_SESSION and it identifies again."""
        connection = self.connection or (self.connections[-1] if self.connections else None)
        if code in SESSION_ENDING and self.session is not None:
            self._end(self.session)
        if connection is not None:
            await self._close(connection, code)

    def request_reconnect(self) -> None:
        """Opcode 7: the client should reconnect and resume."""
        self._send_control(RECONNECT, None)

    def invalidate_session(self, resumable: bool) -> None:
        """Opcode 9: resumable=False ends the session (the client identifies again)."""
        self._send_control(INVALID_SESSION, resumable)
        if not resumable and self.session is not None:
            self._end(self.session)

    def ask_heartbeat(self) -> None:
        """Opcode 1 from the server: the client must send a heartbeat at once."""
        self._send_control(HEARTBEAT, None)

    async def stop(self) -> None:
        for connection in self.connections:
            if not connection.ws.closed:
                with contextlib.suppress(Exception):
                    await self._close(connection, 1001)

    # The WebSocket endpoint.

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        peer = request.transport.get_extra_info("peername") if request.transport else None
        connection = Connection(
            ws, request.path, dict(request.query), peer[1] if peer else None, self.split_frames
        )
        self.connections.append(connection)
        self._changed()
        compress = request.query.get("compress")
        if compress == "zlib-stream":
            connection.compressor = zlib.compressobj()
        elif compress is not None:
            await ws.close(code=CLOSE_DECODE_ERROR, message=f"unsupported {compress}".encode())
            log.error("the fake gateway speaks zlib-stream only, not %s", compress)
            return ws
        if request.query.get("encoding", "json") != "json":
            await ws.close(code=CLOSE_DECODE_ERROR, message=b"json only")
            return ws
        writer = asyncio.create_task(self._write(connection))
        connection.outbox.put_nowait(
            {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
        )
        try:
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    await self._close(connection, CLOSE_DECODE_ERROR)
                    break
                await self._receive(connection, message.data)
        finally:
            connection.outbox.put_nowait(None)
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer
            if connection.session is not None and connection.session.connection is connection:
                connection.session.connection = None
            self._changed()
        return ws

    async def _receive(self, connection: Connection, text: str) -> None:
        try:
            frame = json.loads(text)
            op = frame["op"]
        except (ValueError, KeyError, TypeError):
            await self._close(connection, CLOSE_DECODE_ERROR)
            return
        data = frame.get("d")
        if op == HEARTBEAT:
            connection.heartbeats.append(data)
            connection.outbox.put_nowait({"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})
        elif connection.session is None:
            await self._close(connection, CLOSE_NOT_AUTHENTICATED)
        elif op in (3, 4, 8):  # presence, voice state, member chunk requests: accepted
            pass
        else:
            await self._close(connection, CLOSE_UNKNOWN_OPCODE)
        self._changed()

    async def _identify(self, connection: Connection, data: dict[str, Any]) -> None:
        self.identifies.append({k: v for k, v in data.items() if k != "token"})
        if data.get("token") != self.token:
            await self._close(connection, CLOSE_AUTHENTICATION_FAILED)
            return
        intents = int(data.get("intents", 0))
        asked = {name for name in PRIVILEGED if intents & INTENTS[name]}
        if asked - self.granted:
            await self._close(connection, CLOSE_DISALLOWED_INTENTS)
            return
        if self.session is not None and self.session.alive:
            self._end(self.session)  # a new IDENTIFY starts a new session
        session = Session(secrets.token_hex(16), intents, data.get("shard"))
        self.sessions[session.session_id] = session
        self.session = session
        session.connection = connection
        connection.session = session
        self._send_dispatch(session, "READY", self._ready_payload(session))
        if session.allows("guilds"):
            for payload in self._guild_payloads():
                self._send_dispatch(session, "GUILD_CREATE", payload)
        pending, self._pending = self._pending, []
        for event, payload, intent in pending:
            if intent is None or session.allows(intent):
                self._send_dispatch(session, event, payload)
        self.ready.set()

    async def _resume(self, connection: Connection, data: dict[str, Any]) -> None:
        self.resumes.append({k: v for k, v in data.items() if k != "token"})
        session = self.sessions.get(str(data.get("session_id")))
        seq = data.get("seq")
        if data.get("token") != self.token:
            await self._close(connection, CLOSE_AUTHENTICATION_FAILED)
            return
        if (
            session is None
            or not session.alive
            or not isinstance(seq, int)
            or seq > session.sequence
        ):
            connection.outbox.put_nowait({"op": INVALID_SESSION, "d": False})
            return
        self.session = session
        session.connection = connection
        connection.session = session
        for frame in session.frames:
            if frame["s"] > seq:
                connection.outbox.put_nowait(frame)
        self._send_dispatch(session, "RESUMED", {})

    # Internals.

    def _send_dispatch(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.sequence += 1
        frame = {"op": DISPATCH, "t": event, "s": session.sequence, "d": data}
        session.frames.append(frame)
        if session.connection is not None:
            session.connection.outbox.put_nowait(frame)
        self._changed()

    def _send_control(self, op: int, data: Any) -> None:
        connection = self.connection
        if connection is None:
            raise RuntimeError("no client is connected to the fake gateway")
        connection.outbox.put_nowait({"op": op, "d": data})

    def _end(self, session: Session) -> None:
        """The session is over: a RESUME of it fails; dispatches wait for the next one."""
        session.alive = False
        if self.session is session:
            self.session = None

    async def _close(self, connection: Connection, code: int) -> None:
        connection.closed_with = code
        if connection.session is not None and connection.session.connection is connection:
            connection.session.connection = None
        await connection.ws.close(code=code)
        self._changed()

    async def _write(self, connection: Connection) -> None:
        while (frame := await connection.outbox.get()) is not None:
            encoded = connection.encode(frame)
            try:
                if isinstance(encoded, str):
                    await connection.ws.send_str(encoded)
                else:
                    for part in encoded:
                        await connection.ws.send_bytes(part)
            except (ConnectionError, RuntimeError):
                return
