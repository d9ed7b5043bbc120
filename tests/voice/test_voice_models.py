"""The model-backed paths on tiny models the tests build: speech emotion and speech-to-text."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from voice_models import IEMOCAP_LABELS, RAVDESS_LABELS, build_ctc_model, build_emotion_model

from moodtune.config import Settings
from moodtune.emotion_engines.text import build_text_engine
from moodtune.emotion_engines.voice import build_voice_engine
from moodtune.emotion_engines.voice.speech_emotion import MAX_CONFIDENCE, SpeechEmotionModel

LOAD_WARNING = "could not be loaded"


def with_models(voice_model: Path | None = None, asr_model: Path | None = None) -> Settings:
    """The configured models alone: the bundled Whisper is turned off here."""
    return Settings(
        voice_model=str(voice_model) if voice_model else None,
        asr_model=str(asr_model) if asr_model else None,
        bundled_models=False,
    )


def evidence(reading, label: str):
    if label == "transcript":
        return next(item for item in reading.evidence if "transcript" in item.detail)
    return next(item for item in reading.evidence if item.label == label)


def test_a_speech_emotion_model_reads_the_note(sad_model: Path, english_note: bytes) -> None:
    reading = build_voice_engine(with_models(sad_model)).analyze_sync(english_note)
    acoustic = reading.parts[0]
    assert acoustic.engine == reading.engine == "speech-emotion:tiny-ser-sad"
    assert acoustic.vector.top(1)[0][0] == "NB" and reading.vector.top(1)[0][0] == "NB"
    assert 0.7 < reading.confidence <= MAX_CONFIDENCE
    assert evidence(reading, "sad").categories == ("NB",)
    assert evidence(reading, "sad").weight > 0.99
    assert evidence(reading, "speaking rate").detail["syllables"] > 0  # prosody still shown


def test_ravdess_labels_are_mapped_too(tmp_path: Path, english_note: bytes) -> None:
    model = build_emotion_model(tmp_path / "tiny-ravdess", RAVDESS_LABELS, "calm")
    reading = build_voice_engine(with_models(model)).analyze_sync(english_note)
    assert reading.vector.top(1)[0][0] == "PE"  # calm → ease


def test_a_model_that_hears_only_neutral_barely_counts(tmp_path: Path, english_note: bytes):
    model = build_emotion_model(tmp_path / "tiny-neutral", IEMOCAP_LABELS, "neu")
    reading = build_voice_engine(with_models(model)).analyze_sync(english_note)
    assert reading.parts[0].engine == "speech-emotion:tiny-neutral"
    assert reading.confidence < 0.01


def test_an_untrained_model_is_unsure(tmp_path: Path, english_note: bytes) -> None:
    model = build_emotion_model(tmp_path / "tiny-random", IEMOCAP_LABELS, seed=3)
    reading = build_voice_engine(with_models(model)).analyze_sync(english_note)
    assert reading.has_signal and reading.confidence < 0.1
    assert {code for code, _ in reading.vector.top(3)} == {"PA", "NA", "NB"}


def test_long_notes_are_classified_window_by_window(sad_model: Path) -> None:
    model = SpeechEmotionModel(str(sad_model))
    samples = np.random.default_rng(0).normal(0, 0.1, 45 * 16_000).astype(np.float32)
    probabilities = model.probabilities(samples)
    assert probabilities.sum() == pytest.approx(1.0) and probabilities.argmax() == 3


@pytest.mark.parametrize("problem", ["missing", "empty", "unknown labels"])
def test_a_model_that_cannot_load_is_logged_once_and_prosody_answers(
    problem: str, tmp_path: Path, english_note: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    model = tmp_path / "model"
    if problem == "empty":
        model.mkdir()
    elif problem == "unknown labels":
        build_emotion_model(model, ("LABEL_0", "LABEL_1", "LABEL_2"))
    engine = build_voice_engine(with_models(model))
    with caplog.at_level(logging.WARNING):
        first = engine.analyze_sync(english_note)
        second = engine.analyze_sync(english_note)
    assert first.engine == second.engine == "prosody" and first.has_signal
    warnings = [r for r in caplog.records if LOAD_WARNING in r.getMessage()]
    assert len(warnings) == 1 and "speech-emotion" in warnings[0].getMessage()


def test_a_model_that_fails_on_a_note_is_logged_and_prosody_answers(
    tmp_path: Path, english_note: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    # Its first convolution is wider than the whole note: it loads, then cannot run.
    kernels = (200_000, 3, 3, 3, 3, 2, 2)
    model = build_emotion_model(tmp_path / "too-wide", IEMOCAP_LABELS, conv_kernel=kernels)
    with caplog.at_level(logging.WARNING):
        reading = build_voice_engine(with_models(model)).analyze_sync(english_note)
    assert reading.engine == "prosody" and reading.has_signal
    assert any("failed (" in r.getMessage() for r in caplog.records)


def test_the_transcript_goes_through_the_text_engine(
    happy_asr_model: Path, english_note: bytes
) -> None:
    settings = with_models(asr_model=happy_asr_model)
    reading = build_voice_engine(settings, build_text_engine(settings)).analyze_sync(english_note)
    acoustic, words = reading.parts
    assert acoustic.engine == "prosody" and acoustic.modality == "voice"
    assert words.modality == "text" and words.has_signal and words.vector.top(1)[0][0] == "PA"
    assert evidence(reading, "transcript").detail == {
        "transcript": "happy",
        "recogniser": "asr:tiny-asr-happy",
    }
    assert reading.engine == "prosody+asr:tiny-asr-happy"
    # Both count: more confident than either alone, and pulled toward joy.
    assert reading.confidence > max(acoustic.confidence, words.confidence)
    share = reading.vector.as_dict()
    assert acoustic.vector.as_dict()["PA"] < share["PA"] < words.vector.as_dict()["PA"]


def test_a_whisper_model_transcribes_short_and_long_notes(
    whisper_model: Path, english_wav: bytes, english_note: bytes
) -> None:
    from voice_samples import repeat_to

    engine = build_voice_engine(with_models(asr_model=whisper_model))
    short = evidence(engine.analyze_sync(english_note), "transcript").detail["transcript"]
    # 45 s: more than one 30 s window, so Whisper's own long-form decoding runs.
    reading = engine.analyze_sync(repeat_to(english_wav, 45))
    long = evidence(reading, "transcript").detail["transcript"]
    assert set(short.split()) == set(long.split()) == {"happy"}
    assert len(long.split()) > len(short.split())
    assert reading.engine == "prosody+asr:tiny-whisper"
    assert reading.parts[1].vector.top(1)[0][0] == "PA"


def test_a_transcript_longer_than_a_message_is_cut_at_a_word(
    whisper_model: Path, english_note: bytes
) -> None:
    settings = Settings(asr_model=str(whisper_model), max_text_chars=20, bundled_models=False)
    reading = build_voice_engine(settings).analyze_sync(english_note)
    assert len(evidence(reading, "transcript").detail["transcript"]) > 20
    words = reading.parts[1]
    assert words.has_signal and words.vector.top(1)[0][0] == "PA"


def test_models_for_both_work_together(
    sad_model: Path, happy_asr_model: Path, mandarin_note: bytes
) -> None:
    reading = build_voice_engine(with_models(sad_model, happy_asr_model)).analyze_sync(
        mandarin_note
    )
    assert [part.engine for part in reading.parts] == ["speech-emotion:tiny-ser-sad", "lexicon"]
    assert {code for code, _ in reading.vector.top(2)} == {"NB", "PA"}


def test_a_gibberish_transcript_is_kept_but_adds_no_emotion(
    tmp_path: Path, english_note: bytes
) -> None:
    asr = build_ctc_model(tmp_path / "tiny-asr-random", seed=1)
    reading = build_voice_engine(with_models(asr_model=asr)).analyze_sync(english_note)
    transcript = evidence(reading, "transcript").detail["transcript"]
    assert transcript and len(reading.parts) == 2
    assert not reading.parts[1].has_signal
    assert reading.vector == reading.parts[0].vector


def test_an_asr_model_that_cannot_load_leaves_the_voice_reading(
    tmp_path: Path, english_note: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    engine = build_voice_engine(with_models(asr_model=tmp_path / "missing"))
    with caplog.at_level(logging.WARNING):
        reading = engine.analyze_sync(english_note)
    assert reading.engine == "prosody" and len(reading.parts) == 1
    assert any("speech-to-text" in r.getMessage() for r in caplog.records)


def test_silence_is_nothing_even_with_models(
    sad_model: Path, happy_asr_model: Path, silent_note: bytes
) -> None:
    reading = build_voice_engine(with_models(sad_model, happy_asr_model)).analyze_sync(silent_note)
    assert reading.confidence == 0 and reading.vector.is_zero and not reading.parts
