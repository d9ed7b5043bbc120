"""Which writing systems a message uses: to tell "no feeling" from "a language I can't read",
and which language its words are in (the songs in it lead the answer)."""

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


# Scripts that name one language well enough to pick songs in it. Latin letters are read
# as English: the only Latin-script language moodtune reads feelings in.
SCRIPT_LANGUAGES = (
    ("zh", HAN_RANGES),
    ("ja", ((0x3040, 0x30FF),)),  # hiragana and katakana
    ("ko", ((0x1100, 0x11FF), (0xAC00, 0xD7AF), (0x3130, 0x318F))),
    ("ru", ((0x0400, 0x04FF),)),
    ("ar", ((0x0600, 0x06FF),)),
    ("hi", ((0x0900, 0x097F),)),
)
HAN_LETTERS_PER_WORD = 1.5  # a Chinese word is one or two characters
LATIN_LETTERS_PER_WORD = 5


def message_language(text: str) -> str | None:
    """The language most of a message's words are in ('zh', 'en', 'ja', 'ko', ...), or
    None when it has no words (emoji, digits). Kana among Han characters is Japanese."""
    counts: dict[str, float] = {}
    for char in text:
        if not char.isalpha():
            continue
        code = ord(char)
        if code < LATIN_END:
            counts["en"] = counts.get("en", 0.0) + 1 / LATIN_LETTERS_PER_WORD
            continue
        for language, ranges in SCRIPT_LANGUAGES:
            if any(start <= code <= end for start, end in ranges):
                per_word = HAN_LETTERS_PER_WORD if language in ("zh", "ja") else 3
                counts[language] = counts.get(language, 0.0) + 1 / per_word
                break
    if "ja" in counts and "zh" in counts:  # kanji with kana: Japanese
        counts["ja"] += counts.pop("zh")
    return max(counts, key=counts.__getitem__) if counts else None
