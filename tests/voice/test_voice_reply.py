"""What a reply says about a voice note's words, in English and Chinese, and where the
language the note is listened for comes from."""

from __future__ import annotations

import pytest

from moodtune.config import Settings
from moodtune.emotion_engines.analysis import Engines, Inputs
from moodtune.emotion_engines.voice import VoiceEngine
from moodtune.handlers.language import speech_language
from moodtune.handlers.mood_text import modality_lines


async def test_the_reply_quotes_the_words_it_heard(
    listening_engine: VoiceEngine, english_note: bytes
) -> None:
    reading = await listening_engine.analyze(english_note, "en")
    (line,) = modality_lines(reading, "en")
    assert line.startswith("🎙 I heard: “I am so happy") and "wonderful" in line
    assert modality_lines(reading, "zh")[0].startswith("🎙 我听到：“I am so happy")


async def test_a_chinese_speaker_is_told_only_the_tone_was_read(
    listening_engine: VoiceEngine, mandarin_note: bytes
) -> None:
    reading = await listening_engine.analyze(mandarin_note, "zh")
    assert modality_lines(reading, "zh") == ["🎙 我暂时还听不懂这种语言的语音，只读了你的语气。"]
    assert "only your tone" in modality_lines(reading, "en")[0]


async def test_without_speech_to_text_the_reply_says_so(
    tone_engine: VoiceEngine, english_note: bytes
) -> None:
    reading = await tone_engine.analyze(english_note)
    assert modality_lines(reading, "en") == [
        "🎙 No speech-to-text is installed, so I read only your tone."
    ]


async def test_words_with_a_caption_are_shown_beside_each_modality(
    english_note: bytes, whisper_weights: object
) -> None:
    engines = Engines(Settings())
    analysis = await engines.analyze(Inputs("what a day", voice=english_note, language="en"))
    lines = modality_lines(analysis.fused, "en")
    assert lines[-1].startswith("🎙 I heard: “I am so happy")
    assert [line.split(":")[0] for line in lines[:-1]] == ["📝 words", "🎙 voice"]


async def test_a_long_transcript_is_cut_at_a_word_in_the_reply(
    listening_engine: VoiceEngine, english_wav: bytes
) -> None:
    from voice_samples import repeat_to

    reading = await listening_engine.analyze(repeat_to(english_wav, 30), "en")
    (line,) = modality_lines(reading, "en")
    assert len(line) < 240 and line.endswith("…”")


@pytest.mark.parametrize(
    ("setting", "person", "caption", "expected"),
    [
        ("auto", "en-GB", "", "en"),
        ("auto", "de-AT", "", "de"),
        ("auto", "zh-hans", "", "zh"),
        ("auto", None, "", None),
        ("auto", "en", "今天好开心", "zh"),
        ("zh", "en", "", "zh"),
        ("en", "zh-TW", "", "zh"),  # the setting fixes replies, not what the person speaks
    ],
)
def test_the_language_a_note_is_heard_in_comes_from_the_person(
    setting: str, person: str | None, caption: str, expected: str | None
) -> None:
    assert speech_language(setting, person, caption) == expected
