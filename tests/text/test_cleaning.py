"""What `clean_text` refuses, and what it quietly repairs."""

from __future__ import annotations

import os

import pytest

from moodtune.emotion_engines.text import TextInputError, clean_text

LIMIT = 4000


@pytest.mark.parametrize("text", ["", " ", "\n\t  \u3000 \r\n"])
def test_empty_or_whitespace_is_refused(text: str) -> None:
    with pytest.raises(TextInputError, match="empty"):
        clean_text(text, LIMIT)


def test_too_long_says_how_long_and_the_limit() -> None:
    with pytest.raises(TextInputError) as caught:
        clean_text("开心" * 524_288, LIMIT)  # 1 MiB of characters
    assert "1,048,576 characters" in str(caught.value)
    assert "4,000" in str(caught.value)


@pytest.mark.parametrize(
    "junk",
    [
        "\x00" * 100,
        os.urandom(3000).decode("latin-1").translate({i: 0 for i in range(32, 256, 2)}),
        os.urandom(2000).decode("utf-8", errors="replace"),
        "\ud800\udfff" * 50 + "hi",
        "\ue000\uf8ff" * 40,
    ],
    ids=["nul", "control-bytes", "replacement-chars", "lone-surrogates", "private-use"],
)
def test_binary_junk_is_refused(junk: str) -> None:
    with pytest.raises(TextInputError, match="binary"):
        clean_text(junk, LIMIT)


@pytest.mark.parametrize("value", [b"happy", None, 42, ["happy"]])
def test_not_a_string_is_refused(value: object) -> None:
    with pytest.raises(TextInputError, match="text messages"):
        clean_text(value, LIMIT)  # type: ignore[arg-type]


def test_control_characters_inside_text_are_stripped() -> None:
    assert clean_text("I am\x00 so\x07 happy\x1b today", LIMIT) == "I am so happy today"


def test_only_control_characters_among_spaces_count_as_empty() -> None:
    with pytest.raises(TextInputError):
        clean_text("  \x00  ", LIMIT)


def test_layout_and_emoji_joiners_are_kept() -> None:
    assert clean_text("line one\nline two ❤️‍🔥", LIMIT) == "line one\nline two ❤️‍🔥"


def test_full_width_text_is_normalised() -> None:
    assert clean_text("ｈａｐｐｙ　今天！", LIMIT) == "happy 今天!"


def test_text_at_the_limit_is_accepted() -> None:
    assert clean_text("a" * LIMIT, LIMIT) == "a" * LIMIT
