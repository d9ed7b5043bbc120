"""Prosodic features measured on espeak-ng speech and on signals with a known answer."""

from __future__ import annotations

import numpy as np
import pytest
from voice_samples import ENGLISH, speak

from moodtune.emotion_engines.voice.activity import detect
from moodtune.emotion_engines.voice.decode import decode
from moodtune.emotion_engines.voice.prosody import (
    ProsodyFeatures,
    count_syllable_nuclei,
    measure,
)

RATE = 16_000
ENGLISH_SYLLABLES = 19  # I am so hap-py to-day, the sun is shi-ning and ev-ery-thing ...


def features_of(audio: bytes | np.ndarray) -> ProsodyFeatures:
    samples = audio if isinstance(audio, np.ndarray) else decode(audio, 2**25, 120).samples
    activity = detect(samples, RATE)
    assert activity.has_speech
    return measure(activity)


@pytest.fixture(scope="module")
def slow_low() -> ProsodyFeatures:
    return features_of(speak(ENGLISH, "en", "-s", "100", "-p", "25"))


@pytest.fixture(scope="module")
def fast_high() -> ProsodyFeatures:
    return features_of(speak(ENGLISH, "en", "-s", "260", "-p", "80"))


def test_syllables_are_counted_roughly(english_wav: bytes) -> None:
    syllables = features_of(english_wav).syllables
    # Automatic nucleus counts run low on fluent speech (de Jong & Wempe report ~0.8).
    assert 0.55 * ENGLISH_SYLLABLES <= syllables <= 1.15 * ENGLISH_SYLLABLES


def test_faster_speech_has_a_higher_rate(slow_low: ProsodyFeatures, fast_high: ProsodyFeatures):
    assert fast_high.syllables_per_second > 1.5 * slow_low.syllables_per_second
    assert fast_high.speech_seconds < slow_low.speech_seconds


def test_a_higher_voice_has_a_higher_pitch(slow_low: ProsodyFeatures, fast_high: ProsodyFeatures):
    assert fast_high.pitch_mean_hz > 1.4 * slow_low.pitch_mean_hz


def test_features_are_plausible(english_note: bytes) -> None:
    features = features_of(english_note)
    assert 70 < features.pitch_mean_hz < 300
    assert 0 < features.pitch_sd_semitones < 12 and features.pitch_range_semitones > 0
    assert -40 < features.level_dbfs < 0 and features.level_sd_db > 0
    assert 2 < features.syllables_per_second < 8
    assert 0 <= features.pause_ratio < 0.3
    assert features.voiced_seconds <= features.speech_seconds
    assert set(features.as_dict()) >= {"pitch_mean_hz", "pause_ratio", "speech_seconds"}


def test_a_pause_inside_speech_counts_but_silence_around_it_does_not(english_wav: bytes) -> None:
    speech = decode(english_wav, 2**25, 120).samples
    start, end = detect(speech, RATE).speech_span()
    speech = speech[start * 160 : end * 160]  # espeak's own leading and trailing silence off
    gap = np.zeros(RATE, dtype=np.float32)
    without = features_of(np.concatenate([gap, speech, gap]))
    with_pause = features_of(np.concatenate([gap, speech, gap, speech, gap]))
    one_span = without.speech_seconds / (1 - without.pause_ratio)
    expected = (2 * without.pause_ratio * one_span + 1.0) / (2 * one_span + 1.0)
    assert without.pause_ratio < 0.15
    assert with_pause.pause_ratio == pytest.approx(expected, abs=0.02)


def test_each_voiced_burst_is_one_nucleus() -> None:
    frames = np.arange(300)  # 3 s of 10 ms frames: 8 syllable-like bursts
    bursts = np.zeros(frames.size, dtype=bool)
    for start in range(20, 260, 30):
        bursts[start : start + 15] = True
    level = np.where(bursts, -20.0, -50.0) + 3 * np.sin(frames * np.pi / 15) * bursts
    assert count_syllable_nuclei(level, bursts) == 8
    assert count_syllable_nuclei(level, np.zeros_like(bursts)) == 0  # unvoiced: no nuclei
