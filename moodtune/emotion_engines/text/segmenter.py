"""Private jieba tokenizers: quiet, the default dictionary loaded once, never the global one.

jieba's module-level tokenizer is shared by every library in the process; adding the
lexicon's words to it would silently change other code's segmentation (and the
reference algorithm's). So each user gets its own `jieba.Tokenizer`, copied from one
private base that loads jieba's default dictionary once (~1 s, logged at debug level
only after `jieba.setLogLevel`).
"""

from __future__ import annotations

import logging
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


def add_words(tokenizer: jieba.Tokenizer, words: Iterable[str]) -> None:
    """Make each word one segment, with jieba's own rule (frequency just above its best split).

    Words jieba already knows keep their frequency, so ordinary text segments as before.
    """
    for word in words:
        if not tokenizer.FREQ.get(word):
            tokenizer.suggest_freq(word, tune=True)
