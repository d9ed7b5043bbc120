"""The annotator: popularity weights times confidence, tags, lyrics chunks, fallbacks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from moodtune.catalog import mood_tags
from moodtune.catalog.annotator import (
    TITLE_SHARE,
    Annotator,
    TrackTexts,
    _chunks,
    reference_weights,
)
from moodtune.catalog.schema import Comment, TrackRecord
from moodtune.config import Settings
from moodtune.emotion import GROUP_OF, INDEX, EmotionVector
from moodtune.emotion_engines.text import build_text_engine


def track(title: str = "Untitled", **fields) -> TrackRecord:
    return TrackRecord(title=title, artists=("Someone",), **fields)


def test_reference_weights() -> None:
    assert reference_weights(0, 0) == pytest.approx(
        (math.log10(1.01), math.log10(2.01), math.log10(2.01))
    )
    assert reference_weights(99, 1000) == pytest.approx(
        (2.0, math.log10(10_002.01), math.log10(20_002.01)), abs=1e-4
    )


def test_title_and_comments_weigh_by_popularity_and_confidence(keyword_engine) -> None:
    record = track("Joy", comments=(Comment("sad sad", 99), Comment("fear", 0)))
    annotation = Annotator(keyword_engine).annotate(record)
    likes = 99
    _, _, title_w = reference_weights(0, likes)
    expected = {
        "PA": TITLE_SHARE * title_w * 0.5,  # "Joy": one hit, confidence 0.5
        "NB": reference_weights(99, likes)[0] * 1.0,  # two hits, confidence 1
        "NC": reference_weights(0, likes)[0] * 0.5,
    }
    total = sum(expected.values())
    assert annotation.source == "text" and annotation.texts == 3
    for code, weight in expected.items():
        assert annotation.vector.values[INDEX[code]] == pytest.approx(weight / total)


def test_a_text_without_signal_does_not_dilute(keyword_engine) -> None:
    record = track("Track 7", comments=(Comment("first!", 5000), Comment("so sad", 1)))
    annotation = Annotator(keyword_engine).annotate(record)
    assert annotation.vector == EmotionVector.from_scores({"NB": 1})
    assert annotation.texts == 1


def test_only_the_most_liked_comments_are_read(keyword_engine) -> None:
    comments = tuple(Comment(f"love {i}", likes=i) for i in range(30))
    Annotator(keyword_engine, max_comments=20).annotate(track(comments=comments))
    read = [c for c in keyword_engine.calls if c.startswith("love")]
    assert sorted(read) == sorted(f"love {i}" for i in range(10, 30))


def test_mood_tags_count_twice_a_title(keyword_engine) -> None:
    tags = ("melancholy", "rock", "nostalgic")
    scores, matched = mood_tags.tags_vector(list(tags))
    assert matched  # the vocabulary knows some of these
    only_tags = Annotator(keyword_engine).annotate(track(tags=tags))
    np.testing.assert_allclose(only_tags.vector.values, scores / scores.sum())
    with_title = Annotator(keyword_engine).annotate(track("Happy happy", tags=tags))
    # The title (confidence 1) weighs TITLE_SHARE of the tags' weight.
    title_part = TITLE_SHARE / (1 + TITLE_SHARE)
    shares = with_title.vector.values
    assert shares[INDEX["PA"]] == pytest.approx(title_part, abs=1e-9)
    np.testing.assert_allclose(
        shares - title_part * EmotionVector.from_scores({"PA": 1}).values,
        only_tags.vector.values / (1 + TITLE_SHARE),
        atol=1e-12,
    )


def test_a_title_counts_only_when_it_carries_feeling() -> None:
    engine = build_text_engine(Settings())
    tags = ("calm",)
    plain = Annotator(engine).annotate(track(tags=tags))
    # One ordinary word ("black": NRC sadness) is a stray word, not the track's feel.
    assert engine.analyze_sync("Black Dog").has_signal
    stray = Annotator(engine).annotate(track("Black Dog", tags=tags))
    assert stray.vector == plain.vector
    # A title that says a feeling outright does count.
    felt = Annotator(engine).annotate(track("So Sad, So Lonely", tags=tags))
    assert felt.vector.values[INDEX["NB"]] > 0.1


def test_long_lyrics_are_read_in_chunks_weighed_by_length(make_keyword_engine) -> None:
    engine = make_keyword_engine(max_chars=100)
    joy, sorrow = "joy " * 12 + "x", "sorrow " * 7  # 49 characters each, 50 with "\n"
    lyrics = "\n".join([joy] * 2 + [sorrow] * 6)  # chunks: joy 100, sorrow 100, 100, 99
    annotation = Annotator(engine).annotate(track("", lyrics=lyrics))
    assert [len(call) for call in engine.calls] == [100, 100, 100, 99]
    assert annotation.vector.values[INDEX["PA"]] == pytest.approx(100 / 399)
    assert annotation.vector.values[INDEX["NB"]] == pytest.approx(299 / 399)


def test_chunks_cut_at_line_breaks_and_keep_every_character() -> None:
    text = "short line\n" * 30 + "x" * 250 + "\nend"
    pieces = list(_chunks(text, 64))
    assert "".join(pieces) == text
    assert all(len(p) <= 64 for p in pieces)
    assert pieces[0].endswith("\n")


def test_a_refused_text_is_skipped_not_fatal(make_keyword_engine) -> None:
    engine = make_keyword_engine(refuse="\x00")
    record = track("bad\x00title", comments=(Comment("happy", 3),))
    assert Annotator(engine).annotate(record).vector == EmotionVector.from_scores({"PA": 1})


@pytest.mark.parametrize(
    ("valence", "energy", "point"),
    [
        (1.0, 1.0, (1.0, 1.0)),
        (0.0, 0.25, (-1.0, -0.5)),
        (None, 0.9, (0.0, 0.8)),
        (0.2, None, (-0.6, 0.0)),
    ],
)
def test_valence_and_energy_when_no_text_speaks(keyword_engine, valence, energy, point) -> None:
    annotation = Annotator(keyword_engine).annotate(
        track("Instrumental 3", valence=valence, energy=energy)
    )
    assert annotation.source == "valence_energy"
    expected = EmotionVector.from_valence_arousal(*point).values
    np.testing.assert_allclose(annotation.vector.values, expected, atol=1e-12)


def test_valence_and_energy_outweigh_a_title(keyword_engine) -> None:
    annotation = Annotator(keyword_engine).annotate(track("Sad", valence=1.0, energy=1.0))
    assert annotation.source == "text"
    groups = annotation.vector.groups()
    assert max(groups, key=groups.get) == "happiness"
    assert 0 < annotation.vector.values[INDEX["NB"]] < 0.5


def test_an_imported_track_42_is_as_calm_and_bright_as_its_numbers() -> None:
    # The case: valence 0.8 / energy 0.15, titled "Track 42" (NRC: anticipation).
    engine = build_text_engine(Settings())
    annotation = Annotator(engine).annotate(track("Track 42", valence=0.8, energy=0.15))
    assert annotation.source == "valence_energy"
    assert annotation.vector.top(1)[0][0] == "PE"  # ease, not wishing
    assert annotation.vector.values[INDEX["PK"]] < 0.2


def test_valence_and_energy_count_beside_the_tags(keyword_engine) -> None:
    tags = ("sad",)
    alone = Annotator(keyword_engine).annotate(track(tags=tags))
    both = Annotator(keyword_engine).annotate(track(tags=tags, valence=0.9, energy=0.8))
    assert alone.vector == EmotionVector.from_scores({"NB": 1})
    assert both.vector.values[INDEX["NB"]] == pytest.approx(0.5)  # equal weights


def test_a_track_with_nothing_gets_the_zero_vector(keyword_engine) -> None:
    annotation = Annotator(keyword_engine).annotate(track("Opus 12", tags=("rock",)))
    assert (annotation.source, annotation.recommendable) == ("none", False)
    assert annotation.vector.is_zero


def test_with_the_real_lexicon_engine() -> None:
    engine = build_text_engine(Settings())
    record = track(
        "Lonely Tears",
        lyrics="I cry alone at night\nmy heart is broken",
        comments=(Comment("this song makes me so sad", 120), Comment("heartbroken", 15)),
    )
    annotation = Annotator(engine).annotate(record)
    groups = annotation.vector.groups()
    assert annotation.source == "text"
    assert max(groups, key=groups.get) == "sadness"
    assert GROUP_OF[annotation.vector.top(1)[0][0]] == "sadness"


def test_a_comment_longer_than_the_engine_reads_is_chunked_not_lost(make_keyword_engine) -> None:
    engine = make_keyword_engine(max_chars=50)
    record = track("", comments=(Comment("sad " * 30, 4),))  # 120 characters on one line
    annotation = Annotator(engine).annotate(record)
    assert [len(call) for call in engine.calls] == [50, 50, 20]
    assert annotation.vector == EmotionVector.from_scores({"NB": 1})


class ReadingsOnly:
    """The lexicon engine seen through analyze_sync alone (no bulk scores_sync)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.max_chars = engine.max_chars

    def analyze_sync(self, text: str):
        return self.engine.analyze_sync(text)


def test_bulk_scores_and_full_readings_annotate_alike() -> None:
    engine = build_text_engine(Settings())
    records = [
        track("Lonely Tears", lyrics="I cry alone\n我很难过\nbut tomorrow I'll smile 😊"),
        track("快乐的一天", tags=("happy", "rock"), comments=(Comment("太开心了", 3),)),
        track("Opus 1", comments=(Comment("first!", 10), Comment("so angry at this", 2))),
        track("x", lyrics="sad " * 1500),  # read in chunks
        track("Nothing here", valence=0.8, energy=0.2),
    ]
    fast, full = Annotator(engine), Annotator(ReadingsOnly(engine))
    for record in records:
        a, b = fast.annotate(record), full.annotate(record)
        assert (a.source, a.texts) == (b.source, b.texts)
        np.testing.assert_allclose(a.vector.values, b.vector.values, rtol=1e-12, atol=1e-15)


def test_vectors_of_a_batch_are_the_annotations_vectors(keyword_engine) -> None:
    tracks = [
        TrackTexts.of(track("Joy", comments=(Comment("sad sad", 99), Comment("fear", 0)))),
        TrackTexts.of(track("Instrumental", valence=0.9, energy=0.1)),
        TrackTexts.of(track("Opus 12", tags=("rock",))),  # nothing: a zero row
        TrackTexts.of(track("Blue", tags=("melancholy",), lyrics="love\nsorrow")),
    ]
    annotator = Annotator(keyword_engine)
    matrix = annotator.vectors(tracks)
    assert matrix.shape == (4, len(INDEX))
    for row, texts in zip(matrix, tracks, strict=True):
        np.testing.assert_allclose(row, annotator.annotate(texts).vector.values, atol=1e-15)
    assert not matrix[2].any()
    assert annotator.vectors([]).shape == (0, len(INDEX))
