"""A voice note's decoding costs samples, not seconds: a small file at a high rate with
many channels is bounded like a long one at a voice's rate."""

from __future__ import annotations

import io
import tracemalloc

import numpy as np
import pytest
import soundfile

from moodtune.emotion_engines.voice.decode import DECODED_RATE_CAP, decode


def silent_flac(seconds: int, rate: int, channels: int) -> bytes:
    out = io.BytesIO()
    with soundfile.SoundFile(out, "w", rate, channels, format="FLAC", subtype="PCM_16") as note:
        second = np.zeros((rate, channels), np.float32)
        for _ in range(seconds):
            note.write(second)
    return out.getvalue()


def test_a_high_rate_many_channel_note_is_decoded_in_bounded_memory() -> None:
    note = silent_flac(20, 384_000, 8)  # 66 KB holding 61 million samples
    assert len(note) < 100_000
    tracemalloc.start()
    try:
        audio = decode(note, 20 * 2**20, 120.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Only as many samples as 120 s at 48 kHz: the first 15 s. Decoding all 20 s of 8
    # channels at once took 117 MB; 130 s of them, 414 MB.
    assert audio.truncated and audio.seconds == pytest.approx(120 * DECODED_RATE_CAP / 384_000)
    assert peak < 64 * 2**20


def test_a_voice_rate_note_is_still_heard_for_max_seconds() -> None:
    audio = decode(silent_flac(7, 16_000, 2), 20 * 2**20, 5.0)
    assert audio.truncated and audio.seconds == pytest.approx(5.0)
