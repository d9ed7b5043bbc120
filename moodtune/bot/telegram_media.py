"""Fetching a photo or a voice note from Telegram into memory, never onto disk.

The Bot API lets bots download files of at most 20 MB; anything bigger is refused from the
size Telegram announces, before a byte is fetched.
"""

from __future__ import annotations

from telegram import Bot

TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024
MB = 1024 * 1024


class FileTooBigError(ValueError):
    """A file over the limit: `size` and `limit` in bytes, for the polite refusal."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the file is {size / MB:.1f} MB; the limit is {limit / MB:.0f} MB")
        self.size = size
        self.limit = limit


def check_size(size: int | None, limit: int) -> None:
    if size is not None and size > limit:
        raise FileTooBigError(size, limit)


async def download(bot: Bot, file_id: str, announced_size: int | None, limit: int) -> bytes:
    """The file's bytes, in memory. FileTooBigError before downloading anything too big."""
    limit = min(limit, TELEGRAM_DOWNLOAD_LIMIT)
    check_size(announced_size, limit)
    telegram_file = await bot.get_file(file_id)
    check_size(telegram_file.file_size, limit)
    data = await telegram_file.download_as_bytearray()
    check_size(len(data), limit)  # neither the message nor getFile gave a size
    return bytes(data)
