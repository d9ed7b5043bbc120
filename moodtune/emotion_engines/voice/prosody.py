"""How someone speaks, measured: pitch, loudness, speaking rate and pauses.

Speaking rate counts syllable nuclei after de Jong & Wempe (2009, "Praat script to detect
syllable nuclei and measure speech rate automatically", Behavior Research Methods 41):
peaks of the intensity contour that stand above the note's median intensity (and within
25 dB of its loudest), that are voiced, and that are separated from the previous
nucleus by a dip of at least 2 dB. Pauses are silences of 250 ms or more inside the
speech (Goldman-Eisler 1968), leading and trailing silence left out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from moodtune.emotion_engines.voice.activity import Activity
from moodtune.emotion_engines.voice.pitch import FRAME_SECONDS

MIN_DIP_DB = 2.0
NUCLEUS_RANGE_DB = 25.0
MIN_PAUSE_SECONDS = 0.25
SMOOTHING_FRAMES = 5  # ~50 ms, like Praat's intensity contour for a 50 Hz minimum pitch


@dataclass(frozen=True, slots=True)
class ProsodyFeatures:
    pitch_mean_hz: float
    pitch_sd_semitones: float  # variability around the speaker's own median
    pitch_range_semitones: float  # 10th to 90th percentile
    level_dbfs: float  # mean level of voiced frames
    level_sd_db: float  # loudness variability while speaking
    syllables: int
    syllables_per_second: float  # articulation rate: per second of speaking, pauses excluded
    pause_ratio: float  # share of the speech span spent in pauses
    speech_seconds: float  # the speech span without pauses
    voiced_seconds: float

    def as_dict(self, digits: int = 3) -> dict[str, float]:
        return {name: round(float(value), digits) for name, value in asdict(self).items()}


def measure(activity: Activity) -> ProsodyFeatures:
    """Prosodic features of a note in which `activity.has_speech` is true."""
    start, end = activity.speech_span()
    voiced = activity.voiced[start:end]
    level = activity.level_db[start:end]
    semitones = 12 * np.log2(activity.pitch.hz[start:end][voiced])
    semitones -= np.median(semitones)
    pause_frames = _pause_frames(activity.active[start:end])
    speaking_frames = max(end - start - pause_frames, 1)
    syllables = count_syllable_nuclei(level, voiced)
    return ProsodyFeatures(
        pitch_mean_hz=float(np.exp2(np.mean(np.log2(activity.pitch.hz[start:end][voiced])))),
        pitch_sd_semitones=float(np.std(semitones)),
        pitch_range_semitones=float(np.subtract(*np.percentile(semitones, [90, 10]))),
        level_dbfs=float(np.mean(level[voiced])),
        level_sd_db=float(np.std(level[activity.active[start:end]])),
        syllables=syllables,
        syllables_per_second=syllables / (speaking_frames * FRAME_SECONDS),
        pause_ratio=pause_frames / max(end - start, 1),
        speech_seconds=speaking_frames * FRAME_SECONDS,
        voiced_seconds=activity.voiced_seconds,
    )


def count_syllable_nuclei(level_db: np.ndarray, voiced: np.ndarray) -> int:
    """Voiced intensity peaks with a ≥ 2 dB dip before each (de Jong & Wempe 2009)."""
    power = np.convolve(10 ** (level_db / 10), np.hanning(SMOOTHING_FRAMES + 2)[1:-1], "same")
    contour = 10 * np.log10(np.maximum(power / power.max(), 1e-12)) if power.any() else level_db
    threshold = max(np.median(contour), contour.max() - NUCLEUS_RANGE_DB)
    inner = contour[1:-1]
    peaks = np.flatnonzero((inner > contour[:-2]) & (inner >= contour[2:])) + 1
    peaks = peaks[(contour[peaks] > threshold) & voiced[peaks]]
    kept: list[int] = []
    for peak in peaks:
        if not kept:
            kept.append(int(peak))
            continue
        dip = contour[kept[-1] : peak + 1].min()
        if contour[kept[-1]] - dip >= MIN_DIP_DB and contour[peak] - dip >= MIN_DIP_DB:
            kept.append(int(peak))
        elif contour[peak] > contour[kept[-1]]:
            kept[-1] = int(peak)  # one syllable, and this is its true top
    return len(kept)


def _pause_frames(active: np.ndarray) -> int:
    """Frames in silent runs long enough to be pauses."""
    edges = np.diff(np.concatenate([[0], (~active).astype(np.int8), [0]]))
    lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    return int(lengths[lengths * FRAME_SECONDS >= MIN_PAUSE_SECONDS].sum())
