"""The emotion space: the 21 DLUT categories, their 7 groups, and a circumplex point each.

Every engine, the catalog and the recommender speak this one vocabulary. A vector is 21
non-negative floats in the canonical order that sum to 1, or all zero for "nothing read".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

CATEGORIES: Final = (
    "PA", "PE", "PD", "PH", "PG", "PB", "PK", "NA", "NB", "NJ", "NH",
    "PF", "NI", "NC", "NG", "NE", "ND", "NN", "NK", "NL", "PC",
)  # fmt: skip
DIM: Final = len(CATEGORIES)
INDEX: Final = {code: i for i, code in enumerate(CATEGORIES)}

NAMES_EN: Final = {
    "PA": "joy", "PE": "ease", "PD": "respect", "PH": "praise", "PG": "trust",
    "PB": "love", "PK": "wishing", "NA": "anger", "NB": "sorrow", "NJ": "disappointment",
    "NH": "guilt", "PF": "missing", "NI": "panic", "NC": "fear", "NG": "shame",
    "NE": "vexation", "ND": "hate", "NN": "criticism", "NK": "jealousy", "NL": "doubt",
    "PC": "surprise",
}  # fmt: skip
NAMES_ZH: Final = {
    "PA": "快乐", "PE": "安心", "PD": "尊敬", "PH": "赞扬", "PG": "相信", "PB": "喜爱",
    "PK": "祝愿", "NA": "愤怒", "NB": "悲伤", "NJ": "失望", "NH": "疚", "PF": "思",
    "NI": "慌", "NC": "恐惧", "NG": "羞", "NE": "烦闷", "ND": "憎恶", "NN": "贬责",
    "NK": "妒忌", "NL": "怀疑", "PC": "惊奇",
}  # fmt: skip

# The 7 groups of the DLUT ontology, keyed by an English id; (zh name, en name, members).
GROUPS: Final = {
    "happiness": ("乐", "happiness", ("PA", "PE")),
    "goodness": ("好", "goodness", ("PD", "PH", "PG", "PB", "PK")),
    "anger": ("怒", "anger", ("NA",)),
    "sadness": ("哀", "sadness", ("NB", "NJ", "NH", "PF")),
    "fear": ("惧", "fear", ("NI", "NC", "NG")),
    "dislike": ("恶", "dislike", ("NE", "ND", "NN", "NK", "NL")),
    "surprise": ("惊", "surprise", ("PC",)),
}
GROUP_OF: Final = {code: group for group, (_, _, codes) in GROUPS.items() for code in codes}

# Valence and arousal in [-1, 1] for each category. Placed after Russell's circumplex
# (Russell 1980) and the Geneva Emotion Wheel / Scherer (2005) positions of the nearest
# English term; the DLUT categories with no direct counterpart (praise, criticism,
# wishing) sit beside their closest neighbour (admiration, contempt, hope).
VALENCE_AROUSAL: Final = {
    "PA": (0.85, 0.55), "PE": (0.60, -0.45), "PD": (0.50, 0.00), "PH": (0.65, 0.30),
    "PG": (0.55, -0.15), "PB": (0.80, 0.35), "PK": (0.55, 0.20), "NA": (-0.65, 0.80),
    "NB": (-0.75, -0.45), "NJ": (-0.60, -0.35), "NH": (-0.55, -0.10), "PF": (-0.25, -0.30),
    "NI": (-0.55, 0.80), "NC": (-0.70, 0.60), "NG": (-0.50, 0.20), "NE": (-0.45, 0.40),
    "ND": (-0.75, 0.45), "NN": (-0.50, 0.15), "NK": (-0.55, 0.45), "NL": (-0.25, 0.05),
    "PC": (0.25, 0.75),
}  # fmt: skip
VA_POINTS: Final = np.array([VALENCE_AROUSAL[c] for c in CATEGORIES], dtype=np.float64)

# How sharply a circumplex point is spread over nearby categories (see from_valence_arousal).
VA_SPREAD: Final = 0.25


class InvalidVectorError(ValueError):
    """A vector with NaN, infinite or negative entries, or of the wrong length."""


@dataclass(frozen=True, slots=True)
class EmotionVector:
    """A distribution over the 21 categories (or all zero when nothing was read)."""

    values: np.ndarray

    def __post_init__(self) -> None:
        values = np.asarray(self.values, dtype=np.float64)
        if values.shape != (DIM,):
            raise InvalidVectorError(f"an emotion vector has {DIM} entries, got {values.shape}")
        # Two reductions, not four: NaN fails `>= 0`; with no -inf, an inf makes the sum one.
        total = values.sum() if values.min() >= 0 else math.nan
        if not math.isfinite(total):
            raise InvalidVectorError("an emotion vector must be finite and non-negative")
        if total > 0 and abs(total - 1.0) > 1e-9:
            values = values / total
        values.setflags(write=False)
        object.__setattr__(self, "values", values)

    @classmethod
    def zero(cls) -> EmotionVector:
        return cls(np.zeros(DIM))

    @classmethod
    def from_array(cls, values: Iterable[float]) -> EmotionVector:
        """Normalise any non-negative array of 21 scores (all zero stays zero)."""
        return cls(np.fromiter(values, dtype=np.float64, count=DIM))

    @classmethod
    def from_scores(cls, scores: Mapping[str, float]) -> EmotionVector:
        """Normalise scores keyed by category code; unknown codes are an error."""
        values = np.zeros(DIM)
        for code, score in scores.items():
            if code not in INDEX:
                raise KeyError(f"unknown emotion category {code!r}")
            values[INDEX[code]] += score
        return cls(values)

    @classmethod
    def from_valence_arousal(
        cls, valence: float, arousal: float, spread: float = VA_SPREAD
    ) -> EmotionVector:
        """Spread a circumplex point over the categories nearest to it (Gaussian kernel)."""
        point = np.clip(np.array([valence, arousal], dtype=np.float64), -1.0, 1.0)
        squared = ((VA_POINTS - point) ** 2).sum(axis=1)
        weights = np.exp(-(squared - squared.min()) / (2 * spread**2))
        return cls(weights)

    @property
    def is_zero(self) -> bool:
        return not self.values.any()

    def top(self, n: int = 3, minimum: float = 0.0) -> list[tuple[str, float]]:
        """The n strongest categories as (code, share), strongest first; zeros left out."""
        order = np.argsort(-self.values, kind="stable")[:n]
        return [(CATEGORIES[i], float(self.values[i])) for i in order if self.values[i] > minimum]

    def valence_arousal(self) -> tuple[float, float]:
        """The vector's centre on the circumplex; (0, 0) for the zero vector."""
        if self.is_zero:
            return (0.0, 0.0)
        valence, arousal = self.values @ VA_POINTS
        return (float(valence), float(arousal))

    def groups(self) -> dict[str, float]:
        """The share of each of the 7 groups."""
        return {
            group: float(sum(self.values[INDEX[c]] for c in codes))
            for group, (_, _, codes) in GROUPS.items()
        }

    def as_dict(self, digits: int | None = None) -> dict[str, float]:
        if digits is None:
            return {c: float(v) for c, v in zip(CATEGORIES, self.values, strict=True)}
        return {c: round(float(v), digits) for c, v in zip(CATEGORIES, self.values, strict=True)}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EmotionVector) and np.array_equal(self.values, other.values)

    def __hash__(self) -> int:
        return hash(self.values.tobytes())


def describe(code: str, language: str = "en") -> str:
    """A category's human name in English or Chinese."""
    return NAMES_ZH[code] if language.startswith("zh") else NAMES_EN[code]
