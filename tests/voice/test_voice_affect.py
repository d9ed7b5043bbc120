"""Prosody → valence/arousal: the documented directions, and honestly low confidence."""

from __future__ import annotations

from dataclasses import replace

import pytest
from voice_samples import ENGLISH, PROSODY_LABELS, speak

from moodtune.emotion import VALENCE_AROUSAL
from moodtune.emotion_engines.voice.activity import detect
from moodtune.emotion_engines.voice.affect import (
    MAX_CONFIDENCE,
    MAX_VALENCE,
    cues,
    read_prosody,
    valence_arousal,
)
from moodtune.emotion_engines.voice.decode import decode
from moodtune.emotion_engines.voice.prosody import ProsodyFeatures, measure

ORDINARY = ProsodyFeatures(
    pitch_mean_hz=160.0,
    pitch_sd_semitones=2.5,
    pitch_range_semitones=6.0,
    level_dbfs=-26.0,
    level_sd_db=7.0,
    syllables=45,
    syllables_per_second=4.5,
    pause_ratio=0.1,
    speech_seconds=10.0,
    voiced_seconds=5.0,
)
AROUSED = replace(
    ORDINARY,
    pitch_mean_hz=300.0,
    pitch_sd_semitones=5.0,
    level_dbfs=-14.0,
    level_sd_db=11.0,
    syllables_per_second=6.5,
    pause_ratio=0.0,
)
SUBDUED = replace(
    ORDINARY,
    pitch_mean_hz=90.0,
    pitch_sd_semitones=0.8,
    level_dbfs=-38.0,
    level_sd_db=3.0,
    syllables_per_second=2.5,
    pause_ratio=0.35,
)


def test_ordinary_speech_sits_at_the_centre() -> None:
    valence, arousal = valence_arousal(ORDINARY)
    assert valence == pytest.approx(0.0) and arousal == pytest.approx(0.0, abs=0.1)


def test_aroused_speech_reads_high_arousal() -> None:
    valence, arousal = valence_arousal(AROUSED)
    assert arousal > 0.8 and 0 < valence <= MAX_VALENCE
    vector = read_prosody(AROUSED).vector
    assert vector.valence_arousal()[1] > 0.6
    assert VALENCE_AROUSAL[vector.top(1)[0][0]][1] > 0.5


def test_subdued_speech_reads_low_arousal_and_somewhat_negative() -> None:
    valence, arousal = valence_arousal(SUBDUED)
    assert arousal < -0.8 and -MAX_VALENCE <= valence < 0
    vector = read_prosody(SUBDUED).vector
    assert vector.valence_arousal()[1] < -0.3 and vector.valence_arousal()[0] < 0
    assert all(VALENCE_AROUSAL[code][1] < 0 for code, _ in vector.top(3))


@pytest.mark.parametrize(
    ("hz", "expected"), [(120.0, 0.0), (150.0, 0.0), (210.0, 0.0), (440.0, 1.0), (55.0, -1.0)]
)
def test_pitch_level_is_speaker_neutral(hz: float, expected: float) -> None:
    """Anything between the usual male and female centres is ordinary for someone."""
    assert cues(replace(ORDINARY, pitch_mean_hz=hz))["pitch level"] == pytest.approx(expected)


@pytest.mark.parametrize("features", [ORDINARY, AROUSED, SUBDUED])
def test_confidence_never_exceeds_the_cap(features: ProsodyFeatures) -> None:
    reading = read_prosody(features)
    assert 0 < reading.confidence <= MAX_CONFIDENCE == 0.3
    assert reading.modality == "voice" and reading.engine == "prosody"


def test_little_speech_means_less_confidence() -> None:
    short = read_prosody(replace(ORDINARY, voiced_seconds=0.5))
    assert short.confidence == pytest.approx(MAX_CONFIDENCE / 4)


def test_every_cue_is_evidence() -> None:
    labels = [item.label for item in read_prosody(AROUSED).evidence]
    assert labels == list(PROSODY_LABELS)


def test_fast_high_espeak_sounds_more_aroused_than_slow_low_espeak() -> None:
    def arousal(*options: str) -> float:
        samples = decode(speak(ENGLISH, "en", *options), 2**25, 120).samples
        return valence_arousal(measure(detect(samples, 16_000)))[1]

    assert arousal("-s", "260", "-p", "85", "-a", "180") > arousal("-s", "100", "-p", "20") + 0.3
