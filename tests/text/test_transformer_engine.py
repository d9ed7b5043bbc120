"""The transformer engine on tiny models built here, and its fall back to the lexicon."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from moodtune.emotion import CATEGORIES
from moodtune.emotion_engines.text import (
    LexiconTextEngine,
    TextInputError,
    TransformerTextEngine,
)

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

EKMAN = ["anger", "disgust", "fear", "happy", "neutral", "sad", "surprise"]
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "i", "am", "so", "happy", "sad", "not"]


def save_tiny_model(
    directory: Path,
    labels: list[str],
    favourite: str | None = None,
    problem_type: str | None = None,
) -> Path:
    """A 2-layer, 32-wide BERT classifier with random weights; `favourite` gets a big bias."""
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
        problem_type=problem_type,
    )
    model = transformers.BertForSequenceClassification(config)
    if favourite is not None:
        with torch.no_grad():
            model.classifier.bias.zero_()
            model.classifier.bias[labels.index(favourite)] = 8.0
    tokenizer = transformers.BertTokenizer(vocab={word: i for i, word in enumerate(VOCAB)})
    tokenizer.model_max_length = 64
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def sad_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_model(tmp_path_factory.mktemp("ekman-sad"), EKMAN, favourite="sad")


@pytest.fixture
def lexicon() -> LexiconTextEngine:
    return LexiconTextEngine()


def test_labels_map_into_the_21(sad_model: Path, lexicon: LexiconTextEngine) -> None:
    engine = TransformerTextEngine(str(sad_model), lexicon)
    reading = engine.analyze_sync("I am so happy")  # the tiny model only ever says "sad"
    assert reading.engine == "transformer"
    assert reading.vector.top(1)[0][0] == "NB"
    assert reading.vector.values.sum() == pytest.approx(1.0)
    assert 0.5 < reading.confidence <= 0.9
    assert reading.evidence[0].label == "sad"
    assert reading.evidence[0].categories == ("NB",)
    assert reading.note == "ekman7 labels"


def test_random_model_is_unsure_not_uniform(tmp_path: Path, lexicon: LexiconTextEngine) -> None:
    engine = TransformerTextEngine(str(save_tiny_model(tmp_path, EKMAN)), lexicon)
    reading = engine.analyze_sync("i am sad")
    assert reading.engine == "transformer"
    assert reading.confidence < 0.1
    if reading.confidence == 0:
        assert reading.vector.is_zero


def test_neutral_mass_lowers_confidence(tmp_path: Path, lexicon: LexiconTextEngine) -> None:
    neutral = save_tiny_model(tmp_path, EKMAN, favourite="neutral")
    reading = TransformerTextEngine(str(neutral), lexicon).analyze_sync("i am")
    assert reading.confidence < 0.05
    assert reading.evidence[0].detail["neutral"] is True


def test_multi_label_model_with_an_unknown_label(
    tmp_path: Path, lexicon: LexiconTextEngine
) -> None:
    labels = ["joy", "sadness", "anger", "optimism", "gratitude", "mystery_label"]
    model = save_tiny_model(tmp_path, labels, "joy", "multi_label_classification")
    reading = TransformerTextEngine(str(model), lexicon).analyze_sync("so happy")
    assert reading.note == "goemotions28 labels"
    assert reading.vector.top(1)[0][0] == "PA"
    unmapped = [item for item in reading.evidence if item.detail["unmapped"]]
    assert [item.label for item in unmapped] == ["mystery_label"]
    assert set(reading.vector.as_dict()) == set(CATEGORIES)


def test_nonexistent_model_falls_back_with_one_warning(
    tmp_path: Path, lexicon: LexiconTextEngine, caplog: pytest.LogCaptureFixture
) -> None:
    engine = TransformerTextEngine(str(tmp_path / "no-such-model"), lexicon)
    with caplog.at_level(logging.WARNING):
        first = engine.analyze_sync("I am so happy")
        second = engine.analyze_sync("我好难过")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "no-such-model" in warnings[0].getMessage()
    assert (first.engine, first.vector.top(1)[0][0]) == ("lexicon", "PA")
    assert (second.engine, second.vector.top(1)[0][0]) == ("lexicon", "NB")
    assert not engine.usable


def test_broken_model_directory_falls_back(tmp_path: Path, lexicon: LexiconTextEngine) -> None:
    (tmp_path / "config.json").write_text("{ this is not json", encoding="utf-8")
    (tmp_path / "model.safetensors").write_bytes(b"\x00" * 64)
    engine = TransformerTextEngine(str(tmp_path), lexicon)
    assert engine.analyze_sync("I am furious").engine == "lexicon"


def test_model_whose_labels_no_table_knows_falls_back(
    tmp_path: Path, lexicon: LexiconTextEngine, caplog: pytest.LogCaptureFixture
) -> None:
    model = save_tiny_model(tmp_path, ["LABEL_0", "LABEL_1"], favourite="LABEL_1")
    engine = TransformerTextEngine(str(model), lexicon)
    with caplog.at_level(logging.WARNING):
        assert engine.analyze_sync("I am furious").engine == "lexicon"
    assert "maps to a feeling" in caplog.text


def test_offline_hub_id_falls_back_without_network(
    monkeypatch: pytest.MonkeyPatch, lexicon: LexiconTextEngine
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    engine = TransformerTextEngine("moodtune-tests/no-such-model", lexicon)
    assert engine.analyze_sync("I am furious").engine == "lexicon"


def test_bad_input_is_refused_before_the_model(sad_model: Path) -> None:
    engine = TransformerTextEngine(str(sad_model))
    with pytest.raises(TextInputError):
        engine.analyze_sync("\x00" * 50)


def test_long_input_is_truncated_to_the_model(sad_model: Path) -> None:
    reading = TransformerTextEngine(str(sad_model)).analyze_sync("i am so sad " * 300)
    assert reading.engine == "transformer" and reading.has_signal


async def test_analyze_is_async(sad_model: Path) -> None:
    reading = await TransformerTextEngine(str(sad_model)).analyze("i am sad")
    assert reading.vector.top(1)[0][0] == "NB"
