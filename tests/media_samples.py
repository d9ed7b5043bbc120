"""Real media for the conversation and connector tests: sample photos, espeak-ng speech."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import pytest
import soundfile
from PIL import Image

OPUS_LIKE_TELEGRAM = ("-c:a", "libopus", "-b:a", "24k", "-ar", "48000", "-ac", "1")


def jpeg(pixels: np.ndarray, quality: int = 90) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=quality)
    return out.getvalue()


def astronaut_jpeg(size: tuple[int, int] | None = None) -> bytes:
    """skimage's astronaut (a smiling face), optionally resized to (width, height)."""
    from skimage import data

    image = Image.fromarray(data.astronaut())
    if size is not None:
        image = image.resize(size, Image.Resampling.BILINEAR)
    return jpeg(np.asarray(image))


def require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")


def to_voice_note(wav: bytes) -> bytes:
    """Encode like Telegram's voice notes: OGG/Opus, mono, 48 kHz, 24 kbit/s."""
    require("ffmpeg")
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0",
               *OPUS_LIKE_TELEGRAM, "-f", "ogg", "pipe:1"]  # fmt: skip
    return subprocess.run(command, input=wav, capture_output=True, check=True).stdout


def spoken_note(text: str, voice: str = "en") -> bytes:
    require("espeak-ng")
    command = ["espeak-ng", "-v", voice, "--stdout", text]
    wav = subprocess.run(command, capture_output=True, check=True, timeout=60).stdout
    return to_voice_note(wav)


def silent_note(seconds: float = 3.0, rate: int = 16_000) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(int(seconds * rate)), rate, format="WAV", subtype="PCM_16")
    return to_voice_note(buffer.getvalue())
