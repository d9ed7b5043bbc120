"""Which files sent as documents the engines can read: photos and sound, nothing else.

Before a file is fetched only its declared type and name are known (``document_kind``,
enough to choose a size limit or to refuse a spreadsheet unread). Once its bytes are
here they decide (``fetched_document_kind``): a PNG sent as "audio/ogg" is read as a
photo, an MP3 named "photo.jpg" as sound. The declared type is the fallback only for
bytes that say nothing recognisable, and then the engine that gets them explains.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Literal

Kind = Literal["photo", "voice"]

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff"}
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"}
SOUND_SUFFIXES = {".ogg", ".oga", ".opus", ".mp3", ".wav", ".flac", ".m4a", ".aac", ".webm"}

# The first bytes of the pictures the photo engine reads (JPEG, PNG, GIF; WebP below).
PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


def document_kind(media_type: str | None, filename: str | None) -> Kind | None:
    """'photo', 'voice' or None (unsupported), from the declared type, else the name."""
    media = (media_type or "").split(";")[0].strip().lower()
    if media in PHOTO_TYPES:
        return "photo"
    if media.startswith("audio/") or media in ("video/ogg", "application/ogg"):
        return "voice"
    suffix = PurePosixPath(filename or "").suffix.lower()
    if suffix in PHOTO_SUFFIXES:
        return "photo"
    if suffix in SOUND_SUFFIXES:
        return "voice"
    return None


def fetched_document_kind(data: bytes, media_type: str | None, filename: str | None) -> Kind | None:
    """What a fetched file is: from its bytes when they say, else as it was declared."""
    return content_kind(data) or document_kind(media_type, filename)


def content_kind(data: bytes) -> Kind | None:
    """'photo' or 'voice' from the file's first bytes; None when they name neither."""
    head = bytes(data[:16])
    if head.startswith(PHOTO_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "photo"
    # The voice engine's own sniffing; imported here, as the engines are, on first use.
    from moodtune.emotion_engines.voice.containers import UNKNOWN, sniff
    from moodtune.emotion_engines.voice.errors import VoiceInputError

    try:
        container = sniff(head)
    except VoiceInputError:  # a PDF, an archive, a program...: no media at all
        return None
    return None if container is UNKNOWN else "voice"
