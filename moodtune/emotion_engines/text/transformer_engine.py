"""Any Hugging Face text-classification model as a text engine, the lexicon as its net.

`TransformerTextEngine("j-hartmann/emotion-english-distilroberta-base")` (a model id or
a local directory) loads the tokenizer and model once, lazily, on CPU, and only from
local files when `HF_HUB_OFFLINE` is set. The model's labels (`config.id2label`) go
through the label-map table that knows most of them (`label_maps.best_for`): Ekman 7,
GoEmotions 28, ...; labels no table knows are kept in the evidence as unmapped.

Probabilities are a softmax over the labels, or per-label sigmoids for multi-label
models (`problem_type == "multi_label_classification"`, e.g. GoEmotions). Confidence:
``CAP * emotional share * lead``, where the emotional share is the probability mass on
labels that map to a feeling (neutral and unmapped labels lower it) and the lead is
how far the top label stands above chance, (p_max - 1/n) / (1 - 1/n). A model that
cannot say (near-uniform output) gives an empty reading.

If the model cannot be loaded (bad id, no network, broken directory, labels no table
knows), one warning is logged and the fallback engine (the lexicon) answers from then
on; a failure while running the model falls back for that message. Nothing raises
except `TextInputError` for input that is not text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from moodtune.emotion import CATEGORIES, EmotionVector
from moodtune.emotion_engines.engine import run_blocking
from moodtune.emotion_engines.label_maps import LabelMap, best_for, normalise_label
from moodtune.emotion_engines.lazy import LazyModel
from moodtune.emotion_engines.reading import Evidence, Note, Reading
from moodtune.emotion_engines.text.cleaning import clean_text
from moodtune.emotion_engines.text.lexicon_engine import (
    DEFAULT_MAX_CHARS,
    DEFAULT_WORKERS,
    LexiconTextEngine,
)

if TYPE_CHECKING:
    from moodtune.emotion_engines.text.build import TextEngine


CAP = 0.9
MAX_TOKENS = 512
EVIDENCE_MIN_PROBABILITY = 0.05
MIN_CONFIDENCE = 0.01
_TRUE = frozenset({"1", "true", "yes", "on"})


class UnusableModelError(ValueError):
    """A model that loads but whose labels no label-map table knows."""


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE


@dataclass(frozen=True)
class _LoadedModel:
    tokenizer: Any
    model: Any
    labels: tuple[str, ...]
    table: LabelMap
    multi_label: bool

    @classmethod
    def load(cls, model_id: str) -> _LoadedModel:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        local_only = _offline()
        tokenizer = AutoTokenizer.from_pretrained(model_id, local_files_only=local_only)
        model = AutoModelForSequenceClassification.from_pretrained(
            model_id, local_files_only=local_only
        )
        model.to("cpu").eval()
        config = model.config
        labels = tuple(str(config.id2label[i]) for i in range(config.num_labels))
        table = best_for(labels)
        if table.coverage(labels) == 0:
            raise UnusableModelError(f"none of its labels {list(labels)} maps to a feeling")
        multi_label = config.problem_type == "multi_label_classification"
        return cls(tokenizer, model, labels, table, multi_label)

    def probabilities(self, text: str) -> np.ndarray:
        import torch

        limit = min(getattr(self.tokenizer, "model_max_length", MAX_TOKENS), MAX_TOKENS)
        inputs = self.tokenizer(text, truncation=True, max_length=limit, return_tensors="pt")
        with torch.inference_mode():
            logits = self.model(**inputs).logits[0].float()
        probs = torch.sigmoid(logits) if self.multi_label else torch.softmax(logits, dim=-1)
        return probs.numpy().astype(np.float64)

    def reading(self, text: str, engine: str) -> Reading:
        probs = self.probabilities(text)
        scores = dict(zip(self.labels, probs.tolist(), strict=True))
        mapped = self.table.map(scores)
        total = float(probs.sum())
        emotional = float(mapped.scores.sum())
        lead = (probs.max() / total - 1 / len(probs)) / (1 - 1 / len(probs)) if total else 0.0
        confidence = CAP * (emotional / total if total else 0.0) * float(lead)
        evidence = self._evidence(scores)
        if confidence < MIN_CONFIDENCE or emotional <= 0:
            note = Note("text_model_unclear", "The model found no clear feeling.")
            return Reading(EmotionVector.zero(), 0.0, evidence, "text", engine, note=note)
        return Reading(
            EmotionVector.from_array(mapped.scores),
            min(confidence, CAP),
            evidence,
            "text",
            engine,
            note=Note("text_model_labels", f"{self.table.name} labels", labels=self.table.name),
        )

    def _evidence(self, scores: dict[str, float]) -> tuple[Evidence, ...]:
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        evidence = []
        for label, probability in ranked:
            row = self.table.rows.get(normalise_label(label))
            if probability < EVIDENCE_MIN_PROBABILITY and row is not None:
                continue
            categories = tuple(CATEGORIES[index] for index, _ in row or ())
            detail = {"table": self.table.name, "unmapped": row is None, "neutral": row == ()}
            evidence.append(Evidence(label, round(probability, 4), categories, detail))
        return tuple(evidence)


class TransformerTextEngine:
    """A Hugging Face text-classification model, with the lexicon engine to fall back on."""

    name = "transformer"
    modality = "text"

    def __init__(
        self,
        model: str,
        fallback: TextEngine | None = None,
        *,
        max_chars: int = DEFAULT_MAX_CHARS,
        workers: int = DEFAULT_WORKERS,
    ) -> None:
        self.model_id = model
        self.max_chars = max_chars
        self.workers = workers
        self._fallback = fallback
        self._model = LazyModel("text", model, _LoadedModel.load, "the lexicon")

    @property
    def fallback(self) -> TextEngine:
        if self._fallback is None:
            self._fallback = LexiconTextEngine(max_chars=self.max_chars, workers=self.workers)
        return self._fallback

    @property
    def usable(self) -> bool:
        """Whether the model is (or can be) loaded; False once loading failed."""
        return self._model.get() is not None

    def warm_up(self) -> None:
        self._model.get()

    def analyze_sync(self, text: str) -> Reading:
        """The model's reading of one message, or the fallback's when the model is unusable
        or fails on this message (both logged by the loader)."""
        text = clean_text(text, self.max_chars)
        reading = self._model.use(lambda loaded: loaded.reading(text, self.name))
        return reading if reading is not None else self.fallback.analyze_sync(text)

    async def analyze(self, text: str) -> Reading:
        return await run_blocking(self.analyze_sync, text, workers=self.workers)
