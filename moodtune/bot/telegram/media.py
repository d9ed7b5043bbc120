"""Fetching a photo or a voice note from Telegram into memory, never onto disk.

The Bot API lets bots download files of at most 20 MB; anything bigger is refused from the
size Telegram announces, before a byte is fetched.
"""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest

from moodtune.bot.telegram.delivery import with_retries

TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024
MB = 1024 * 1024


class FileTooBigError(ValueError):
    """A file over the limit: `size` (None: unknown) and `limit` in bytes."""

    def __init__(self, size: int | None, limit: int) -> None:
        told = "too big" if size is None else f"{size / MB:.1f} MB"
        super().__init__(f"the file is {told}; the limit is {limit / MB:.0f} MB")
        self.size = size
        self.limit = limit


def check_size(size: int | None, limit: int) -> None:
    if size is not None and size > limit:
        raise FileTooBigError(size, limit)


async def download(bot: Bot, file_id: str, announced_size: int | None, limit: int) -> bytes:
    """The file's bytes, in memory. FileTooBigError before downloading anything too big."""
    limit = min(limit, TELEGRAM_DOWNLOAD_LIMIT)
    check_size(announced_size, limit)
    try:
        telegram_file = await with_retries(lambda: bot.get_file(file_id), "getFile")
    except BadRequest as error:  # the message gave no size; Telegram refuses big files
        if "too big" in str(error).lower():
            raise FileTooBigError(None, limit) from None
        raise
    check_size(telegram_file.file_size, limit)
    data = await with_retries(telegram_file.download_as_bytearray, "download")
    check_size(len(data), limit)  # neither the message nor getFile gave a size
    return bytes(data)
