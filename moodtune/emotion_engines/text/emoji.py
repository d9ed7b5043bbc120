"""Reading feelings from emoji and emoticons, with moodtune's own table (`data/emoji.csv`).

Emoji are compared without variation selectors (U+FE0E, U+FE0F) and skin-tone
modifiers (U+1F3FB..U+1F3FF), so 👍🏽 reads as 👍 and ❤️ as ❤; ZWJ sequences in the
table (❤‍🔥, 😮‍💨) are matched whole before their parts. Emoticons are matched
case-sensitively, longest first (":((" before ":("); one that begins or ends with a
letter or digit (xD, :P, <3) must not be glued to another letter or digit there, so
"xDD" or "<30" are not faces. URLs are removed first so "https://" is no ":/".

The matched symbols are cut out of the text before the English reader sees it, so the
"D" of ":D" is never read as a word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from moodtune.emotion_engines.text import data
from moodtune.emotion_engines.text.hits import Hit
from moodtune.emotion_engines.text.modifiers import UNCHANGED
from moodtune.emotion_engines.text.negation import Profile

DECORATIONS = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
EMOJI_BLOCKS = re.compile("[\u2000-\u2bff\U0001f000-\U0001faff]")
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
SOURCE = "moodtune"


def normalise(text: str) -> str:
    """The text without emoji variation selectors and skin tones."""
    return DECORATIONS.sub("", text)


def _pattern(symbol: str) -> str:
    before = r"(?<![A-Za-z0-9])" if symbol[0].isalnum() else ""
    after = r"(?![A-Za-z0-9])" if symbol[-1].isalnum() else ""
    return before + re.escape(symbol) + after


@dataclass(frozen=True)
class _Table:
    symbols: dict[str, Profile]
    pattern: re.Pattern[str]  # every symbol, longest first
    candidates: re.Pattern[str]  # the first character of every symbol, or a worded symbol

    def may_occur_in(self, text: str) -> bool:
        """A cheap test (one character class, a few words) before the 180-way regex."""
        return self.candidates.search(text) is not None


def _candidates(symbols: Iterable[str]) -> re.Pattern[str]:
    """A character class of emoji blocks plus the other first characters, one by one, or
    one of the symbols that start with a letter or digit (xD, QAQ), anywhere.

    Ranges are checked far faster than a class of 150 single code points.
    """
    symbols = list(symbols)
    firsts = {symbol[0] for symbol in symbols if not symbol[0].isalnum()}
    singles = sorted(char for char in firsts if not EMOJI_BLOCKS.match(char))
    blocks = EMOJI_BLOCKS.pattern[1:-1]
    worded = [re.escape(symbol) for symbol in symbols if symbol[0].isalnum()]
    return re.compile("|".join(["[" + blocks + "".join(map(re.escape, singles)) + "]", *worded]))


@functools.cache
def _table() -> _Table:
    symbols: dict[str, list[tuple[str, float]]] = {}
    for row in data.rows("emoji.csv"):
        symbol = normalise(row["symbol"])
        symbols.setdefault(symbol, []).append((row["category"], float(row["weight"])))
    ordered = sorted(symbols, key=len, reverse=True)
    pattern = re.compile("|".join(_pattern(symbol) for symbol in ordered))
    return _Table(
        symbols={symbol: tuple(pairs) for symbol, pairs in symbols.items()},
        pattern=pattern,
        candidates=_candidates(ordered),
    )


def known_symbols() -> frozenset[str]:
    return frozenset(_table().symbols)


def read_emoji(text: str) -> tuple[list[Hit], str]:
    """Hits for each emoji or emoticon, and the text with them (and URLs) cut out."""
    table = _table()
    if "//" in text or "www." in text:
        text = URL.sub(" ", text)
    if not text.isascii() and DECORATIONS.search(text):  # rare: search, not sub, first
        text = normalise(text)
    if not table.may_occur_in(text):
        return [], text
    hits = [
        Hit(match.group(), "emoji", table.symbols[match.group()], UNCHANGED, SOURCE)
        for match in table.pattern.finditer(text)
    ]
    return hits, table.pattern.sub(" ", text) if hits else text
