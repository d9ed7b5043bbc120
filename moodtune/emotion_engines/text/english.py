"""Reading feelings in English: a small tokeniser, two word tables, modifiers.

Words come from moodtune's `data/en_words.csv` (everyday chat words, categories chosen
for this project, and NRC words that in chat are topics, not feelings, to ignore) and,
for everything else, the NRC Emotion Lexicon bundled with
`nrclex` (`nrclex/data/nrc_en.json`: word -> NRC labels; Mohammad & Turney 2013).
An NRC word's labels go through the `nrc10` label map, the eight emotions weighing 1
and the bare positive/negative sentiments `SENTIMENT_WEIGHT` (they say which side, not
which feeling); the mix is normalised and given `NRC_WEIGHT`, the weight of a typical
DLUT word (intensity 5), since NRC has no intensities.

Tokens are lowercase words; "n't" is split off ("don't" -> "do", "n't") so it can act
as a negator; runs of punctuation and non-Latin characters are breaks that end a
negation window. A word not found is looked up again under simple lemmas (crying, cried -> cry;
tears -> tear; happier -> happy; loved -> love; stopped -> stop) and with letter
elongations squeezed (sooo haaappy -> soo happy; "soo" is an intensifier).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Final

from moodtune.emotion import CATEGORIES
from moodtune.emotion_engines.label_maps import load as load_label_map
from moodtune.emotion_engines.label_maps import normalise_label
from moodtune.emotion_engines.text import data, modifiers
from moodtune.emotion_engines.text.chinese_lexicon import LexiconError
from moodtune.emotion_engines.text.hits import Hit
from moodtune.emotion_engines.text.negation import Profile

NRC_WEIGHT: Final = 5 / 9
SENTIMENT_WEIGHT: Final = 0.3
SENTIMENTS: Final = frozenset({"positive", "negative"})

TOKEN = re.compile(r"[a-z]+(?=n't)|n't|[a-z0-9]+|[^\sa-z0-9']+")
TOKEN_WITHOUT_NT = re.compile(r"[a-z0-9]+|[^\sa-z0-9']+")  # TOKEN where no "n't" occurs
LATIN_LETTER = re.compile(r"[A-Za-z]")
ELONGATION = re.compile(r"([a-z])\1{2,}")
ELONGATED = re.compile(r"([a-z])\1\1")  # the same test, 40% faster to search for
DOUBLED = re.compile(r"([a-z])\1")
# (suffix, replacements): tried in order, on words of at least MIN_STEM + len(suffix).
SUFFIXES: Final = (
    ("iest", ("y",)), ("ier", ("y",)), ("ily", ("y",)), ("ies", ("y",)), ("ied", ("y",)),
    ("ness", ("",)), ("ing", ("", "e")), ("ed", ("", "e")), ("est", ("", "e")),
    ("er", ("", "e")), ("ly", ("",)), ("es", ("",)), ("s", ("",)),
)  # fmt: skip
MIN_STEM = 2
MAX_DOUBLED_RUNS = 4
VOWELS = frozenset("aeiou")

Entry = tuple[Profile, str]  # (weights, source)


@functools.cache
def _nrc() -> dict[str, Profile]:
    try:
        path = resources.files("nrclex").joinpath("data/nrc_en.json")
        table = json.loads(path.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, OSError, ValueError) as error:
        raise LexiconError(f"The NRC lexicon of nrclex cannot be read ({error}).") from None
    label_map = load_label_map("nrc10")
    entries: dict[str, Profile] = {}
    for word, labels in table.items():
        weights: dict[str, float] = {}
        for label in labels:
            share = SENTIMENT_WEIGHT if label in SENTIMENTS else 1.0
            for index, weight in label_map.rows.get(normalise_label(label), ()):
                code = CATEGORIES[index]
                weights[code] = weights.get(code, 0.0) + share * weight
        total = sum(weights.values())
        if total > 0:
            entries[word] = tuple((code, w * NRC_WEIGHT / total) for code, w in weights.items())
    return entries


@functools.cache
def _chat_words() -> dict[str, Profile]:
    """Our words; an ignored word (empty category) maps to no weights at all."""
    words: dict[str, list[tuple[str, float]]] = {}
    for row in data.rows("en_words.csv"):
        pairs = words.setdefault(row["word"], [])
        if row["category"]:
            pairs.append((row["category"], float(row["weight"])))
    return {word: tuple(pairs) for word, pairs in words.items()}


def lemmas(word: str) -> Iterator[str]:
    """The word, then guesses at its dictionary form, most likely first."""
    yield word
    yield from _undoubled(word)
    for suffix, replacements in SUFFIXES:
        if len(word) >= MIN_STEM + len(suffix) and word.endswith(suffix):
            stem = word[: -len(suffix)]
            for replacement in replacements:
                yield stem + replacement
            if len(stem) > MIN_STEM and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
                yield stem[:-1]  # stopped -> stop, saddest -> sad
            break


def _undoubled(word: str) -> Iterator[str]:
    """haappy -> happy: each mix of doubled letters made single (elongations are cut to two)."""
    runs = [match.start() for match in DOUBLED.finditer(word)][:MAX_DOUBLED_RUNS]
    for drops in itertools.product((False, True), repeat=len(runs)):
        if any(drops):
            skip = {start for start, drop in zip(runs, drops, strict=True) if drop}
            yield "".join(char for i, char in enumerate(word) if i not in skip)


@functools.lru_cache(maxsize=65536)
def lookup(token: str) -> Entry | None:
    """A token's weights, from our table first, then NRC, trying its lemmas."""
    if token in modifiers.load("en"):
        return None
    chat_words, nrc = _chat_words(), _nrc()
    for lemma in lemmas(token):
        if lemma in chat_words:
            profile = chat_words[lemma]
            return (profile, "moodtune") if profile else None  # an ignored topic word
        if lemma in nrc:
            return nrc[lemma], "NRC"
    return None


def tokens(text: str) -> list[str]:
    """Lowercase words, "n't", and breaks (runs of other characters); elongations cut."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    if ELONGATED.search(text):  # rare: a search is cheaper than a sub that changes nothing
        text = ELONGATION.sub(r"\1\1", text)
    # The lookahead for "n't" makes every word backtrack; most texts have no "n't" at all.
    return (TOKEN if "n't" in text else TOKEN_WITHOUT_NT).findall(text)


def _is_break(token: str) -> bool:
    return not token[0].isalnum() and token != "n't"


def read_english(text: str) -> list[Hit]:
    """The feeling words in the English parts of a message."""
    if not LATIN_LETTER.search(text):
        return []
    found = tokens(text)
    rules = modifiers.load("en")
    hits: list[Hit] = []
    # Most tokens are no feeling word: the cached lookups and the skipping run in C, and
    # only the positions of known words come back here.
    for position in itertools.compress(itertools.count(), map(lookup, found)):
        token = found[position]
        if not _is_break(token):
            profile, source = lookup(token)  # type: ignore[misc]  # known: found above
            change = rules.before(found, position, _is_break)
            hits.append(Hit(token, "en", change.apply(profile), change, source))
    return hits
