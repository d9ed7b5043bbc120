"""Prosody → valence / arousal → the 21 categories: the offline voice reading.

What the voice says about emotion, from the reviews this follows:
- Scherer (2003), "Vocal communication of emotion: a review of research paradigms",
  Speech Communication 40; Juslin & Laukka (2003), "Communication of emotions in vocal
  expression and music performance", Psychological Bulletin 129. Arousal is coded
  clearly: aroused speech (joy, anger, fear) is higher-pitched, with a wider and more
  variable pitch range, louder, faster, with fewer pauses; low-arousal speech (sadness,
  tenderness, boredom) the reverse.
- Valence is coded weakly and inconsistently: anger and joy sound alike on these cues.
  The one regularity used is that sadness and boredom are monotonous (narrow, flat
  pitch) while joy is melodic, so valence follows pitch variability, scaled down to at
  most ±0.3 — and the confidence of the whole reading never exceeds 0.3.

Pitch level is normalised speaker-neutrally: adult speaking voices centre near 110-120 Hz
(men) and 200-220 Hz (women) (Traunmüller & Eriksson 1995, "The frequency range of the
voice fundamental in the speech of male and female adults"). Without knowing the speaker,
any mean between the two centres is ordinary; only a mean above the higher centre or
below the lower one counts, in semitones beyond it.
"""

from __future__ import annotations

import math

import numpy as np

from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.reading import Evidence, Note, Reading
from moodtune.emotion_engines.voice.prosody import ProsodyFeatures

ENGINE = "prosody"
MAX_CONFIDENCE = 0.3
FULL_CONFIDENCE_VOICED_SECONDS = 2.0  # less voiced speech than this lowers confidence
MAX_VALENCE = 0.3

LOW_VOICE_HZ, HIGH_VOICE_HZ = 110.0, 220.0
PITCH_LEVEL_SPAN = 6.0  # semitones beyond a reference centre for a full-scale cue
TYPICAL_PITCH_SD, PITCH_SD_SPAN = 2.5, 2.0  # semitones; neutral read speech ≈ 2-3
TYPICAL_RATE, RATE_SPAN = 4.5, 1.5  # syllables per second of speaking
TYPICAL_LEVEL, LEVEL_SPAN = -26.0, 10.0  # dBFS; -26 is the ITU-T P.56 speech reference
TYPICAL_LEVEL_SD, LEVEL_SD_SPAN = 7.0, 4.0  # dB
TYPICAL_PAUSES, PAUSES_SPAN = 0.1, 0.2  # share of the speech span

# How much each cue moves arousal; rate and pitch carry most in both reviews.
AROUSAL_WEIGHTS = {
    "pitch level": 0.2,
    "pitch variability": 0.2,
    "speaking rate": 0.3,
    "loudness": 0.1,
    "loudness variability": 0.1,
    "pauses": 0.1,
}


def cues(features: ProsodyFeatures) -> dict[str, float]:
    """Each cue in -1..1: how far above (+) or below (-) ordinary speech it is."""
    return {
        "pitch level": _scaled(_semitones_outside_ordinary(features.pitch_mean_hz), 0.0,
                               PITCH_LEVEL_SPAN),
        "pitch variability": _scaled(features.pitch_sd_semitones, TYPICAL_PITCH_SD, PITCH_SD_SPAN),
        "speaking rate": _scaled(features.syllables_per_second, TYPICAL_RATE, RATE_SPAN),
        "loudness": _scaled(features.level_dbfs, TYPICAL_LEVEL, LEVEL_SPAN),
        "loudness variability": _scaled(features.level_sd_db, TYPICAL_LEVEL_SD, LEVEL_SD_SPAN),
        "pauses": -_scaled(features.pause_ratio, TYPICAL_PAUSES, PAUSES_SPAN),
    }  # fmt: skip


def valence_arousal(features: ProsodyFeatures) -> tuple[float, float]:
    values = cues(features)
    arousal = sum(AROUSAL_WEIGHTS[name] * value for name, value in values.items())
    valence = MAX_VALENCE * values["pitch variability"]
    return float(valence), float(np.clip(arousal, -1.0, 1.0))


def read_prosody(features: ProsodyFeatures) -> Reading:
    """The offline acoustic reading: low confidence by design (see the module docstring)."""
    valence, arousal = valence_arousal(features)
    share = min(1.0, features.voiced_seconds / FULL_CONFIDENCE_VOICED_SECONDS)
    return Reading(
        vector=EmotionVector.from_valence_arousal(valence, arousal),
        confidence=MAX_CONFIDENCE * share,
        evidence=prosody_evidence(features),
        modality="voice",
        engine=ENGINE,
        note=Note(
            "voice_prosody",
            f"from how you sound: valence {valence:+.2f}, arousal {arousal:+.2f}",
            valence=valence,
            arousal=arousal,
        ),
    )


def prosody_evidence(features: ProsodyFeatures) -> tuple[Evidence, ...]:
    """One item per cue (weight = its pull on arousal) plus the amount of speech."""
    values = cues(features)
    measured = {
        "pitch level": {"mean_hz": features.pitch_mean_hz},
        "pitch variability": {
            "sd_semitones": features.pitch_sd_semitones,
            "range_semitones": features.pitch_range_semitones,
        },
        "speaking rate": {
            "syllables_per_second": features.syllables_per_second,
            "syllables": features.syllables,
        },
        "loudness": {"level_dbfs": features.level_dbfs},
        "loudness variability": {"sd_db": features.level_sd_db},
        "pauses": {"pause_ratio": features.pause_ratio},
    }
    items = [
        Evidence(name, round(AROUSAL_WEIGHTS[name] * values[name], 3), (), _rounded(detail))
        for name, detail in measured.items()
    ]
    speech = {"speech_seconds": features.speech_seconds, "voiced_seconds": features.voiced_seconds}
    items.append(Evidence("speech", 0.0, (), _rounded(speech)))
    return tuple(items)


def _semitones_outside_ordinary(hz: float) -> float:
    if hz > HIGH_VOICE_HZ:
        return 12 * math.log2(hz / HIGH_VOICE_HZ)
    if hz < LOW_VOICE_HZ:
        return 12 * math.log2(hz / LOW_VOICE_HZ)
    return 0.0


def _scaled(value: float, typical: float, span: float) -> float:
    return float(np.clip((value - typical) / span, -1.0, 1.0))


def _rounded(detail: dict[str, float]) -> dict[str, float]:
    return {key: round(float(value), 3) for key, value in detail.items()}
