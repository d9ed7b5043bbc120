"""Parity with the published reference algorithm (needs the real DLUT file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from moodtune.config import Settings
from moodtune.emotion_engines.text import LexiconTextEngine, build_text_engine
from moodtune.emotion_engines.text.dlut import load_dlut
from moodtune.emotion_engines.text.reference import reference_scores

SENTENCE = "后悔也都没有用 还不如一切没有发生过 不过就是又少一个诗人 换一个人沉迷你的笑"
EXPECTED = {"PG": 0.2428551306, "NJ": 0.4126081997, "NH": 0.1752025717, "NE": 0.1693340980}
EXPECTED_RAW = {"PG": 2.53713, "NJ": 4.31055, "NH": 1.83036, "NE": 1.76905}


@pytest.fixture(scope="module")
def reference_engine(dlut_engine: LexiconTextEngine, dlut_path: Path) -> LexiconTextEngine:
    dlut_engine.warm_up()  # the default mode's extra jieba words exist before the reference runs
    return build_text_engine(Settings(dlut_path=dlut_path, dlut_reference_mode=True))


def test_published_figures_to_1e6(reference_engine: LexiconTextEngine) -> None:
    reading = reference_engine.analyze_sync(SENTENCE)
    shares = reading.vector.as_dict()
    for code, share in shares.items():
        assert share == pytest.approx(EXPECTED.get(code, 0.0), abs=1e-6), code
    assert reading.note == "DLUT reference algorithm"
    assert {item.label for item in reading.evidence} == {"沉迷", "后悔", "不如", "不过"}


def test_published_raw_scores(dlut_path: Path) -> None:
    from moodtune.emotion import INDEX

    scores = reference_scores(SENTENCE, load_dlut(dlut_path))
    for code, raw in EXPECTED_RAW.items():
        assert scores[INDEX[code]] == pytest.approx(raw, abs=1e-5)
    assert scores.sum() == pytest.approx(sum(EXPECTED_RAW.values()), abs=1e-4)


def test_reference_ignores_english_and_emoji(reference_engine: LexiconTextEngine) -> None:
    with_extras = reference_engine.analyze_sync(SENTENCE + " I am so happy 😂")
    plain = reference_engine.analyze_sync(SENTENCE)
    assert with_extras.vector.values == pytest.approx(plain.vector.values, abs=1e-12)


def test_reference_without_lexicon_words_is_empty(reference_engine: LexiconTextEngine) -> None:
    reading = reference_engine.analyze_sync("我们在三点开会")
    assert not reading.has_signal and reading.vector.is_zero


def test_default_mode_differs_where_the_reference_is_known_to_err(
    dlut_engine: LexiconTextEngine, reference_engine: LexiconTextEngine
) -> None:
    # The reference reads 不如 ("not as good as") as trust and 不过 ("but") as vexation.
    default = {item.label for item in dlut_engine.analyze_sync(SENTENCE).evidence}
    assert {"不如", "不过"}.isdisjoint(default)
    assert {"后悔", "沉迷"} <= default
