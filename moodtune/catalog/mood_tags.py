"""The mood-tag vocabulary: English (and some Chinese) mood words → the 21 categories.

Catalog rows, importers and the annotator describe a track's feel with plain tags such as
"nostalgic" or "伤感"; this module turns a list of tags into raw category scores. The table
is data (mood_tags.csv: tag, category, weight; several rows per tag, weights summing to 1)
so it can be read and corrected without touching code. How a tag is shown in a reply, in
English and in Chinese, is data too (mood_tag_names.csv: tag, en, zh).
"""

from __future__ import annotations

import csv
import functools
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from importlib import resources

import numpy as np

from moodtune.emotion import DIM, INDEX

TABLE_FILE = "mood_tags.csv"
NAMES_FILE = "mood_tag_names.csv"
COLUMNS = ("tag", "category", "weight")
WEIGHT_TOLERANCE = 1e-6

TagTable = Mapping[str, Mapping[str, float]]  # tag -> {category code: weight}


class MoodTagError(ValueError):
    """A malformed mood-tag table, or tags that are not a sequence of strings."""


def normalise_tag(tag: str) -> str:
    """Tags come from people and platforms: ' Sad', 'SAD' and 'sad' are one tag."""
    return " ".join(tag.split()).lower()


def parse_table(text: str, source: str = TABLE_FILE) -> dict[str, dict[str, float]]:
    """Parse and validate a tag table; any defect is a MoodTagError naming the line."""
    text = text.removeprefix("\ufeff")  # spreadsheets save UTF-8 with a byte-order mark
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if _is_data(line)]
    if not lines or tuple(c.strip() for c in lines[0][1].split(",")) != COLUMNS:
        raise MoodTagError(f"{source}: the first line must be the header {','.join(COLUMNS)}")
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for number, line in lines[1:]:
        tag, category, weight = _parse_row(next(csv.reader([line])), f"{source} line {number}")
        if category in table[tag]:
            raise MoodTagError(f"{source} line {number}: {tag!r} lists {category} twice")
        table[tag][category] = weight
    for tag, weights in table.items():
        total = sum(weights.values())
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            raise MoodTagError(f"{source}: the weights of {tag!r} sum to {total:g}, not 1")
    return dict(table)


def _is_data(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _parse_row(record: list[str], where: str) -> tuple[str, str, float]:
    if len(record) != len(COLUMNS):
        raise MoodTagError(f"{where}: expected {len(COLUMNS)} fields, found {len(record)}")
    tag, category, weight_text = (field.strip() for field in record)
    if not tag:
        raise MoodTagError(f"{where}: the tag is empty")
    if category not in INDEX:
        raise MoodTagError(f"{where}: unknown emotion category {category!r} for {tag!r}")
    try:
        weight = float(weight_text)
    except ValueError:
        raise MoodTagError(f"{where}: the weight {weight_text!r} is not a number") from None
    if not math.isfinite(weight) or not 0 < weight <= 1:
        raise MoodTagError(f"{where}: the weight of {tag!r} must be in (0, 1], got {weight_text}")
    return normalise_tag(tag), category, weight


@functools.cache
def tag_table() -> TagTable:
    """The bundled table, parsed once: tag -> {category: weight}."""
    text = resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")
    return parse_table(text)


def known_tags() -> frozenset[str]:
    """Every tag the vocabulary knows (normalised: trimmed, lower case)."""
    return frozenset(tag_table())


def tags_vector(tags: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Raw 21-dim scores of the known tags (contributions add) and the tags that matched.

    Unknown tags (genres, places, typos) are ignored; a tag repeated counts once. The
    scores are not normalised, so callers can tell one tag from five.
    """
    if isinstance(tags, str | bytes) or not isinstance(tags, Sequence):
        raise MoodTagError(f"tags must be a list of strings, not {type(tags).__name__}")
    table = tag_table()
    scores = np.zeros(DIM)
    matched: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise MoodTagError(f"each tag must be a string, not {type(tag).__name__}")
        name = normalise_tag(tag)
        if name in table and name not in matched:
            matched.append(name)
            for category, weight in table[name].items():
                scores[INDEX[category]] += weight
    return scores, matched


@functools.cache
def tag_names() -> Mapping[str, tuple[str, str]]:
    """The bundled names: tag -> (English name, Chinese name)."""
    text = resources.files(__package__).joinpath(NAMES_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if _is_data(line)]
    rows = list(csv.DictReader(lines))
    return {normalise_tag(row["tag"]): (row["en"].strip(), row["zh"].strip()) for row in rows}


def tag_name(tag: str, language: str = "en") -> str:
    """A tag as a reply in `language` shows it ('melancholy' -> '忧郁' in Chinese); a tag
    outside the vocabulary (a genre, a place) is shown as written."""
    names = tag_names().get(normalise_tag(tag))
    if names is None:
        return tag
    return names[1] if language.startswith("zh") else names[0]
