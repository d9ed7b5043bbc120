"""Bytes of a voice note → mono float32 samples at 16 kHz, within limits on size and length.

The byte limit is checked before anything else and the duration limit while decoding:
only the first `max_seconds` are ever decoded (block by block from libsndfile, `-t` for
ffmpeg), so an hour-long note costs what two minutes cost, in time and in memory.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import soundfile
from scipy.signal import resample_poly

from moodtune.emotion_engines.memory import return_freed_memory
from moodtune.emotion_engines.reading import Note
from moodtune.emotion_engines.voice.containers import UNKNOWN, Container, sniff
from moodtune.emotion_engines.voice.errors import DecoderUnavailableError, VoiceInputError
from moodtune.emotion_engines.voice.ffmpeg import decode_with_ffmpeg
from moodtune.emotion_engines.voice.opus_rate import decode_opus_at
from moodtune.emotion_engines.voice.stderr_capture import stderr_to_log

logger = logging.getLogger(__name__)

RATE = 16_000  # what speech models expect, and plenty for pitch and energy
MIN_SOURCE_RATE, MAX_SOURCE_RATE = 1_000, 384_000
BLOCK_SECONDS = 4  # libsndfile reads this much at a time before mixing to mono
# Decoding costs samples, not seconds: above this rate a note is decoded for proportionally
# fewer seconds (a 384 kHz one for its first 15 s), and a block holds this many samples
# across all channels, so a 437 KB FLAC of 8 channels at 384 kHz no longer takes 400 MB.
DECODED_RATE_CAP = 48_000
BLOCK_SAMPLES = BLOCK_SECONDS * DECODED_RATE_CAP * 2
BIG_NOTE_BYTES = 4 * 1024 * 1024  # after decoding a file this big, memory is given back
# What libmpg123 (libsndfile's MP3 decoder) prints about a damaged file, to stderr.
MPG123_LINE = re.compile(r"\[src/libmpg123/|(Note|Warning|Error): |Big trouble|\[\w+\.c:\d+\]")


@dataclass(frozen=True, slots=True)
class Audio:
    """Decoded speech: `samples` at `rate`, and what the file held."""

    samples: np.ndarray
    rate: int
    container: str
    decoder: str  # "soundfile" or "ffmpeg"
    source_seconds: float | None  # the whole note's length, when the container says
    truncated: bool  # only the first `max_seconds` were decoded

    @property
    def seconds(self) -> float:
        return self.samples.size / self.rate


def decode(data: bytes, max_bytes: int, max_seconds: float) -> Audio:
    """Decode a voice note; VoiceInputError with a human sentence when it cannot be."""
    if not isinstance(data, bytes | bytearray | memoryview):
        kind = type(data).__name__
        raise VoiceInputError(
            Note(
                "input_voice_not_bytes",
                f"A voice note must be bytes of an audio file, not {kind}.",
                kind=kind,
            )
        )
    data = bytes(data)
    if not data:
        raise VoiceInputError(Note("input_voice_empty", "The voice note is empty."))
    if len(data) > max_bytes:
        size, limit = f"{len(data) / 2**20:.1f}", f"{max_bytes / 2**20:.1f}"
        raise VoiceInputError(
            Note(
                "input_voice_too_big",
                f"The voice note is {size} MB; I can take at most {limit} MB.",
                size=size,
                limit=limit,
            )
        )
    try:
        return _decoded(data, sniff(data), max_seconds)
    finally:
        if len(data) >= BIG_NOTE_BYTES:
            return_freed_memory()  # glibc would keep the decoding's blocks (see memory.py)


def _decoded(data: bytes, container: Container, max_seconds: float) -> Audio:
    if container.soundfile:
        try:
            if container.name != "MP3":
                return _decode_soundfile(data, container, max_seconds)
            # libmpg123 prints a damaged MP3's problems to stderr, line by line: log them.
            with stderr_to_log(is_mpg123_line, logger, "libmpg123"):
                return _decode_soundfile(data, container, max_seconds)
        except soundfile.LibsndfileError:
            pass  # damaged, or an unusual codec in a known container: ffmpeg may still cope
    return _decode_ffmpeg(data, container, max_seconds)


def is_mpg123_line(line: str) -> bool:
    return bool(MPG123_LINE.match(line))


def _decode_ffmpeg(data: bytes, container: Container, max_seconds: float) -> Audio:
    try:
        samples = _clean(decode_with_ffmpeg(data, RATE, max_seconds, container.name))
    except VoiceInputError as error:
        if container is UNKNOWN:
            raise VoiceInputError(
                Note("input_voice_not_audio", "I do not recognise this file as audio.")
            ) from error
        if container.soundfile and isinstance(error, DecoderUnavailableError):
            raise VoiceInputError(
                Note(
                    "input_voice_damaged",
                    f"This {container.name} file is damaged or truncated; I could not read it.",
                    container=container.name,
                )
            ) from error
        raise
    limit = int(max_seconds * RATE)
    truncated = samples.size >= limit - RATE // 100  # ffmpeg stops on a codec frame boundary
    return Audio(samples[:limit], RATE, container.name, "ffmpeg", None, truncated)


def _decode_soundfile(data: bytes, container: Container, max_seconds: float) -> Audio:
    if container.name == "OGG":
        data = decode_opus_at(data, RATE)  # Opus decodes natively at 16 kHz: no resampling
    with soundfile.SoundFile(io.BytesIO(data)) as note:
        rate = note.samplerate
        if not MIN_SOURCE_RATE <= rate <= MAX_SOURCE_RATE:
            raise VoiceInputError(
                Note(
                    "input_voice_odd_rate",
                    f"A sample rate of {rate} Hz is not that of a recording.",
                    rate=rate,
                )
            )
        known_frames = note.frames if 0 < note.frames < 2**62 else None
        limit = int(max_seconds * min(rate, DECODED_RATE_CAP))
        frames_per_block = max(1, BLOCK_SAMPLES // note.channels)
        blocks: list[np.ndarray] = []
        remaining = limit
        while remaining > 0:
            block = note.read(min(remaining, frames_per_block), "float32", always_2d=True)
            if block.shape[0] == 0:
                break
            blocks.append(block[:, 0] if block.shape[1] == 1 else block.mean(axis=1))
            remaining -= block.shape[0]
        truncated = remaining <= 0 and _continues(note)
    if not blocks:
        raise VoiceInputError(
            Note(
                "input_voice_no_sound",
                f"This {container.name} file holds no sound at all.",
                container=container.name,
            )
        )
    samples = _clean(resample(np.concatenate(blocks), rate))
    source = known_frames / rate if known_frames is not None else None
    return Audio(samples, RATE, container.name, "soundfile", source, truncated)


def _continues(note: soundfile.SoundFile) -> bool:
    """Whether anything follows the part read (damage after it counts as more)."""
    try:
        return note.read(1, "float32").size > 0
    except soundfile.LibsndfileError:
        return True


def resample(samples: np.ndarray, rate: int, target: int = RATE) -> np.ndarray:
    """Polyphase resampling; an odd rate (44 099 Hz) is approximated by a small ratio
    (error < 0.1 %, inaudible in pitch) so the filter stays short."""
    if rate == target:
        return samples
    ratio = Fraction(target, rate).limit_denominator(1000)
    return resample_poly(samples, ratio.numerator, ratio.denominator).astype(np.float32)


def _clean(samples: np.ndarray) -> np.ndarray:
    """Float files may hold NaN, infinities or peaks above full scale."""
    samples = np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0)
    return np.clip(samples, -1.0, 1.0, out=samples)
