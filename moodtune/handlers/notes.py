"""An engine's note on a reading, said in the person's language.

Engines write their notes in English, what the CLI prints, with a stable code for each
remark (``emotion_engines.reading.Note``); the sentences for those codes are in
messages.py as ``note_<code>``. A remark without a code, or with one that has no
sentence yet, stays in English for English speakers and is left out for everyone else:
a Chinese reply never slips into English.
"""

from __future__ import annotations

from moodtune.emotion_engines.reading import Note, NotePart, note_parts
from moodtune.handlers.messages import MESSAGES, say

SEPARATOR = {"en": "; ", "zh": "；"}


def note_text(note: str, language: str) -> str:
    """The note in ``language``, or "" when there is none (or nothing of it can be said)."""
    said = [remark for part in note_parts(note) if (remark := _remark(part, language))]
    if len(said) > 1:  # remarks run on: "…I know; no face found", not "…I know.; no face"
        said = [remark.rstrip(".。") for remark in said]
    return SEPARATOR["zh" if language.startswith("zh") else "en"].join(said)


def _remark(part: NotePart, language: str) -> str:
    key = f"note_{part.code}"
    if part.code and key in MESSAGES:
        values = {
            name: note_text(value, language) if isinstance(value, Note) else value
            for name, value in part.values.items()
        }
        return say(key, language, **values)
    return "" if language.startswith("zh") else part.text
