"""Which files sent as documents the engines can read: photos and sound, nothing else."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Literal

Kind = Literal["photo", "voice"]

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff"}
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"}
SOUND_SUFFIXES = {".ogg", ".oga", ".opus", ".mp3", ".wav", ".flac", ".m4a", ".aac", ".webm"}


def document_kind(media_type: str | None, filename: str | None) -> Kind | None:
    """'photo', 'voice' or None (unsupported), from the declared type, else the name.

    The declared type is only a hint: the engines check the bytes themselves.
    """
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
