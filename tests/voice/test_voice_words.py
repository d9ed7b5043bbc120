"""The words of a voice note, heard by the bundled Whisper tiny.en and read by the text
engine; the person's language decides whether it listens at all."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
from bundled_weights import FileWeights, absent
from voice_models import build_ctc_model
from voice_samples import repeat_to

from moodtune.config import Settings
from moodtune.emotion_engines.bundled import CENTERFACE, WHISPER_TINY_EN
from moodtune.emotion_engines.reading import Evidence, Reading
from moodtune.emotion_engines.voice import VoiceEngine, build_voice_engine

WHISPER = "prosody+asr:whisper-tiny.en"


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def heard(reading: Reading) -> Evidence:
    first = reading.evidence[0]
    assert "transcript" in first.detail
    return first


def test_english_speech_is_transcribed_and_read_with_its_tone(
    listening_engine: VoiceEngine, english_note: bytes
) -> None:
    reading = listening_engine.analyze_sync(english_note, "en")
    words = words_of(heard(reading).detail["transcript"])
    assert {"happy", "sun", "shining", "wonderful"} <= set(words)
    assert heard(reading).label.startswith("heard: “I am so happy")
    assert reading.engine == WHISPER
    tone, text = reading.parts
    assert tone.engine == "prosody" and text.modality == "text" and text.has_signal
    assert reading.vector.top(1)[0][0] == "PA"
    assert reading.confidence > max(tone.confidence, text.confidence)


def test_the_issues_dancing_note_is_joy_not_guilt(
    listening_engine: VoiceEngine, tone_engine: VoiceEngine, dance_note: bytes
) -> None:
    reading = listening_engine.analyze_sync(dance_note, "en")
    assert {"happy", "dance"} <= set(words_of(heard(reading).detail["transcript"]))
    assert reading.vector.top(1)[0][0] == "PA" and reading.vector.groups()["happiness"] > 0.5
    tone_alone = tone_engine.analyze_sync(dance_note)
    assert reading.vector.as_dict()["PA"] > 3 * tone_alone.vector.as_dict()["PA"]


@pytest.mark.parametrize("language", ["zh", "de"])
def test_no_model_for_the_persons_language_means_the_tone_alone(
    listening_engine: VoiceEngine, mandarin_note: bytes, language: str
) -> None:
    reading = listening_engine.analyze_sync(mandarin_note, language)
    assert heard(reading).detail == {"transcript": "", "language": language, "unheard": "language"}
    assert reading.engine == "prosody" and [p.engine for p in reading.parts] == ["prosody"]
    assert reading.has_signal


def test_a_chinese_speaker_never_wakes_the_english_model(
    mandarin_note: bytes, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = FileWeights(tmp_path / "nothing" / "model.bin")
    engine = build_voice_engine(Settings(), speech_to_text_weights=missing)
    with caplog.at_level(logging.WARNING):
        reading = engine.analyze_sync(mandarin_note, "zh")
    assert heard(reading).detail["unheard"] == "language"
    assert not caplog.records  # the English model was not even loaded


def test_mandarin_heard_by_the_english_model_adds_no_mood(
    listening_engine: VoiceEngine, tone_engine: VoiceEngine, mandarin_note: bytes
) -> None:
    reading = listening_engine.analyze_sync(mandarin_note)  # language unknown: it tries
    assert heard(reading).detail.get("unheard", "no words") == "no words"  # digits, or words
    assert not any(part.has_signal for part in reading.parts[1:])
    assert reading.vector == tone_engine.analyze_sync(mandarin_note).vector


def test_the_language_setting_stands_in_for_an_unknown_person(mandarin_note: bytes) -> None:
    engine = build_voice_engine(Settings(language="zh"))
    assert heard(engine.analyze_sync(mandarin_note)).detail["unheard"] == "language"


def test_a_45_second_note_is_heard_past_the_first_30_second_window(
    listening_engine: VoiceEngine, english_wav: bytes
) -> None:
    reading = listening_engine.analyze_sync(repeat_to(english_wav, 45), "en")
    words = words_of(heard(reading).detail["transcript"])
    assert words.count("happy") >= 2 and words.count("wonderful") >= 2


def test_a_configured_model_wins_over_the_bundled_one(
    happy_asr_model: Path, english_note: bytes, whisper_weights: Path
) -> None:
    engine = build_voice_engine(Settings(asr_model=str(happy_asr_model)))
    reading = engine.analyze_sync(english_note, "zh")  # a configured model may know any
    assert heard(reading).detail["transcript"] == "happy"
    assert reading.engine == "prosody+asr:tiny-asr-happy"


def test_a_configured_model_that_cannot_load_leaves_whisper_to_listen(
    tmp_path: Path, english_note: bytes, whisper_weights: Path, caplog
) -> None:
    engine = build_voice_engine(Settings(asr_model=str(tmp_path / "no-such-model")))
    with caplog.at_level(logging.WARNING):
        reading = engine.analyze_sync(english_note, "en")
    assert reading.engine == WHISPER and "happy" in heard(reading).detail["transcript"]
    assert any("no-such-model" in r.getMessage() for r in caplog.records)


def whisper_copy(folder: Path, model_bin: bytes | None = None) -> FileWeights:
    """The bundled model's directory, copied, with model.bin replaced when given."""
    from bundled_weights import require

    source = require(WHISPER_TINY_EN).parent
    target = folder / "whisper"
    shutil.copytree(source, target)
    if model_bin is not None:
        (target / "model.bin").write_bytes(model_bin)
    return FileWeights(target / "model.bin")


@pytest.mark.parametrize("problem", ["missing package", "truncated", "another model's file"])
def test_broken_speech_to_text_weights_are_logged_once_and_the_tone_answers(
    problem: str, english_note: bytes, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if problem == "missing package":
        weights = absent(WHISPER_TINY_EN)
    elif problem == "truncated":
        real = whisper_copy(tmp_path / "real").locate().read_bytes()
        weights = whisper_copy(tmp_path, real[: len(real) // 3])
    else:
        from bundled_weights import require

        weights = whisper_copy(tmp_path, require(CENTERFACE).read_bytes())
    engine = build_voice_engine(Settings(), speech_to_text_weights=weights)
    with caplog.at_level(logging.WARNING):
        readings = [engine.analyze_sync(english_note, "en") for _ in range(2)]
    for reading in readings:
        assert reading.engine == "prosody" and reading.has_signal
        assert heard(reading).detail["unheard"] == "no model"
    warnings = [r.getMessage() for r in caplog.records if "could not be loaded" in r.getMessage()]
    assert len(warnings) == 1 and "the tone alone answers instead" in warnings[0]


def test_a_gibberish_configured_model_beside_whisper_keeps_its_letters(
    tmp_path: Path, english_note: bytes
) -> None:
    asr = build_ctc_model(tmp_path / "tiny-asr-random", seed=1)
    reading = build_voice_engine(Settings(asr_model=str(asr))).analyze_sync(english_note, "en")
    assert heard(reading).detail["recogniser"] == "asr:tiny-asr-random"
    assert reading.vector == reading.parts[0].vector  # its gibberish adds no mood
