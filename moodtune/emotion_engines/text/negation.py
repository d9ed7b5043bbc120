"""What "not" does to a feeling: the rule both languages share.

A negated feeling is not simply removed, and not simply mirrored either:

- a positive feeling that is negated ("不开心", "not happy") usually means its opposite,
  said a little more softly: it moves to the opposite category at `POSITIVE_NEGATED`
  (0.8) of its weight — joy -> sorrow, love -> vexation, trust -> doubt, ...;
- a negative feeling that is negated ("不难过", "not sad") is only a weak positive: it
  moves to the opposite category at `NEGATIVE_NEGATED` (0.4) — sorrow, fear, anger ->
  ease, hate -> love, doubt -> trust, ...;
- surprise and missing have no sensible opposite ("not surprised" is no feeling at
  all): they are dropped.

The split (positive = valence > 0 in `moodtune.emotion.VALENCE_AROUSAL`) follows the
asymmetry found in negation studies of sentiment lexicons (e.g. Kiritchenko & Mohammad
2016, "The effect of negators, modals and degree adverbs on sentiment composition"):
negating a positive word flips it, negating a negative word mostly damps it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Final

from moodtune.emotion import VALENCE_AROUSAL

Profile = tuple[tuple[str, float], ...]  # (category code, weight) pairs

POSITIVE_NEGATED: Final = 0.8
NEGATIVE_NEGATED: Final = 0.4

OPPOSITE: Final[dict[str, str | None]] = {
    "PA": "NB",  # 不开心 / not happy -> sorrow
    "PE": "NI",  # 不踏实 / not at ease -> unease
    "PD": "NN",  # 不尊敬 / no respect -> criticism
    "PH": "NN",  # 不好看 / not good -> criticism
    "PG": "NL",  # 不相信 / don't trust -> doubt
    "PB": "NE",  # 不喜欢 / don't like -> vexation (hate would be too strong)
    "PK": "NJ",  # 不期待 / not looking forward -> disappointment
    "PC": None,  # 不惊讶 / not surprised -> nothing
    "NA": "PE",  # 不生气 / not angry -> ease
    "NB": "PE",  # 不难过 / not sad -> ease
    "NJ": "PE",  # 不失望 / not disappointed -> ease
    "NH": "PE",  # 不后悔 / no regrets -> ease
    "PF": None,  # 不想念 / don't miss -> nothing
    "NI": "PE",  # 不紧张 / not nervous -> ease
    "NC": "PE",  # 不怕 / not afraid -> ease
    "NG": "PE",  # 不害羞 / not shy -> ease
    "NE": "PE",  # 不烦 / not annoyed -> ease
    "ND": "PB",  # 不讨厌 / don't hate -> a little love
    "NN": "PH",  # 不差 / not bad -> praise
    "NK": "PE",  # 不嫉妒 / not jealous -> ease
    "NL": "PG",  # 不怀疑 / no doubt -> trust
}


def negate(profile: Profile, strength: float = 1.0) -> Profile:
    """The profile after negation; `strength` < 1 for hedged negators ("不太", "hardly")."""
    moved: dict[str, float] = defaultdict(float)
    for code, weight in profile:
        opposite = OPPOSITE[code]
        if opposite is None:
            continue
        share = POSITIVE_NEGATED if VALENCE_AROUSAL[code][0] > 0 else NEGATIVE_NEGATED
        moved[opposite] += weight * share * strength
    return tuple(moved.items())
