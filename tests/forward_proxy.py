"""A small HTTP proxy on 127.0.0.1, as people who reach Telegram or Discord only through one
run it: CONNECT tunnels (how HTTPS goes through a proxy) and plain requests in absolute
form (how HTTP does, a ws:// WebSocket's upgrade included), optionally behind Basic proxy
authentication, optionally spoken to over TLS (an https:// proxy).

It remembers every request line it was asked for, and it alone knows the `hosts` it is
given (say telegram.test → 127.0.0.1): a client that names such a host can reach it only
through the proxy, so a test can tell that nothing went around it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ssl
from urllib.parse import urlsplit

HOP_BY_HOP = ("proxy-authorization", "proxy-connection", "connection", "keep-alive")


class ForwardProxy:
    def __init__(
        self, hosts: dict[str, str] | None = None, credentials: tuple[str, str] | None = None
    ) -> None:
        self.hosts = hosts or {}
        self.seen: list[str] = []  # "CONNECT host:port", "POST http://host:port/path", ...
        self.refused: list[str] = []  # asked without the right credentials
        self._authorization = None
        if credentials:
            pair = base64.b64encode(":".join(credentials).encode()).decode()
            self._authorization = f"Basic {pair}"
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.scheme = "http"
        self.port = 0

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    async def start(self, tls: ssl.SSLContext | None = None) -> None:
        """Listen on a free loopback port; over TLS with `tls` (a server context)."""
        self.scheme = "https" if tls else "http"
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=tls)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):  # tunnels kept alive by their clients
                writer.close()
            await self._server.wait_closed()

    def methods(self) -> list[str]:
        """The Bot API methods (or "file") of the requests that came through."""
        return [line.rsplit("/", 1)[-1] if "/file/" not in line else "file" for line in self.seen]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode("latin-1").split("\r\n")[:-2]
            method, target, version = request_line.split(" ")
            headers = [line.split(":", 1) for line in header_lines]
            given = next((v.strip() for k, v in headers if k.lower() == "proxy-authorization"), "")
            if self._authorization is not None and given != self._authorization:
                self.refused.append(f"{method} {target}")
                await _answer(writer, "407 Proxy Authentication Required",
                              'Proxy-Authenticate: Basic realm="test"\r\n')  # fmt: skip
                return
            self.seen.append(f"{method} {target}")
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                upstream = await self._connect(writer, host, int(port))
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:  # one request per connection, passed on in origin form
                url = urlsplit(target)
                upstream = await self._connect(writer, url.hostname or "", url.port or 80)
                path = url.path + (f"?{url.query}" if url.query else "")
                kept = "".join(f"{k}:{v}\r\n" for k, v in headers if k.lower() not in HOP_BY_HOP)
                upgrade = any(k.lower() == "upgrade" for k, _ in headers)  # a ws:// WebSocket
                connection = "Upgrade" if upgrade else "close"
                head = f"{method} {path} {version}\r\n{kept}Connection: {connection}\r\n\r\n"
                upstream[1].write(head.encode("latin-1"))
            await asyncio.gather(_copy(reader, upstream[1]), _copy(upstream[0], writer))
        except (asyncio.IncompleteReadError, ConnectionError, _Refused):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _connect(
        self, writer: asyncio.StreamWriter, host: str, port: int
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        try:
            upstream = await asyncio.open_connection(self.hosts.get(host, host), port)
        except OSError as error:
            await _answer(writer, "502 Bad Gateway")
            raise _Refused from error
        self._writers.add(upstream[1])
        return upstream


class _Refused(Exception):
    """The proxy could not reach the host it was asked for (and said so)."""


async def _answer(writer: asyncio.StreamWriter, status: str, headers: str = "") -> None:
    writer.write(f"HTTP/1.1 {status}\r\n{headers}Content-Length: 0\r\n\r\n".encode())
    with contextlib.suppress(ConnectionError):
        await writer.drain()


async def _copy(source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
    """Bytes from one side to the other until either side is done; then close both ways."""
    try:
        while data := await source.read(65536):
            target.write(data)
            await target.drain()
    except ConnectionError:
        pass
    finally:
        target.close()
