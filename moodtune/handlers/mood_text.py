"""A mood in one glance, as plain text any platform can show: emoji, name, bar, share."""

from __future__ import annotations

from moodtune.emotion import EmotionVector, describe
from moodtune.emotion_engines.reading import Reading
from moodtune.handlers.messages import MESSAGES, say
from moodtune.handlers.notes import note_text

EMOJI = {
    "PA": "😄", "PE": "😌", "PD": "🙇", "PH": "👏", "PG": "🤝", "PB": "🥰", "PK": "🙏",
    "NA": "😠", "NB": "😢", "NJ": "😞", "NH": "😔", "PF": "💭", "NI": "😰", "NC": "😨",
    "NG": "😳", "NE": "😤", "ND": "🤢", "NN": "👎", "NK": "😒", "NL": "🤔", "PC": "😮",
}  # fmt: skip
BAR_CELLS = 8


def bar(share: float, cells: int = BAR_CELLS) -> str:
    filled = round(max(0.0, min(1.0, share)) * cells)
    return "▰" * filled + "▱" * (cells - filled)


def mood_lines(vector: EmotionVector, language: str = "en", n: int = 3) -> list[str]:
    """One line per strong emotion, e.g. '😢 sorrow ▰▰▰▱▱▱▱▱ 42%'."""
    return [
        f"{EMOJI[code]} {describe(code, language)} {bar(share)} {share:.0%}"
        for code, share in vector.top(n, minimum=0.05)
    ]


def confidence_line(confidence: float, language: str = "en") -> str:
    if language.startswith("zh"):
        return f"把握: {confidence:.0%}"
    return f"confidence: {confidence:.0%}"


MODALITY_ICON = {"text": "📝", "photo": "🖼", "voice": "🎙"}


def modality_lines(reading: Reading, language: str = "en") -> list[str]:
    """Which modality said what, for a mood read from several (caption + photo...).

    A modality that could not be read says so, with the engine's reason: being honest
    about what was not understood matters as much as the mood itself.
    """
    if reading.modality != "fused":
        said = note_text(reading.note, language)
        return [*([f"ℹ️ {said}"] if said else []), *heard_lines(reading, language)]
    lines = []
    for part in reading.parts:
        icon = MODALITY_ICON.get(part.modality, "•")
        key = f"modality_{part.modality}"
        name = say(key, language) if key in MESSAGES else part.modality
        if part.has_signal:
            top = ", ".join(
                f"{EMOJI[code]} {describe(code, language)}"
                for code, _ in part.vector.top(2, minimum=0.05)
            )
            lines.append(f"{icon} {name}: {top} ({part.confidence:.0%})")
        else:
            said = note_text(part.note, language) or say("modality_unread", language)
            lines.append(f"{icon} {name}: {said}")
    return lines + [line for part in reading.parts for line in heard_lines(part, language)]


HEARD_CHARS = 200  # of a transcript, in a reply


def heard_lines(reading: Reading, language: str = "en") -> list[str]:
    """For a voice reading: the words speech-to-text heard, or why only the tone was read."""
    if reading.modality != "voice":
        return []
    for item in reading.evidence:
        if "transcript" not in item.detail:
            continue
        words, unheard = str(item.detail["transcript"]), item.detail.get("unheard")
        if unheard:
            return [say(f"voice_unheard_{str(unheard).replace(' ', '_')}", language)]
        shown = words if len(words) <= HEARD_CHARS else words[:HEARD_CHARS].rsplit(" ", 1)[0] + "…"
        return [say("voice_heard", language, words=shown)]
    return []
