"""An HTTP forward proxy on 127.0.0.1, enough for aiohttp's `proxy=`: CONNECT tunnels, and
absolute-form requests (`GET http://host/path`) forwarded in origin form. After the first
request a connection is piped through as bytes, so WebSocket upgrades and keep-alive work.

It records the first request line of each connection and the local port of each connection
it opens upstream, so a test can check that every connection the server saw came from it.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit


class LoopbackProxy:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.upstream_ports: set[int] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            writer.close()
            return
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, version = request_line.split(" ", 2)
        self.requests.append(f"{method} {target}")
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            first = b""
        else:
            url = urlsplit(target)
            host, port = url.hostname or "", str(url.port or 80)
            path = url.path + (f"?{url.query}" if url.query else "")
            kept = [h for h in header_lines if h and not h.lower().startswith("proxy-")]
            first = "\r\n".join([f"{method} {path} {version}", *kept, "", ""]).encode("latin-1")
        try:
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
            writer.close()
            return
        self.upstream_ports.add(up_writer.get_extra_info("sockname")[1])
        if method == "CONNECT":
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            up_writer.write(first)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()
