"""Facial expression from a Hugging Face image-classification model over face crops.

Any model with FER-style labels (angry, disgust, fear, happy, neutral, sad, surprise, in
any spelling the Ekman table knows) works, by hub id or local directory. The model loads
lazily, once, on the first face; if it cannot load (no weights offline, a broken
directory, labels that are not expressions) that is logged once and the fallback reader
(the smile cue) answers instead. The bot never crashes over a model.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from moodtune.emotion import CATEGORIES, EmotionVector
from moodtune.emotion_engines import label_maps
from moodtune.emotion_engines.label_maps import LabelMap, normalise_label
from moodtune.emotion_engines.photo.expression import ExpressionReader
from moodtune.emotion_engines.photo.once import warn_once
from moodtune.emotion_engines.reading import Evidence, Reading

log = logging.getLogger(__name__)

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

    def read(self, faces: Sequence[np.ndarray]) -> list[Reading]:
        import torch

        inputs = self.processor(images=list(faces), return_tensors="pt")
        with torch.inference_mode():
            logits = self.model(**inputs).logits.float()
        probabilities = logits.sigmoid() if self.multi_label else logits.softmax(dim=-1)
        return [self._reading(row) for row in probabilities.numpy().astype(np.float64)]

    def _reading(self, probabilities: np.ndarray) -> Reading:
        engine = "face:model"
        total = float(probabilities.sum())
        if not math.isfinite(total) or total <= 0:
            return Reading.empty("photo", engine, "the model gave no usable scores")
        shares = probabilities / total
        mapped = self.table.map(dict(zip(self.labels, shares, strict=True)))
        emotional = float(mapped.scores.sum())
        # Confidence: the emotional share (not neutral) times how decided the model is; a
        # flat distribution (maximum entropy) is no reading, whatever its labels.
        confidence = min(1.0, emotional * _decidedness(shares))
        if confidence < 1e-3:
            return Reading.empty("photo", engine, "the model saw no clear expression")
        top = np.argsort(-shares)[:EVIDENCE_LABELS]
        evidence = tuple(
            Evidence(self.labels[i], float(shares[i]), self._categories(self.labels[i]))
            for i in top
        )
        vector = EmotionVector.from_array(mapped.scores)
        return Reading(vector, confidence, evidence, "photo", engine)

    def _categories(self, label: str) -> tuple[str, ...]:
        return tuple(
            CATEGORIES[index] for index, _ in self.table.rows.get(normalise_label(label), ())
        )


class ModelExpressionReader:
    """Reads faces with a model when it loads, with ``fallback`` when it does not."""

    def __init__(self, source: str, fallback: ExpressionReader) -> None:
        self.source = source
        self._fallback = fallback
        self._lock = threading.Lock()
        self._loaded: LoadedExpressionModel | None = None
        self._failed = False

    @property
    def name(self) -> str:
        return self._fallback.name if self._failed else "model"

    def read(self, faces: Sequence[np.ndarray]) -> list[Reading]:
        if not faces:
            return []
        loaded = self._load()
        if loaded is None:
            return self._fallback.read(faces)
        try:
            with self._lock:  # one forward pass at a time keeps memory bounded
                return loaded.read(faces)
        except Exception as error:  # a model that breaks at run time must not break the chat
            warn_once(
                log,
                f"photo-model-run:{self.source}",
                "photo model %s failed: %s",
                self.source,
                error,
            )
            return self._fallback.read(faces)

    def _load(self) -> LoadedExpressionModel | None:
        with self._lock:
            if self._loaded is None and not self._failed:
                try:
                    self._loaded = load_expression_model(self.source)
                except Exception as error:  # offline, missing, corrupt or wrong kind of model
                    self._failed = True
                    warn_once(
                        log,
                        f"photo-model-load:{self.source}",
                        "photo model %s could not be loaded (%s); reading faces with the %s "
                        "cue instead",
                        self.source,
                        error,
                        self._fallback.name,
                    )
            return self._loaded


def load_expression_model(source: str) -> LoadedExpressionModel:
    """Load processor and model from a hub id or a local directory (HF_HUB_OFFLINE applies)."""
    from transformers import AutoImageProcessor, AutoModelForImageClassification

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
