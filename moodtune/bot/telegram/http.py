"""python-telegram-bot's HTTP transport on aiohttp instead of httpx.

Under a burst, httpcore's connection pool re-checks every connection against every waiting
request each time one frees up: measured here, that alone cost more CPU per update than
moodtune's whole handler. aiohttp's pool hands connections out in constant time, and its
HTTP parser is compiled. Same contract as PTB's HTTPXRequest: (status, body) back, a
timeout raised as TimedOut, any other transport failure as NetworkError.

Every request goes through `proxy` when there is one (see proxy.py for which).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from moodtune.bot.proxy import Proxy

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 5.0  # seconds, as PTB's own transport
MEDIA_WRITE_TIMEOUT = 20.0  # uploads (a chart) get longer, as in PTB
JSON_HEADERS = {"Content-Type": "application/json"}
UNSET = BaseRequest.DEFAULT_NONE  # PTB's "whatever this transport was built with"


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a pool of `connections` to the Bot API.

    aiohttp has no separate write timeout: a request's write timeout bounds the whole
    request, on top of the read timeout for the answer.
    """

    def __init__(
        self,
        connections: int = 1,
        read_timeout: float | None = DEFAULT_TIMEOUT,
        connect_timeout: float | None = DEFAULT_TIMEOUT,
        pool_timeout: float | None = 1.0,
        write_timeout: float | None = DEFAULT_TIMEOUT,
        proxy: Proxy | None = None,
    ) -> None:
        self._connections = connections
        self._proxy = proxy
        self._timeouts = {
            "read": read_timeout, "connect": connect_timeout,
            "pool": pool_timeout, "write": write_timeout,
        }  # fmt: skip
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                proxy=self._proxy.url if self._proxy else None,
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("this AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, files)
        body, headers = _body(request_data, files)
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                answer = response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut(f"the Bot API did not answer in time ({url_method(url)})") from error
        except aiohttp.ClientError as error:
            raise NetworkError(describe(error)) from error
        log.debug("%s %s: HTTP %d", method, url, answer[0])  # the token is redacted in logs
        return answer

    def _timeout(
        self, read: Any, write: Any, connect: Any, pool: Any, files: Any
    ) -> aiohttp.ClientTimeout:
        """PTB passes DEFAULT_NONE for "whatever this transport was built with"."""

        def pick(value: Any, name: str) -> float | None:
            return self._timeouts[name] if value is UNSET else value

        write_default = MEDIA_WRITE_TIMEOUT if files else self._timeouts["write"]
        write_s = write_default if write is UNSET else write
        read_s, connect_s, pool_s = pick(read, "read"), pick(connect, "connect"), pick(pool, "pool")
        total = None if read_s is None or write_s is None else read_s + write_s
        # aiohttp's `connect` is the wait for a pooled connection plus connecting.
        wait = None if connect_s is None or pool_s is None else connect_s + pool_s
        return aiohttp.ClientTimeout(total=total, connect=wait, sock_read=read_s)


def _body(
    request_data: RequestData | None, files: dict[str, Any] | None
) -> tuple[Any, dict[str, str] | None]:
    """JSON, which the Bot API takes and which costs less to encode than a form; multipart
    when there are files (as PTB's own transport)."""
    if request_data is None:
        return None, None
    if not files:
        return json.dumps(request_data.parameters).encode(), JSON_HEADERS
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form, None


def describe(error: aiohttp.ClientError) -> str:
    """What went wrong, in a line: e.g. "cannot connect to the proxy 127.0.0.1:3128:
    Connection refused", "the proxy answered 407 Proxy Authentication Required"."""
    if isinstance(error, aiohttp.ClientHttpProxyError):
        return f"the proxy answered {error.status} {error.message}"
    if isinstance(error, aiohttp.ClientConnectorError) and not isinstance(
        error, aiohttp.ClientSSLError
    ):
        cause = error.os_error
        reason = os.strerror(cause.errno) if (cause.errno or 0) > 0 else cause.strerror
        proxy = "the proxy " if isinstance(error, aiohttp.ClientProxyConnectionError) else ""
        return f"cannot connect to {proxy}{error.host}:{error.port}: {reason or cause}"
    return f"aiohttp.{type(error).__name__}: {error}"


def url_method(url: str) -> str:
    """The Bot API method (or "file") a URL calls, without the token that precedes it."""
    return url.rsplit("/", 1)[-1] if "/file/" not in url else "file"
