"""Checking and tidying a message before any engine reads it.

`clean_text` is the one gate every text path goes through (chat messages, transcripts,
catalog descriptions). It refuses what cannot be a message, with a sentence a person can
read, and quietly repairs what is merely untidy:

- not a `str`, empty or whitespace only, longer than the limit, or mostly binary junk
  (NUL, control characters, lone surrogates, private-use or unassigned code points,
  U+FFFD from a lossy decode) -> `TextInputError`;
- a few control characters inside otherwise fine text are dropped; the text is NFKC
  normalised so full-width letters (ｈａｐｐｙ) and compatibility ideographs read like
  ordinary ones (full-width ASCII by a quick table first: nearly every Chinese message
  has full-width punctuation, and NFKC itself is the slowest step of a short message).
"""

from __future__ import annotations

import re
import unicodedata

from moodtune.emotion_engines.reading import Note
from moodtune.errors import InputError

# Above this share of junk code points the input is binary, not a message with typos.
JUNK_SHARE_LIMIT = 0.3

# Tab, newline and carriage return are layout, not junk; ZWJ (in Cf) joins emoji.
_KEPT_CONTROLS = frozenset("\t\n\r")
_JUNK_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})
# U+FF01..U+FF5E are full-width forms of ASCII "!".."~"; U+3000 is the ideographic space.
_NARROW = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
# Runs of spaces and tabs become one space; a lone space is left alone (no work to do).
_WHITESPACE_RUN = re.compile(r"[ \t\u3000]{2,}|[\t\u3000]")


_EMPTY = Note("input_text_empty", "That message is empty: tell me in a few words how you feel.")


class TextInputError(InputError):
    """A message that cannot be read as text; the message is a sentence for the person."""


def _is_junk(char: str) -> bool:
    if char in _KEPT_CONTROLS:
        return False
    return char == "\ufffd" or unicodedata.category(char) in _JUNK_CATEGORIES


def _without_layout(text: str) -> str:
    return text.replace("\n", "").replace("\t", "").replace("\r", "")


def _junk_in(text: str) -> set[str]:
    """The distinct junk characters of `text`, each checked once, not once per occurrence."""
    # isprintable() runs in C and is False for every junk category (not for U+FFFD), but
    # also for line breaks (lyrics, comments), which are taken out before asking again.
    printable = text.isprintable() or _without_layout(text).isprintable()
    if printable and "\ufffd" not in text:
        return set()  # the common case, decided in C
    return {char for char in set(text) if _is_junk(char)}


def _narrowed(text: str) -> str:
    """Full-width ASCII as ASCII. str.translate looks up every character of a non-ASCII
    text in Python (~20 us for 250 characters); a few str.replace calls run in C."""
    for wide in set(_WIDE.findall(text)):
        text = text.replace(wide, _NARROW[wide])
    return text


def clean_text(text: str, max_chars: int) -> str:
    """The message, tidied; raises `TextInputError` when it cannot be read as text."""
    if not isinstance(text, str):
        raise TextInputError(
            Note(
                "input_text_not_text",
                f"I can only read text messages, not {type(text).__name__}.",
                kind=type(text).__name__,
            )
        )
    if len(text) > max_chars:
        length, limit = f"{len(text):,}", f"{max_chars:,}"
        raise TextInputError(
            Note(
                "input_text_too_long",
                f"That message is {length} characters long; I read at most {limit}.",
                length=length,
                limit=limit,
            )
        )
    if not text.strip():
        raise TextInputError(_EMPTY)
    junk = _junk_in(text)
    if junk:
        if sum(map(text.count, junk)) / len(text) > JUNK_SHARE_LIMIT:
            raise TextInputError(
                Note("input_text_binary", "That looks like binary data, not a text message.")
            )
        text = "".join(char for char in text if char not in junk)
    if not text.isascii():  # ASCII is NFKC already (isascii is a flag, not a scan)
        text = _narrowed(text)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    if "  " in text or "\t" in text or "\u3000" in text:  # else the regex finds nothing
        text = _WHITESPACE_RUN.sub(" ", text)
    text = text.strip()
    if not text:
        raise TextInputError(_EMPTY)
    return text
