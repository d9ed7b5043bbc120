"""The mood-tag vocabulary: a valid table, and tags turned into category scores."""

from __future__ import annotations

import csv
from collections import defaultdict
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from moodtune.catalog import mood_tags
from moodtune.catalog.mood_tags import MoodTagError, known_tags, parse_table, tags_vector
from moodtune.emotion import CATEGORIES, GROUPS, INDEX, EmotionVector


def raw_rows() -> list[dict[str, str]]:
    """The bundled CSV read plainly, without the module's parser, to check it independently."""
    text = resources.files("moodtune.catalog").joinpath("mood_tags.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def expected_scores(*tags: str) -> np.ndarray:
    scores = np.zeros(len(CATEGORIES))
    for row in raw_rows():
        if row["tag"] in tags:
            scores[INDEX[row["category"]]] += float(row["weight"])
    return scores


def test_every_row_names_a_known_category() -> None:
    rows = raw_rows()
    assert rows
    for row in rows:
        assert row["category"] in CATEGORIES, row


def test_each_tags_weights_are_positive_and_sum_to_one() -> None:
    totals: dict[str, float] = defaultdict(float)
    for row in raw_rows():
        weight = float(row["weight"])
        assert 0 < weight <= 1, row
        totals[row["tag"]] += weight
    for tag, total in totals.items():
        assert total == pytest.approx(1.0), tag


def test_vocabulary_size_and_coverage_of_every_group() -> None:
    tags = known_tags()
    english = {tag for tag in tags if tag.isascii()}
    assert len(english) >= 60
    assert {"happy", "nostalgic", "angry", "eerie", "jealous", "quirky"} <= tags
    assert {"开心", "伤感", "思念", "治愈", "热血"} <= tags
    top_groups = set()
    for tag in tags:
        groups = EmotionVector.from_array(tags_vector([tag])[0]).groups()
        top_groups.add(max(groups, key=groups.__getitem__))
    assert top_groups == set(GROUPS)


def test_one_tag_gives_its_row_weights() -> None:
    scores, matched = tags_vector(["bittersweet"])
    assert matched == ["bittersweet"]
    assert scores[INDEX["NB"]] == pytest.approx(0.4)
    assert scores[INDEX["PF"]] == pytest.approx(0.4)
    assert scores[INDEX["PA"]] == pytest.approx(0.2)
    assert scores.sum() == pytest.approx(1.0)


def test_contributions_of_several_tags_add_up() -> None:
    scores, matched = tags_vector(["sad", "melancholy", "nostalgic"])
    assert matched == ["sad", "melancholy", "nostalgic"]
    np.testing.assert_allclose(scores, expected_scores("sad", "melancholy", "nostalgic"))
    assert scores[INDEX["NB"]] == pytest.approx(1.0 + 0.8 + 0.2)
    assert scores.sum() == pytest.approx(3.0)


def test_unknown_tags_are_ignored() -> None:
    scores, matched = tags_vector(["rock", "sad", "1990s", ""])
    assert matched == ["sad"]
    np.testing.assert_allclose(scores, expected_scores("sad"))
    none_known, nothing = tags_vector(["Mandopop", "live"])
    assert nothing == [] and not none_known.any()


def test_matching_ignores_case_and_surrounding_space_and_counts_a_tag_once() -> None:
    loose, matched = tags_vector(["  SAD ", "Nostalgic", "sad", "伤感 "])
    exact, _ = tags_vector(["sad", "nostalgic", "伤感"])
    assert matched == ["sad", "nostalgic", "伤感"]
    np.testing.assert_allclose(loose, exact)


def test_empty_input_gives_zero_scores() -> None:
    scores, matched = tags_vector([])
    assert matched == [] and scores.shape == (len(CATEGORIES),) and not scores.any()


@pytest.mark.parametrize("bad", ["sad|happy", b"sad", None, 3, {"sad": 1}])
def test_tags_that_are_not_a_list_of_strings_are_refused(bad: object) -> None:
    with pytest.raises(MoodTagError, match="list of strings"):
        tags_vector(bad)  # type: ignore[arg-type]


def test_a_non_string_tag_is_refused() -> None:
    with pytest.raises(MoodTagError, match="must be a string"):
        tags_vector(["sad", 7])  # type: ignore[list-item]


GOOD = "tag,category,weight\nsad,NB,1\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tag,category,weight\nsad,XX,1\n", r"line 2: unknown emotion category 'XX'"),
        ("tag,category,weight\nsad,NB,0.5\nsad,PF,0.4\n", r"'sad' sum to 0.9, not 1"),
        ("tag,category,weight\nsad,NB,lots\n", r"line 2: the weight 'lots' is not a number"),
        ("tag,category,weight\nsad,NB,-1\n", r"must be in \(0, 1\]"),
        ("tag,category,weight\nsad,NB,nan\n", r"must be in \(0, 1\]"),
        ("tag,category,weight\nsad,NB\n", r"line 2: expected 3 fields, found 2"),
        ("tag,category,weight\n,NB,1\n", r"line 2: the tag is empty"),
        ("tag,category,weight\nsad,NB,0.5\nSad,NB,0.5\n", r"line 3: 'sad' lists NB twice"),
        ("name,code,share\nsad,NB,1\n", r"first line must be the header"),
        ("", r"first line must be the header"),
        ('tag,category,weight\n"sad,NB,1\n', r"line 2: expected 3 fields"),
    ],
)
def test_a_bad_table_fails_with_a_clear_message(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "tags.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MoodTagError, match=message):
        parse_table(path.read_text(encoding="utf-8"), source=path.name)


def test_a_good_table_with_comments_and_a_byte_order_mark_parses(tmp_path: Path) -> None:
    path = tmp_path / "tags.csv"
    path.write_text("\ufeff# a comment\n" + GOOD + "\nwistful,PF,0.6\nwistful,NB,0.4\n", "utf-8")
    table = parse_table(path.read_text(encoding="utf-8"))
    assert table == {"sad": {"NB": 1.0}, "wistful": {"PF": 0.6, "NB": 0.4}}


def test_the_bundled_table_is_parsed_once() -> None:
    assert mood_tags.tag_table() is mood_tags.tag_table()


def test_every_tag_has_an_english_and_a_chinese_name() -> None:
    names = mood_tags.tag_names()
    assert set(names) == set(known_tags())
    for tag, (english, chinese) in names.items():
        assert english.isascii() and english, tag
        assert not chinese.isascii() and chinese, tag


@pytest.mark.parametrize(
    ("tag", "language", "shown"),
    [
        ("melancholy", "zh", "忧郁"),
        ("Melancholy ", "en", "melancholy"),
        ("伤感", "en", "sentimental"),
        ("伤感", "zh-hans", "伤感"),
        ("Cantopop", "zh", "Cantopop"),  # not a mood tag: shown as written
    ],
)
def test_a_tag_is_shown_in_the_reply_language(tag: str, language: str, shown: str) -> None:
    assert mood_tags.tag_name(tag, language) == shown


@pytest.mark.parametrize(
    ("tags", "group"),
    [
        (["romantic", "tender"], "goodness"),  # love songs reach love
        (["bored"], "dislike"),  # boredom is vexation (烦闷), as the DLUT files 无聊
        (["anxious", "nervous", "tense"], "fear"),
        (["eerie", "ominous"], "fear"),
        (["gloomy"], "sadness"),
    ],
)
def test_tags_reach_their_group(tags: list[str], group: str) -> None:
    groups = EmotionVector.from_array(tags_vector(tags)[0]).groups()
    assert max(groups, key=groups.__getitem__) == group


def test_love_and_boredom_reach_their_category() -> None:
    assert EmotionVector.from_array(tags_vector(["loving"])[0]).top(1)[0][0] == "PB"
    assert EmotionVector.from_array(tags_vector(["bored"])[0]).top(1)[0][0] == "NE"
    intense = EmotionVector.from_array(tags_vector(["intense"])[0])
    assert intense.top(1)[0][0] == "PC"  # high arousal, not anger above all
