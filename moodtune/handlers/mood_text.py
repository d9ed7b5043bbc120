"""A mood in one glance, as plain text any platform can show: emoji, name, bar, share."""

from __future__ import annotations

from moodtune.emotion import EmotionVector, describe

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
