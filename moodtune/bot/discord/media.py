"""Fetching an attachment from Discord's CDN into memory, never onto disk, and never more
than the limit: the core refuses a file from its announced size before calling `fetch`,
and a download that turns out bigger stops at the limit instead of filling memory.

discord.py's `Attachment.read()` would read the whole file whatever its size, so the
connector streams it itself, through the same proxy as the rest of its traffic.
"""

from __future__ import annotations

import logging

import aiohttp

from moodtune.handlers.incoming import Fetch, FetchError, FileTooBigError

log = logging.getLogger(__name__)

CHUNK = 256 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=120, sock_connect=15, sock_read=30)


class AttachmentFetcher:
    """One HTTP session for every attachment download; `close()` when the bot stops."""

    def __init__(self, proxy: str | None = None) -> None:
        self.proxy = proxy
        self._session: aiohttp.ClientSession | None = None

    def fetcher(self, url: str) -> Fetch:
        return lambda limit: self.fetch(url, limit)

    async def fetch(self, url: str, limit: int) -> bytes:
        """The file's bytes; FileTooBigError past `limit`, FetchError when it cannot be had."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        try:
            async with self._session.get(url, proxy=self.proxy) as response:
                if response.status != 200:
                    raise FetchError(f"the CDN answered {response.status}")
                announced = response.content_length
                if announced is not None and announced > limit:
                    raise FileTooBigError(announced, limit)
                data = bytearray()
                async for chunk in response.content.iter_chunked(CHUNK):
                    data += chunk
                    if len(data) > limit:
                        raise FileTooBigError(None, limit)
                return bytes(data)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise FetchError(f"the download failed: {error.__class__.__name__}") from error

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
