"""Private jieba tokenizers, and jieba's segmentation in one fast pass.

jieba's module-level tokenizer is shared by every library in the process; adding the
lexicon's words to it would silently change other code's segmentation (and the
reference algorithm's). So each user gets its own `jieba.Tokenizer`, copied from one
private base that loads jieba's default dictionary once (~1 s, logged at debug level
only after `jieba.setLogLevel`).

`Segmenter` is the hot loop of the Chinese reader: jieba's own no-HMM segmentation (the
most probable route through the prefix dictionary, ``tokenizer.lcut(run, HMM=False)``
on a run of Han characters), with the DAG and the route computed in one right-to-left
pass instead of two over precomputed log-probabilities (same output, tested; ~3x
faster).
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable

import jieba

_lock = threading.Lock()
_base: jieba.Tokenizer | None = None


def _base_tokenizer() -> jieba.Tokenizer:
    global _base
    with _lock:
        if _base is None:
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _base = tokenizer
        return _base


def fresh_tokenizer() -> jieba.Tokenizer:
    """A private tokenizer with jieba's default dictionary (a copy: cheap after the first)."""
    base = _base_tokenizer()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(base.FREQ)
    tokenizer.total = base.total
    tokenizer.initialized = True
    return tokenizer


def add_words(tokenizer: jieba.Tokenizer, words: Iterable[str], whole: bool = False) -> None:
    """Make each word one segment, with jieba's own rule (frequency just above its best split).

    Words jieba already knows keep their frequency, so ordinary text segments as before;
    with `whole`, a known word whose split would win gets just enough to come out whole
    (jieba's suggest_freq only ever raises a frequency).
    """
    for word in words:
        if whole or not tokenizer.FREQ.get(word):
            tokenizer.suggest_freq(word, tune=True)


class Segmenter:
    """`tokenizer.lcut(run, HMM=False)` for runs of Han characters, faster.

    Every word's log-probability is computed once, here, exactly as jieba computes it
    (``log(count) - log(total)``), so the hot loop does one dict lookup per candidate
    word and no arithmetic beyond an addition. Build it after the last word is added to
    the tokenizer: it does not see later changes.
    """

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        log_total = math.log(tokenizer.total)
        # jieba's FREQ also lists every prefix of a word, with count 0; those map to 0.0
        # here, which no word can have (a word's count is below the total).
        self._log_p = {
            word: math.log(count) - log_total if count else 0.0
            for word, count in tokenizer.FREQ.items()
        }
        self._unknown = -log_total  # a character no word starts with counts once, as in jieba

    def __call__(self, run: str) -> list[str]:
        length = len(run)
        if length == 1:
            return [run]
        log_p, unknown = self._log_p.get, self._unknown
        score = [0.0] * (length + 1)  # best log-probability of run[i:]
        end = [0] * length  # where the first word of that best route ends
        for start in range(length - 1, -1, -1):
            best, best_end = -math.inf, 0
            stop = start + 1
            word_p = log_p(run[start])
            while word_p is not None:  # every dictionary word (or prefix) starting here
                if word_p:
                    candidate = word_p + score[stop]
                    if candidate >= best:  # ties go to the longer word, as in jieba
                        best, best_end = candidate, stop
                if stop == length:
                    break
                stop += 1
                word_p = log_p(run[start:stop])
            if best_end:
                score[start], end[start] = best, best_end
            else:  # no word starts here: the character alone
                score[start], end[start] = unknown + score[start + 1], start + 1
        words, start = [], 0
        while start < length:
            words.append(run[start : end[start]])
            start = end[start]
        return words
