"""Speech activity: a voice is found and trimmed; silence and noise are not speech."""

from __future__ import annotations

import numpy as np
import pytest

from moodtune.emotion_engines.voice.activity import detect, frame_levels
from moodtune.emotion_engines.voice.decode import decode

RATE = 16_000


def samples_of(note: bytes) -> np.ndarray:
    return decode(note, 2**25, 120).samples


@pytest.mark.parametrize("fixture", ["english_note", "mandarin_note"])
def test_speech_is_found(fixture: str, request: pytest.FixtureRequest) -> None:
    activity = detect(samples_of(request.getfixturevalue(fixture)), RATE)
    assert activity.has_speech and activity.voiced_seconds > 1.0
    voiced_hz = activity.pitch.hz[activity.voiced]
    assert np.isfinite(voiced_hz).all() and 60 < np.median(voiced_hz) < 300


def test_leading_and_trailing_silence_is_trimmed(english_wav: bytes) -> None:
    speech = decode(english_wav, 2**25, 120).samples
    padded = np.concatenate([np.zeros(RATE), speech, np.zeros(2 * RATE)]).astype(np.float32)
    start, end = detect(padded, RATE).speech_span()
    assert 0.9 <= start / 100 <= 1.3
    assert padded.size / RATE - 2.4 <= end / 100 <= padded.size / RATE - 1.9


@pytest.mark.parametrize(
    "samples",
    [
        np.zeros(3 * RATE, dtype=np.float32),
        np.random.default_rng(1).normal(0, 1e-4, 3 * RATE).astype(np.float32),  # room tone
        np.random.default_rng(2).normal(0, 0.3, 3 * RATE).clip(-1, 1).astype(np.float32),
        np.zeros(160, dtype=np.float32),  # 10 ms
        np.zeros(0, dtype=np.float32),
    ],
    ids=["silence", "room tone", "white noise", "10 ms", "nothing"],
)
def test_silence_and_noise_are_not_speech(samples: np.ndarray) -> None:
    activity = detect(samples, RATE)
    assert not activity.has_speech
    assert activity.voiced_seconds == 0.0
    assert activity.speech_span() == (0, 0)


def test_levels_are_in_dbfs() -> None:
    full_scale_sine = np.sin(2 * np.pi * 440 * np.arange(RATE) / RATE).astype(np.float32)
    levels = frame_levels(full_scale_sine, RATE)
    assert levels[:-3] == pytest.approx(-3.01, abs=0.05)  # RMS of a sine is 1/√2
    assert frame_levels(np.zeros(RATE, dtype=np.float32), RATE).max() == -120.0
