"""The voice engine end to end on real notes: speech read, silence and noise not guessed."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from PIL import Image
from voice_samples import PROSODY_LABELS

from moodtune.config import Settings
from moodtune.emotion_engines.voice import (
    NOTHING_HEARD,
    VoiceEngine,
    VoiceInputError,
    build_voice_engine,
)


@pytest.fixture
def engine(tone_engine: VoiceEngine) -> VoiceEngine:
    return tone_engine


@pytest.mark.parametrize("fixture", ["english_note", "mandarin_note"])
def test_speech_gives_a_low_confidence_prosody_reading(
    engine: VoiceEngine, fixture: str, request: pytest.FixtureRequest
) -> None:
    reading = engine.analyze_sync(request.getfixturevalue(fixture))
    assert reading.has_signal and 0.1 < reading.confidence <= 0.3
    assert reading.modality == "voice" and reading.engine == "prosody"
    assert not reading.vector.is_zero and reading.vector.values.sum() == pytest.approx(1.0)
    assert [part.engine for part in reading.parts] == ["prosody"]
    heard, *cues = reading.evidence
    assert heard.detail == {"transcript": "", "unheard": "no model"}
    assert {item.label for item in cues} == {*PROSODY_LABELS, "audio"}
    audio = next(item for item in reading.evidence if item.label == "audio")
    assert audio.detail["container"] == "OGG" and audio.detail["decoder"] == "soundfile"


@pytest.mark.parametrize("options", [("-ar", "8000"), ("-ar", "48000", "-ac", "2")])
def test_narrowband_and_stereo_recordings_are_read(
    engine: VoiceEngine, english_wav: bytes, options: tuple[str, ...]
) -> None:
    from voice_samples import encode

    reading = engine.analyze_sync(encode(english_wav, *options, container="wav"))
    assert reading.has_signal and 0.1 < reading.confidence <= 0.3


@pytest.mark.parametrize("fixture", ["silent_note", "noise_note"])
def test_silence_and_noise_are_heard_as_nothing(
    engine: VoiceEngine, fixture: str, request: pytest.FixtureRequest
) -> None:
    reading = engine.analyze_sync(request.getfixturevalue(fixture))
    assert reading.confidence == 0.0 and reading.vector.is_zero
    assert reading.note == NOTHING_HEARD and reading.modality == "voice"


async def test_analyze_runs_off_the_event_loop(engine: VoiceEngine, english_note: bytes) -> None:
    reading = await engine.analyze(english_note)
    assert reading == engine.analyze_sync(english_note)


def test_a_long_note_is_heard_only_up_to_the_limit(english_wav: bytes) -> None:
    from voice_samples import repeat_to

    engine = build_voice_engine(Settings(max_voice_seconds=4, bundled_models=False))
    reading = engine.analyze_sync(repeat_to(english_wav, 12))
    assert reading.has_signal
    assert reading.note == "I listened to the first 4 s of 12 s."


def test_an_hour_long_note_is_read_from_its_first_two_minutes(
    engine: VoiceEngine, hour_long_note: bytes
) -> None:
    tracemalloc.start()
    try:
        reading = engine.analyze_sync(hour_long_note)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20  # bounded by the two minutes analysed (an hour: > 230 MB)
    assert reading.has_signal and reading.note == "I listened to the first 120 s."
    audio = next(item for item in reading.evidence if item.label == "audio")
    assert audio.detail["truncated"] and audio.detail["analysed_seconds"] == pytest.approx(120)


def test_the_byte_limit_comes_from_the_settings(english_note: bytes) -> None:
    engine = build_voice_engine(Settings(max_voice_bytes=len(english_note) - 1))
    assert engine.listener.recognisers  # the limit holds before any model is asked
    with pytest.raises(VoiceInputError, match="I can take at most"):
        engine.analyze_sync(english_note)


def test_a_photo_sent_as_a_voice_note_is_refused(engine: VoiceEngine, tmp_path) -> None:
    Image.fromarray(np.zeros((16, 16, 3), dtype=np.uint8)).save(tmp_path / "note.ogg", "JPEG")
    with pytest.raises(VoiceInputError, match="JPEG image"):
        engine.analyze_sync((tmp_path / "note.ogg").read_bytes())


@pytest.mark.parametrize("data", [b"", b"OggS", b"\x00" * 1000])
async def test_unreadable_notes_raise_a_voice_input_error(engine: VoiceEngine, data: bytes):
    with pytest.raises(VoiceInputError):
        await engine.analyze(data)


def test_voice_input_error_is_an_input_error_the_cli_recognises() -> None:
    from moodtune.errors import InputError

    assert issubclass(VoiceInputError, InputError)
    assert issubclass(VoiceInputError, ValueError)
