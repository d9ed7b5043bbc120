"""The magic bytes decide what a file is, whatever it claims to be."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from moodtune.emotion_engines.voice.containers import sniff
from moodtune.emotion_engines.voice.errors import VoiceInputError


@pytest.mark.parametrize(
    ("head", "name", "native"),
    [
        (b"OggS\x00\x02", "OGG", True),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "WAV", True),
        (b"fLaC\x00\x00\x00\x22", "FLAC", True),
        (b"ID3\x04\x00", "MP3", True),
        (b"\xff\xfb\x90\x64", "MP3", True),
        (b"\xff\xf1\x50\x80", "AAC", False),
        (b"\x00\x00\x00\x20ftypM4A ", "M4A", False),
        (b"\x1aE\xdf\xa3\x9fB\x86", "WebM", False),
        (b"#!AMR\n", "AMR", False),
        (b"FORM\x00\x00\x00\x00AIFF", "AIFF", True),
        (b"\x01\x02\x03\x04", "unknown", False),
    ],
)
def test_containers_are_told_by_their_magic_bytes(head: bytes, name: str, native: bool) -> None:
    container = sniff(head + bytes(32))
    assert (container.name, container.soundfile) == (name, native)


def test_a_jpeg_named_like_a_voice_note_is_turned_away() -> None:
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((8, 8, 3), dtype=np.uint8)).save(buffer, format="JPEG")
    with pytest.raises(VoiceInputError, match="JPEG image, not a voice note"):
        sniff(buffer.getvalue())


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"%PDF-1.7", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP image"),
    ],
)
def test_other_non_audio_files_are_named(head: bytes, kind: str) -> None:
    with pytest.raises(VoiceInputError, match=kind):
        sniff(head + bytes(32))
