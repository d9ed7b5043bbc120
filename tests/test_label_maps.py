import pytest

from moodtune.emotion import CATEGORIES, INDEX
from moodtune.emotion_engines import label_maps

EXPECTED_LABELS = {
    "emotic26": 26,
    "ekman7": 7,
    "ravdess8": 8,
    "goemotions28": 28,
    "nrc10": 10,
    "iemocap4": 4,
}
CANONICAL = {
    "emotic26": ["peace", "affection", "esteem", "anticipation", "engagement", "confidence",
                 "happiness", "pleasure", "excitement", "surprise", "sympathy",
                 "doubt/confusion", "disconnection", "fatigue", "embarrassment", "yearning",
                 "disapproval", "aversion", "annoyance", "anger", "sensitivity", "sadness",
                 "disquietment", "fear", "pain", "suffering"],
    "ekman7": ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
    "ravdess8": ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"],
    "goemotions28": ["admiration", "amusement", "anger", "annoyance", "approval", "caring",
                     "confusion", "curiosity", "desire", "disappointment", "disapproval",
                     "disgust", "embarrassment", "excitement", "fear", "gratitude", "grief",
                     "joy", "love", "nervousness", "optimism", "pride", "realization",
                     "relief", "remorse", "sadness", "surprise", "neutral"],
    "nrc10": ["anger", "anticipation", "disgust", "fear", "joy", "sadness", "surprise",
              "trust", "positive", "negative"],
    "iemocap4": ["neu", "hap", "ang", "sad"],
}  # fmt: skip


@pytest.mark.parametrize("name", label_maps.TABLES)
def test_every_canonical_label_is_mapped(name: str) -> None:
    table = label_maps.load(name)
    labels = CANONICAL[name]
    assert len(labels) == EXPECTED_LABELS[name]
    assert table.coverage(labels) == 1.0
    for label in labels:
        pairs = table.rows[label_maps.normalise_label(label)]
        if label.startswith("neu"):
            assert pairs == ()
        else:
            assert pairs and all(w > 0 for _, w in pairs)
            assert sum(w for _, w in pairs) == pytest.approx(1.0)


def test_contributions_add_never_overwrite() -> None:
    table = label_maps.load("goemotions28")
    mapped = table.map({"joy": 0.3, "amusement": 0.2, "excitement": 0.5})
    assert mapped.scores[INDEX["PA"]] == pytest.approx(0.3 + 0.2 + 0.5 * 0.6)
    assert mapped.scores[INDEX["PC"]] == pytest.approx(0.5 * 0.4)


def test_neutral_and_unknown_labels_are_reported_not_mapped() -> None:
    mapped = label_maps.load("ekman7").map({"Neutral": 0.6, "HAPPY": 0.3, "LABEL_9": 0.1})
    assert mapped.neutral == pytest.approx(0.6)
    assert mapped.unknown == ("LABEL_9",)
    assert mapped.scores.sum() == pytest.approx(0.3)
    assert len(mapped.scores) == len(CATEGORIES)


def test_best_table_is_chosen_by_coverage() -> None:
    assert label_maps.best_for(["neu", "hap", "ang", "sad"]).name == "iemocap4"
    assert label_maps.best_for(["calm", "fearful", "surprised"]).name == "ravdess8"
    with pytest.raises(KeyError):
        label_maps.load("nope")
