"""Which writing systems a message uses, to tell "no feeling" from "a language I can't read"."""

from __future__ import annotations

from moodtune.emotion_engines.reading import Note

# Share of letters in scripts we have no lexicon for (Cyrillic, Arabic, Hangul, ...)
# above which an empty reading is blamed on the language, not on the message.
UNREAD_SHARE = 0.5
LATIN_END = 0x250  # Basic Latin .. Latin Extended-B
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))

UNKNOWN_LANGUAGE_NOTE = Note(
    "text_unknown_language", "I can only read feelings in Chinese and English for now."
)


def _is_read(char: str) -> bool:
    code = ord(char)
    return code < LATIN_END or any(start <= code <= end for start, end in HAN_RANGES)


def mostly_unread_script(text: str) -> bool:
    """Whether most letters belong to scripts none of our lexicons covers."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return False
    unread = sum(1 for char in letters if not _is_read(char))
    return unread / len(letters) > UNREAD_SHARE
