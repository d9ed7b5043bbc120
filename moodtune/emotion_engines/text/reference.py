"""The published reference algorithm for the DLUT lexicon, reproduced exactly (parity mode).

As first used with this lexicon (see the DLUT README): keywords from
`jieba.analyse.extract_tags(text, topK=20, withWeight=True)` (TF-IDF over jieba's default
dictionary and IDF table); for each keyword spelled exactly like a (stripped) lexicon
word, ``score[category] += intensity * weight`` for every category the word is listed
under as a primary category, with the intensity of the first row listing it there; the
scores are then divided by their sum. So 开心 (row 1: joy 5; row 2: criticism 3) adds
joy 5 and criticism 3, and a word whose senses share one category adds that category
once, with its first row's intensity.

That is what the published code (emotext's `Emotions.emotion_count`) does, bugs
included: it files each row under its primary category, and also files the row's
auxiliary category in the primary category's list, after the primary entry of the same
row; for each category it then takes the FIRST entry spelling the keyword. That entry
is always a primary one, so auxiliary categories never count. It strips every field and
reads an intensity as `int(cell or 1)` held within 1..9.

The whole message goes in, as in the original; English words and emoji are not in the
lexicon, so they add no score (they only dilute term frequencies, which the final
division cancels, unless they push a feeling word out of the top 20).

The original scans the lexicon linearly for every keyword (~20 ms a sentence); here the
rows it would find are a dict (`ChineseLexicon.reference_rows`), which gives the same
numbers. Segmentation runs on a private, unmodified jieba tokenizer and TF-IDF
extractor, so neither the global jieba state nor the default mode's extra dictionary
words can move these figures.
"""

from __future__ import annotations

import threading

import jieba.analyse
import numpy as np

from moodtune.emotion import DIM, INDEX
from moodtune.emotion_engines.text.chinese_lexicon import ChineseLexicon
from moodtune.emotion_engines.text.segmenter import fresh_tokenizer

TOP_K = 20

_lock = threading.Lock()
_extractor: jieba.analyse.TFIDF | None = None


def _tfidf() -> jieba.analyse.TFIDF:
    global _extractor
    with _lock:
        if _extractor is None:
            extractor = jieba.analyse.TFIDF()
            extractor.tokenizer = fresh_tokenizer()  # (no allowPOS: the POS tokenizer is unused)
            _extractor = extractor
        return _extractor


Keyword = tuple[str, str, int, float]  # (keyword, category, intensity, TF-IDF weight)


def reference_keywords(text: str, lexicon: ChineseLexicon) -> list[Keyword]:
    """Each of the top-20 TF-IDF keywords that the lexicon lists, once per category it is
    listed under (with the first such row's intensity), in keyword order."""
    found = []
    for keyword, weight in _tfidf().extract_tags(text, topK=TOP_K, withWeight=True):
        for category, intensity in lexicon.reference_rows.get(keyword, ()):
            found.append((keyword, category, intensity, weight))
    return found


def scores_of(keywords: list[Keyword]) -> np.ndarray:
    """The reference's 21 raw scores (not yet divided by their sum)."""
    scores = np.zeros(DIM)
    for _, category, intensity, weight in keywords:
        scores[INDEX[category]] += intensity * weight
    return scores


def reference_scores(text: str, lexicon: ChineseLexicon) -> np.ndarray:
    return scores_of(reference_keywords(text, lexicon))
