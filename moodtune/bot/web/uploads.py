"""A photo, voice note or other file posted by the page, read as a neutral Media.

The page posts multipart/form-data with, in this order: `id` (its message id), `kind`
(`photo`, `voice` or `file`), `caption` (optional), `size` (the file's size as the page
knows it, optional), then `file`. The small fields are read at once, within bounds; the
file is left in the request until the core fetches it with its limit, and then read in
chunks that stop at the limit: a 50 MB body costs 20 MB of reading at most, and an
announced size over the limit costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import BodyPartReader, web
from aiohttp.http import HttpProcessingError

from moodtune.bot.web.protocol import FrameError, message_id
from moodtune.handlers.incoming import Fetch, FetchError, FileTooBigError, Media, MediaKind

KINDS: dict[str, MediaKind] = {"photo": "photo", "voice": "voice", "file": "document"}
MAX_FIELD_BYTES = 64 * 1024  # a caption of 4,000 Chinese characters is 12 KB
MAX_FILENAME_CHARS = 200
CHUNK_BYTES = 256 * 1024


class UploadError(ValueError):
    """An upload the page should never send: not multipart, a field missing or too big."""


@dataclass(frozen=True, slots=True)
class Upload:
    id: str
    caption: str | None
    media: Media


async def read_upload(request: web.Request) -> Upload:
    """The fields of the upload, its file still unread; UploadError for a malformed one."""
    try:
        reader = await request.multipart()
    except (AssertionError, ValueError, KeyError):  # aiohttp's ways of saying "not multipart"
        raise UploadError("an upload is multipart/form-data") from None
    fields: dict[str, str] = {}
    try:
        while True:
            part = await reader.next()
            if part is None:
                raise UploadError("the upload has no file")
            if not isinstance(part, BodyPartReader):
                raise UploadError("an upload has no nested parts")
            if part.name == "file":
                return _upload(fields, part)
            if part.name not in ("id", "kind", "caption", "size") or part.name in fields:
                raise UploadError(f"unexpected field {str(part.name)[:40]!r}")
            fields[part.name] = await _field(part)
    except (ConnectionError, HttpProcessingError) as error:  # the page went away
        raise UploadError(f"the upload broke off: {error}") from error
    except UploadError:
        raise
    except ValueError as error:  # aiohttp on a mangled boundary or headers
        raise UploadError(f"the upload is malformed: {error}") from error


def _upload(fields: dict[str, str], part: BodyPartReader) -> Upload:
    try:
        page_id = message_id(fields.get("id"))
    except FrameError as error:
        raise UploadError(str(error)) from None
    kind = KINDS.get(fields.get("kind", ""))
    if kind is None:
        raise UploadError("kind is photo, voice or file")
    size = fields.get("size")
    if size is not None and not (size.isascii() and size.isdigit() and len(size) <= 15):
        raise UploadError("size is a number of bytes")
    filename = (part.filename or "")[:MAX_FILENAME_CHARS] or None
    media = Media(
        kind=kind,
        size=int(size) if size is not None else None,
        fetch=_fetcher(part),
        media_type=part.headers.get("Content-Type"),
        filename=filename,
    )
    return Upload(page_id, fields.get("caption") or None, media)


async def _field(part: BodyPartReader) -> str:
    data = bytearray()
    while chunk := await part.read_chunk(CHUNK_BYTES):
        data += chunk
        if len(data) > MAX_FIELD_BYTES:
            raise UploadError(f"the {part.name} field is too long")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UploadError(f"the {part.name} field is not UTF-8 text") from None


def _fetcher(part: BodyPartReader) -> Fetch:
    async def fetch(limit: int) -> bytes:
        """The file, read to its end, or FileTooBigError as soon as it passes `limit`."""
        data = bytearray()
        try:
            while chunk := await part.read_chunk(CHUNK_BYTES):
                data += chunk
                if len(data) > limit:
                    raise FileTooBigError(None, limit)
        except (ConnectionError, HttpProcessingError) as error:  # the page went away
            raise FetchError(f"the upload broke off: {error}") from error
        except FileTooBigError:
            raise
        except ValueError as error:  # aiohttp on a body cut short or a mangled boundary
            raise FetchError(f"the upload is malformed: {error}") from error
        return bytes(data)

    return fetch
