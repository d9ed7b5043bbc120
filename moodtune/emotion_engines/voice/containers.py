"""Tell what a file holds from its first bytes, never from its name or claimed type.

A chat app may say "audio/ogg" about anything; the magic bytes decide which decoder
tries (libsndfile for what it reads natively, ffmpeg for the rest) and turn images,
documents and archives away with a sentence instead of a decoder error.
"""

from __future__ import annotations

from dataclasses import dataclass

from moodtune.emotion_engines.reading import Note
from moodtune.emotion_engines.voice.errors import VoiceInputError


@dataclass(frozen=True, slots=True)
class Container:
    name: str
    soundfile: bool  # libsndfile (>= 1.1: OGG Vorbis/Opus, MP3) reads it natively


UNKNOWN = Container("unknown", soundfile=False)

# (offset, magic, container) — libsndfile formats first, then those only ffmpeg decodes.
_AUDIO: tuple[tuple[int, bytes, Container], ...] = (
    (0, b"OggS", Container("OGG", soundfile=True)),
    (0, b"fLaC", Container("FLAC", soundfile=True)),
    (0, b"ID3", Container("MP3", soundfile=True)),
    (0, b"RF64", Container("WAV", soundfile=True)),
    (0, b"caff", Container("CAF", soundfile=True)),
    (4, b"ftyp", Container("M4A", soundfile=False)),
    (0, b"\x1aE\xdf\xa3", Container("WebM", soundfile=False)),
    (0, b"#!AMR", Container("AMR", soundfile=False)),
    (0, b"0&\xb2u\x8ef\xcf\x11", Container("WMA", soundfile=False)),
)

_NOT_AUDIO: tuple[tuple[bytes, Note], ...] = (
    (b"\xff\xd8\xff", Note("file_jpeg", "a JPEG image")),
    (b"\x89PNG", Note("file_png", "a PNG image")),
    (b"GIF8", Note("file_gif", "a GIF image")),
    (b"%PDF", Note("file_pdf", "a PDF document")),
    (b"PK\x03\x04", Note("file_zip", "a ZIP archive")),
    (b"\x7fELF", Note("file_program", "a program")),
    (b"MZ", Note("file_program", "a program")),
    (b"\x1f\x8b", Note("file_gzip", "a gzip archive")),
)


def sniff(data: bytes) -> Container:
    """The container of an audio file; VoiceInputError for something that is not audio."""
    head = bytes(data[:16])
    for magic, kind in _NOT_AUDIO:
        if head.startswith(magic):
            raise VoiceInputError(
                Note("input_voice_other_file", f"This file is {kind}, not a voice note.", kind=kind)
            )
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = Note("file_webp", "a WebP image")
        raise VoiceInputError(
            Note("input_voice_other_file", f"This file is {kind}, not a voice note.", kind=kind)
        )
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Container("WAV", soundfile=True)
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return Container("AIFF", soundfile=True)
    for offset, magic, container in _AUDIO:
        if head[offset : offset + len(magic)] == magic:
            return container
    return _mpeg_frame(head)


def _mpeg_frame(head: bytes) -> Container:
    """A bare MPEG audio frame: MP3 (layer bits set) or ADTS AAC (layer bits zero)."""
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        layer = (head[1] >> 1) & 0b11
        return Container("MP3", soundfile=True) if layer else Container("AAC", soundfile=False)
    return UNKNOWN
