"""Tables (kept as CSV data) from each model family's labels to the 21 categories.

Each row gives a label, a category and a weight; a label may feed several categories,
and contributions to one category add up, never overwrite. An empty category marks a
label that carries no emotion ("neutral"): its probability only lowers confidence.
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

import numpy as np

from moodtune.emotion import DIM, INDEX

TABLES = ("emotic26", "ekman7", "ravdess8", "goemotions28", "nrc10", "iemocap4")


def normalise_label(label: str) -> str:
    """Model labels differ in case, spacing and separators: 'Sad ', 'SAD', 'very_happy'."""
    return label.strip().lower().replace("-", "_").replace(" ", "_")


@dataclass(frozen=True)
class MappedScores:
    """Label scores mapped into the 21: raw scores, neutral mass and unmapped labels."""

    scores: np.ndarray
    neutral: float
    unknown: tuple[str, ...]


@dataclass(frozen=True)
class LabelMap:
    name: str
    rows: Mapping[str, tuple[tuple[int, float], ...]]  # label -> ((category index, weight), ...)

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(self.rows)

    def coverage(self, labels: Iterable[str]) -> float:
        """The share of the given labels this table knows."""
        names = [normalise_label(label) for label in labels]
        return sum(name in self.rows for name in names) / len(names) if names else 0.0

    def map(self, label_scores: Mapping[str, float]) -> MappedScores:
        """Add each label's score × weight into its categories."""
        scores = np.zeros(DIM)
        neutral = 0.0
        unknown: list[str] = []
        for label, score in label_scores.items():
            row = self.rows.get(normalise_label(label))
            if row is None:
                unknown.append(label)
            elif not row:
                neutral += float(score)
            else:
                for index, weight in row:
                    scores[index] += float(score) * weight
        return MappedScores(scores, neutral, tuple(unknown))


def _parse(name: str, text: str) -> LabelMap:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for record in csv.DictReader(lines):
        label = normalise_label(record["label"])
        category = record["category"].strip()
        if not category:
            rows.setdefault(label, [])
            continue
        if category not in INDEX:
            raise ValueError(f"label map {name}: unknown category {category!r} for {label!r}")
        rows[label].append((INDEX[category], float(record["weight"])))
    return LabelMap(name, {label: tuple(pairs) for label, pairs in rows.items()})


@functools.cache
def load(name: str) -> LabelMap:
    """One of TABLES by name."""
    if name not in TABLES:
        raise KeyError(f"no label map {name!r}; known: {', '.join(TABLES)}")
    text = resources.files(__package__).joinpath(f"{name}.csv").read_text(encoding="utf-8")
    return _parse(name, text)


def best_for(labels: Iterable[str]) -> LabelMap:
    """The table that knows the largest share of a model's labels (ties: listed order)."""
    labels = list(labels)
    return max((load(name) for name in TABLES), key=lambda table: table.coverage(labels))
