"""Parity with the published reference algorithm (needs the real DLUT file)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
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


def _published_tables(path: Path) -> dict[str, list[tuple[str, str, int]]]:
    """The published code's word lists, built the way it builds them, independently of
    moodtune's loader: per category, in file order, (word, emotion, intensity) entries; a
    row's auxiliary entry goes into its PRIMARY category's list, after the primary one."""
    import csv

    from moodtune.emotion import CATEGORIES

    def clamp(cell: str) -> int:
        return min(max(int(cell or 1), 1), 9)

    lists: dict[str, list[tuple[str, str, int]]] = {code: [] for code in CATEGORIES}
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        next(reader)
        for row in reader:
            word, _, _, _, emotion, intensity, _, emotion2, intensity2, _ = (
                cell.strip() for cell in row
            )
            if emotion in lists:
                lists[emotion].append((word, emotion, clamp(intensity)))
            if emotion2 and emotion2 in lists:
                lists[emotion].append((word, emotion2, clamp(intensity2)))
    return lists


def _published_scores(text: str, lists: dict[str, list[tuple[str, str, int]]]) -> np.ndarray:
    """emotion_count: for each keyword, for each category, the first entry spelling it."""
    import jieba.analyse

    from moodtune.emotion import INDEX

    scores = np.zeros(len(INDEX))
    for keyword, weight in jieba.analyse.extract_tags(text, withWeight=True):
        for entries in lists.values():
            spelled = [entry[0] for entry in entries]
            if keyword in spelled:
                _, emotion, intensity = entries[spelled.index(keyword)]
                scores[INDEX[emotion]] += intensity * weight
    return scores


# Words whose senses have different primary categories (开心 joy / criticism, 光棍,
# 疏忽, 荒漠, 心虚, 仰望, 融融), one whose rows disagree in intensity only (堂堂), and
# auxiliaries (舍不得, 寂寞) that the published code never reaches.
PARITY_SENTENCES = (
    "考试通过了，太开心了",
    "他一直是个光棍，做事又疏忽，心里发虚",
    "一片荒漠，我心虚地仰望星空",
    "一家人其乐融融，堂堂正正",
    "舍不得你走，一个人好寂寞",
    SENTENCE,
)


@pytest.mark.parametrize("text", PARITY_SENTENCES)
def test_reference_mode_is_the_published_algorithm(
    reference_engine: LexiconTextEngine, dlut_path: Path, text: str
) -> None:
    expected = _published_scores(text, _published_lists(dlut_path))
    assert reference_scores(text, load_dlut(dlut_path)) == pytest.approx(expected, abs=1e-12)
    shares = reference_engine.analyze_sync(text).vector.values
    assert shares == pytest.approx(expected / expected.sum(), abs=1e-12)


def test_a_word_with_senses_in_two_categories_adds_both(dlut_path: Path) -> None:
    from moodtune.emotion import INDEX

    scores = reference_scores("太开心了", load_dlut(dlut_path))
    assert scores[INDEX["PA"]] / scores[INDEX["NN"]] == pytest.approx(5 / 3)


_LISTS: dict[Path, dict[str, list[tuple[str, str, int]]]] = {}


def _published_lists(path: Path) -> dict[str, list[tuple[str, str, int]]]:
    if path not in _LISTS:
        _LISTS[path] = _published_tables(path)
    return _LISTS[path]
