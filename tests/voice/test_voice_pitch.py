"""YIN pitch: accurate on periodic sounds, silent on noise."""

from __future__ import annotations

import numpy as np
import pytest

from moodtune.emotion_engines.voice.pitch import track_pitch

RATE = 16_000


def voiced(f0: np.ndarray | float, seconds: float = 1.0) -> np.ndarray:
    """A voice-like harmonic series whose fundamental may glide."""
    t = np.arange(int(seconds * RATE)) / RATE
    phase = 2 * np.pi * np.cumsum(np.broadcast_to(f0, t.shape)) / RATE
    wave = sum(np.sin(k * phase) / k for k in range(1, 6))
    return (0.3 * wave).astype(np.float32)


def all_frames(samples: np.ndarray) -> np.ndarray:
    return np.ones(samples.size // 160, dtype=bool)


@pytest.mark.parametrize("f0", [75.0, 110.0, 180.0, 260.0, 420.0])
def test_speaking_pitches_are_found_within_half_a_percent(f0: float) -> None:
    samples = voiced(f0)
    track = track_pitch(samples, RATE, all_frames(samples))
    inner = track.hz[5:-5]
    assert np.isfinite(inner).all()
    assert np.median(inner) == pytest.approx(f0, rel=0.005)
    assert np.median(track.aperiodicity[5:-5]) < 0.05


def test_a_glide_is_followed() -> None:
    samples = voiced(np.linspace(100, 200, RATE))  # 100 Hz per second
    hz = track_pitch(samples, RATE, all_frames(samples)).hz[5:-5]
    assert np.isfinite(hz).all() and np.all(np.diff(hz) > -1.0)
    centres = (np.arange(5, 5 + hz.size) * 0.010 + 0.0125) * 100 + 100  # the window's middle
    assert hz == pytest.approx(centres, rel=0.03)


@pytest.mark.parametrize("colour", ["white", "pink", "brown"])
def test_noise_has_no_pitch(colour: str) -> None:
    rng = np.random.default_rng(11)
    white = rng.normal(0, 1, 3 * RATE)
    spectrum = np.fft.rfft(white)
    freqs = np.fft.rfftfreq(white.size, 1 / RATE)
    tilt = {"white": 0.0, "pink": 0.5, "brown": 1.0}[colour]
    spectrum[1:] /= freqs[1:] ** tilt
    spectrum[0] = 0
    noise = np.fft.irfft(spectrum, white.size)
    noise = (0.3 * noise / np.abs(noise).max()).astype(np.float32)
    track = track_pitch(noise, RATE, all_frames(noise))
    assert np.isnan(track.hz).mean() > 0.98


def test_frames_not_asked_for_stay_unvoiced() -> None:
    samples = voiced(150.0)
    wanted = all_frames(samples)
    wanted[::2] = False
    hz = track_pitch(samples, RATE, wanted).hz
    assert np.isnan(hz[::2]).all() and np.isfinite(hz[1:-5:2]).all()


def test_rates_other_than_multiples_of_8_khz_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="multiple of 8000"):
        track_pitch(np.zeros(4410, dtype=np.float32), 44_100, np.ones(10, dtype=bool))
