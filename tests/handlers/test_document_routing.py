"""Documents are read by what their bytes are, not by what they claim to be."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import pytest
import soundfile
from PIL import Image

from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.documents import content_kind, document_kind, fetched_document_kind
from moodtune.handlers.replies import Sender

PERSON = Sender("local", "doc-person", "Ann", "en")


def picture(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").convert("RGB").save(out, fmt)
    return out.getvalue()


def sound(fmt: str, subtype: str | None = None) -> bytes:
    out = io.BytesIO()
    tone = 0.3 * np.sin(np.linspace(0, 2 * np.pi * 220, 16_000))
    soundfile.write(out, tone, 16_000, format=fmt, subtype=subtype)
    return out.getvalue()


def mp3() -> bytes:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg (apt-get install ffmpeg)")
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0"]
    command += ["-f", "mp3", "pipe:1"]
    return subprocess.run(command, input=sound("WAV"), capture_output=True, check=True).stdout


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_pictures_are_known_by_their_bytes(fmt: str) -> None:
    assert content_kind(picture(fmt)) == "photo"


@pytest.mark.parametrize(("fmt", "subtype"), [("WAV", None), ("FLAC", None), ("OGG", "VORBIS")])
def test_sound_is_known_by_its_bytes(fmt: str, subtype: str | None) -> None:
    assert content_kind(sound(fmt, subtype)) == "voice"


@pytest.mark.parametrize(
    "data", [b"", b"%PDF-1.7 ...", b"PK\x03\x04 a zip", b"hello, plain words", bytes(16)]
)
def test_bytes_that_are_neither_name_nothing(data: bytes) -> None:
    assert content_kind(data) is None


def test_the_bytes_decide_over_the_declared_type() -> None:
    assert fetched_document_kind(picture("PNG"), "audio/ogg", "voice.ogg") == "photo"
    assert fetched_document_kind(mp3(), "image/jpeg", "photo.jpg") == "voice"
    # Bytes that say nothing: the declaration decides, and that engine explains.
    assert fetched_document_kind(b"%PDF-1.7", "audio/mpeg", "song.mp3") == "voice"
    assert fetched_document_kind(b"\x00\x01junk", None, "x.png") == "photo"
    assert fetched_document_kind(b"%PDF-1.7", "application/pdf", "report.pdf") is None
    # Before fetching, only the declaration is known (adapters choose a size limit by it).
    assert document_kind("audio/ogg", "voice.ogg") == "voice"


async def test_image_bytes_sent_as_audio_are_read_as_a_photo(handlers: Handlers) -> None:
    from sklearn.datasets import load_sample_images

    out = io.BytesIO()
    Image.fromarray(load_sample_images().images[1]).save(out, "JPEG")
    reply = await handlers.conversation.on_document(
        PERSON, out.getvalue(), "audio/mpeg", "recording.mp3"
    )
    assert reply.ok and reply.tracks
    assert reply.reading is not None and reply.reading.modality == "photo"


async def test_sound_sent_as_an_image_is_heard(handlers: Handlers) -> None:
    reply = await handlers.conversation.on_document(PERSON, mp3(), "image/png", "photo.png")
    assert reply.reading is not None and reply.reading.modality == "voice"


async def test_a_pdf_declared_as_audio_gets_the_voice_engines_reason(handlers: Handlers) -> None:
    reply = await handlers.conversation.on_document(PERSON, b"%PDF-1.7 ...", "audio/ogg", "a.ogg")
    assert not reply.ok and "PDF document, not a voice note" in reply.text
