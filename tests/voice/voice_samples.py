"""Real voice notes, made at test time: espeak-ng speaks, ffmpeg encodes like a chat app.

Telegram and Discord send voice messages as OGG/Opus, mono, 48 kHz, ~24 kbit/s; the
fixtures make exactly that (once per session), plus the other formats people upload.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

ENGLISH = "I am so happy today, the sun is shining and everything feels wonderful."
MANDARIN = "我今天非常高兴，阳光明媚，一切都很美好。"
OPUS_LIKE_TELEGRAM = ("-c:a", "libopus", "-b:a", "24k", "-ar", "48000", "-ac", "1")


def require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install {' '.join(missing)})")


def speak(text: str, voice: str = "en", *options: str) -> bytes:
    """WAV bytes of espeak-ng saying `text`."""
    require("espeak-ng")
    command = ["espeak-ng", "-v", voice, *options, "--stdout", text]
    return subprocess.run(command, capture_output=True, check=True, timeout=60).stdout


def encode(audio: bytes, *options: str, container: str = "ogg") -> bytes:
    """Re-encode audio bytes with ffmpeg, stdin to stdout."""
    require("ffmpeg")
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0", *options]
    command += ["-f", container, "pipe:1"]
    return subprocess.run(command, input=audio, capture_output=True, check=True).stdout


def encode_file(audio: bytes, path: Path, *options: str) -> bytes:
    """Encode into a real file (containers such as M4A need a seekable output)."""
    require("ffmpeg")
    command = ["ffmpeg", "-y", "-hide_banner", "-loglevel", "error", "-i", "pipe:0"]
    subprocess.run([*command, *options, str(path)], input=audio, check=True, capture_output=True)
    return path.read_bytes()


def to_voice_note(audio: bytes) -> bytes:
    return encode(audio, *OPUS_LIKE_TELEGRAM)


def wav(samples: np.ndarray, rate: int, subtype: str = "PCM_16") -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format="WAV", subtype=subtype)
    return buffer.getvalue()


def repeat_to(speech_wav: bytes, seconds: float) -> bytes:
    """A voice note of `seconds`: the speech looped (with its natural pauses) and cut."""
    samples, rate = soundfile.read(io.BytesIO(speech_wav))
    repeats = int(np.ceil(seconds * rate / samples.size))
    return to_voice_note(wav(np.tile(samples, repeats)[: int(seconds * rate)], rate))


# The prosody cues the default voice engine reports as evidence, in its order.
PROSODY_LABELS = (
    "pitch level",
    "pitch variability",
    "speaking rate",
    "loudness",
    "loudness variability",
    "pauses",
    "speech",
)
