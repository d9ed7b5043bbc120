"""Is anyone speaking? Frame energy finds sound; periodicity tells a voice from noise.

A frame is *active* when it is loud enough, both absolutely (above a floor far below
any usable recording) and relative to the loudest part of the note; it is *voiced*
when it is also periodic at a speaking pitch (YIN). Silence has no active frames and
white, pink or brown noise no periodic ones, so neither counts as speech. Isolated
voiced frames (a click, a codec artefact) are dropped: real syllables are voiced for
tens of milliseconds (Ladefoged & Johnson, "A Course in Phonetics").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from moodtune.emotion_engines.voice.pitch import FRAME_SECONDS, PitchTrack, track_pitch

FLOOR_DB = -55.0  # dBFS: anything quieter is room tone, not a voice
DYNAMIC_RANGE_DB = 35.0  # frames this far below the loud end of the note are pauses
MIN_VOICED_RUN = 3  # frames (30 ms)
MIN_VOICED_SECONDS = 0.25  # less than this is not enough speech to read anything from


@dataclass(frozen=True, slots=True)
class Activity:
    """Per 10 ms frame: level in dBFS, whether it is active, and the pitch track."""

    level_db: np.ndarray
    active: np.ndarray
    voiced: np.ndarray
    pitch: PitchTrack

    @property
    def voiced_seconds(self) -> float:
        return float(self.voiced.sum() * FRAME_SECONDS)

    @property
    def has_speech(self) -> bool:
        return self.voiced_seconds >= MIN_VOICED_SECONDS

    def speech_span(self) -> tuple[int, int]:
        """First and one-past-last active frame around the voiced ones (silence trimmed)."""
        voiced = np.flatnonzero(self.voiced)
        if voiced.size == 0:
            return (0, 0)
        quiet = ~self.active
        before = np.flatnonzero(quiet[: voiced[0]])
        after = np.flatnonzero(quiet[voiced[-1] :])
        start = before[-1] + 1 if before.size else 0
        end = voiced[-1] + after[0] if after.size else self.active.size
        return (int(start), int(end))


def frame_levels(samples: np.ndarray, rate: int) -> np.ndarray:
    """RMS level in dBFS of 25 ms windows every 10 ms, from running sums (no copies)."""
    hop, window = int(FRAME_SECONDS * rate), int(0.025 * rate)
    count = max(1, -(-samples.size // hop))
    padded = np.pad(samples.astype(np.float64), (0, count * hop + window - samples.size))
    sums = np.concatenate([[0.0], np.cumsum(padded**2)])
    starts = np.arange(count) * hop
    power = (sums[starts + window] - sums[starts]) / window
    return 10 * np.log10(np.maximum(power, 1e-12))


def detect(samples: np.ndarray, rate: int) -> Activity:
    """Frame-level speech activity for mono samples."""
    level = frame_levels(samples, rate)
    loud_end = np.percentile(level, 95)
    active = level > max(FLOOR_DB, loud_end - DYNAMIC_RANGE_DB)
    pitch = track_pitch(samples, rate, active)
    voiced = _drop_short_runs(active & ~np.isnan(pitch.hz), MIN_VOICED_RUN)
    hz = np.where(voiced, pitch.hz, np.nan)
    return Activity(level, active, voiced, PitchTrack(hz, pitch.aperiodicity))


def _drop_short_runs(mask: np.ndarray, shortest: int) -> np.ndarray:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    keep = np.zeros(mask.size + 1, dtype=np.int32)
    long_enough = ends - starts >= shortest
    np.add.at(keep, starts[long_enough], 1)
    np.add.at(keep, ends[long_enough], -1)
    return np.cumsum(keep[:-1]) > 0
