"""Fundamental frequency per 10 ms frame with YIN (de Cheveigné & Kawahara 2002), in numpy.

All frames are processed at once: the YIN difference function comes from one FFT
cross-correlation per frame plus running sums of squares, so a minute of speech takes
milliseconds, with no librosa import and no per-frame Python loop. Speech is analysed at
8 kHz: voices stay far below its 4 kHz band limit, and it quarters the work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.fft
from numpy.lib.stride_tricks import sliding_window_view
from scipy.signal import resample_poly

FRAME_SECONDS = 0.010  # one pitch value (and one energy value elsewhere) per 10 ms
PITCH_RATE = 8_000
HOP = int(FRAME_SECONDS * PITCH_RATE)
WINDOW = int(0.025 * PITCH_RATE)  # 25 ms: the YIN integration window, > the longest period
MIN_HZ, MAX_HZ = 70.0, 500.0  # adult and child speaking voices, creak to shouting
THRESHOLD = 0.2  # YIN's absolute threshold, a little above 0.15 for codec-smeared speech
CHUNK_FRAMES = 1024  # frames per batch, so memory stays flat for long notes


@dataclass(frozen=True, slots=True)
class PitchTrack:
    """Per frame: f0 in Hz (NaN when unvoiced) and aperiodicity (0 = periodic, 1 = noise)."""

    hz: np.ndarray
    aperiodicity: np.ndarray


def frames(samples: np.ndarray, length: int, hop: int) -> np.ndarray:
    """Overlapping frames as a read-only view (no copy); one frame per hop."""
    if samples.size < length:
        samples = np.pad(samples, (0, length - samples.size))
    return sliding_window_view(samples, length)[::hop]


def track_pitch(samples: np.ndarray, rate: int, candidates: np.ndarray) -> PitchTrack:
    """YIN pitch per 10 ms frame for the frames flagged in `candidates` (others unvoiced).

    `rate` must be a multiple of 8 kHz (the decoder delivers 16 kHz).
    """
    if rate % PITCH_RATE:
        raise ValueError(f"pitch tracking needs a multiple of {PITCH_RATE} Hz, got {rate}")
    if rate != PITCH_RATE:
        samples = resample_poly(samples, 1, rate // PITCH_RATE)
    rate = PITCH_RATE
    min_lag, max_lag = int(rate / MAX_HZ), int(np.ceil(rate / MIN_HZ))
    samples = np.pad(samples.astype(np.float32), (0, WINDOW + max_lag))
    blocks = frames(samples, WINDOW + max_lag, HOP)
    # Running sum of squares over the whole note: any window's energy is one subtraction.
    squares = np.concatenate([[0.0], np.cumsum(np.square(samples, dtype=np.float64))])
    count = min(blocks.shape[0], candidates.size)
    hz = np.full(candidates.size, np.nan)
    aperiodicity = np.ones(candidates.size)
    chosen = np.flatnonzero(candidates[:count])
    for start in range(0, chosen.size, CHUNK_FRAMES):
        index = chosen[start : start + CHUNK_FRAMES]
        hz[index], aperiodicity[index] = _yin(blocks[index], squares, index * HOP, min_lag, max_lag)
    return PitchTrack(hz, aperiodicity)


def _yin(
    blocks: np.ndarray, squares: np.ndarray, offsets: np.ndarray, min_lag: int, max_lag: int
) -> tuple[np.ndarray, np.ndarray]:
    size = scipy.fft.next_fast_len(blocks.shape[1] + 1, real=True)
    # r[τ] = Σ_{j<W} x_j x_{j+τ}: cross-correlation of the window with the whole block.
    spectrum = scipy.fft.rfft(blocks, size)
    window_spectrum = scipy.fft.rfft(blocks[:, :WINDOW], size)
    correlation = scipy.fft.irfft(np.conj(window_spectrum) * spectrum, size)[:, : max_lag + 1]
    # d(τ) = Σ (x_j - x_{j+τ})² = energy(window) + energy(window shifted by τ) - 2 r[τ].
    lags = np.arange(max_lag + 1)
    shifted = offsets[:, None] + lags
    energy_at_lag = squares[shifted + WINDOW] - squares[shifted]
    difference = np.maximum(energy_at_lag[:, [0]] + energy_at_lag - 2 * correlation, 0.0)
    # Cumulative-mean-normalised difference d'(τ) (YIN step 3).
    running = np.cumsum(difference[:, 1:], axis=1)
    normalised = np.ones_like(difference)
    normalised[:, 1:] = difference[:, 1:] * lags[1:] / np.maximum(running, 1e-12)
    lag = _first_dip(normalised, min_lag)
    aperiodicity = normalised[np.arange(blocks.shape[0]), lag]
    hz = np.where(aperiodicity < THRESHOLD, PITCH_RATE / _parabolic(normalised, lag), np.nan)
    return hz, np.clip(aperiodicity, 0.0, 1.0)


def _first_dip(normalised: np.ndarray, min_lag: int) -> np.ndarray:
    """YIN step 4: the lowest point of the first run below the threshold (the global
    minimum when no lag dips below it, which then marks the frame unvoiced)."""
    search = normalised[:, min_lag:-1]
    below = search < THRESHOLD
    has_dip = below.any(axis=1)
    first = np.argmax(below, axis=1)
    columns = np.arange(search.shape[1])
    after = columns >= first[:, None]
    run = after & (np.cumsum(after & ~below, axis=1) == 0)
    in_run = np.where(run, search, np.inf).argmin(axis=1)
    return min_lag + np.where(has_dip, in_run, search.argmin(axis=1))


def _parabolic(values: np.ndarray, lag: np.ndarray) -> np.ndarray:
    """Sub-sample lag from a parabola through the minimum and its neighbours (YIN step 5)."""
    rows = np.arange(values.shape[0])
    left, centre, right = (values[rows, lag - 1], values[rows, lag], values[rows, lag + 1])
    curvature = left - 2 * centre + right
    shift = np.where(curvature > 1e-12, 0.5 * (left - right) / np.maximum(curvature, 1e-12), 0.0)
    return lag + np.clip(shift, -0.5, 0.5)
