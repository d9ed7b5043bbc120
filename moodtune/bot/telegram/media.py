"""Fetching a photo or a voice note from Telegram into memory, never onto disk.

The Bot API lets bots download files of at most 20 MB (handlers/platforms.py); the core
refuses anything bigger from the size Telegram announces, before a byte is fetched, and
this checks again what getFile and the download itself say.
"""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from moodtune.bot.telegram.delivery import with_retries
from moodtune.handlers.incoming import FetchError, FileTooBigError


def check_size(size: int | None, limit: int) -> None:
    if size is not None and size > limit:
        raise FileTooBigError(size, limit)


async def download(bot: Bot, file_id: str, announced_size: int | None, limit: int) -> bytes:
    """The file's bytes, in memory. FileTooBigError before downloading anything too big;
    FetchError when Telegram would not hand it over."""
    check_size(announced_size, limit)
    try:
        telegram_file = await with_retries(lambda: bot.get_file(file_id), "getFile")
        check_size(telegram_file.file_size, limit)
        data = await with_retries(telegram_file.download_as_bytearray, "download")
    except BadRequest as error:  # the message gave no size; Telegram refuses big files
        if "too big" in str(error).lower():
            raise FileTooBigError(None, limit) from None
        raise FetchError(str(error)) from None
    except TelegramError as error:
        raise FetchError(str(error)) from None
    check_size(len(data), limit)  # neither the message nor getFile gave a size
    return bytes(data)
