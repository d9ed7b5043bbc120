"""Speech emotion from a Hugging Face audio-classification model, by id or local path.

The model's labels (IEMOCAP-4 "neu/hap/ang/sad", RAVDESS-8, ...) go through the label map
that knows most of them; a model whose labels no table knows is refused at load time, so
the prosody reading answers instead of a guess. Long notes are cut into windows so memory
stays bounded (self-attention grows with the square of the length); window probabilities
are averaged, weighted by their length.

Confidence = 0.8 × certainty × emotional share: certainty is 1 − the normalised entropy of
the label distribution (a flat guess counts for nothing), the emotional share is the
probability not spent on "neutral" or unmapped labels.
"""

from __future__ import annotations

import math

import numpy as np

from moodtune.emotion import CATEGORIES, EmotionVector
from moodtune.emotion_engines import label_maps
from moodtune.emotion_engines.engine import single_threaded_torch
from moodtune.emotion_engines.lazy import model_label
from moodtune.emotion_engines.reading import Evidence, Note, Reading
from moodtune.emotion_engines.voice.decode import resample

SOUNDS_NEUTRAL = Note("voice_neutral", "the voice sounds neutral")

WINDOW_SECONDS = 20.0
MIN_LABEL_COVERAGE = 0.5
MAX_CONFIDENCE = 0.8  # a model trained on acted speech is never certain about real notes
EVIDENCE_LABELS = 5


class UnmappableLabelsError(ValueError):
    """A classifier whose labels none of the label maps knows."""


def engine_name(model_id: str) -> str:
    return f"speech-emotion:{model_label(model_id)}"


class SpeechEmotionModel:
    def __init__(self, model_id: str) -> None:
        import torch  # heavy: imported only when a model is configured
        from transformers import AutoFeatureExtractor, AutoModelForAudioClassification

        single_threaded_torch()
        self._torch = torch
        self.extractor = AutoFeatureExtractor.from_pretrained(model_id)
        self.model = AutoModelForAudioClassification.from_pretrained(model_id).eval()
        self.labels = [self.model.config.id2label[i] for i in range(self.model.config.num_labels)]
        self.table = label_maps.best_for(self.labels)
        coverage = self.table.coverage(self.labels)
        if coverage < MIN_LABEL_COVERAGE:
            raise UnmappableLabelsError(
                f"no label map knows the labels {self.labels} (best: {self.table.name}, "
                f"{coverage:.0%})"
            )
        self.name = engine_name(model_id)
        self.rate = int(getattr(self.extractor, "sampling_rate", 16_000))
        self.multi_label = self.model.config.problem_type == "multi_label_classification"

    def read(self, samples: np.ndarray, rate: int) -> Reading:
        """The model's reading of speech samples (any rate; resampled to the model's)."""
        probabilities = self.probabilities(resample(samples, rate, self.rate))
        scores = dict(zip(self.labels, probabilities.tolist(), strict=True))
        mapped = self.table.map(scores)
        emotional = float(mapped.scores.sum())
        unknown = sum(scores[label] for label in mapped.unknown)
        share = emotional / max(emotional + mapped.neutral + unknown, 1e-12)
        confidence = MAX_CONFIDENCE * _certainty(probabilities, self.multi_label) * share
        if confidence <= 0:
            return Reading.empty("voice", self.name, SOUNDS_NEUTRAL)
        return Reading(
            vector=EmotionVector.from_array(mapped.scores),
            confidence=float(min(confidence, 1.0)),
            evidence=self._evidence(scores),
            modality="voice",
            engine=self.name,
        )

    def probabilities(self, samples: np.ndarray) -> np.ndarray:
        """Label probabilities for the whole note, window by window."""
        window = int(WINDOW_SECONDS * self.rate)
        total, weight = np.zeros(len(self.labels)), 0
        for start in range(0, samples.size, window):
            piece = samples[start : start + window]
            if weight and piece.size < self.rate // 10:
                break  # a sliver at the end says nothing
            total += piece.size * self._window_probabilities(piece)
            weight += piece.size
        return total / max(weight, 1)

    def _window_probabilities(self, piece: np.ndarray) -> np.ndarray:
        inputs = self.extractor(piece, sampling_rate=self.rate, return_tensors="pt")
        with self._torch.inference_mode():
            logits = self.model(**inputs).logits[0].double()
        values = logits.sigmoid() if self.multi_label else logits.softmax(-1)
        return values.numpy()

    def _evidence(self, scores: dict[str, float]) -> tuple[Evidence, ...]:
        strongest = sorted(scores.items(), key=lambda item: -item[1])[:EVIDENCE_LABELS]
        return tuple(
            Evidence(label, round(score, 4), self._categories(label), {"model": self.name})
            for label, score in strongest
        )

    def _categories(self, label: str) -> tuple[str, ...]:
        mapped = self.table.map({label: 1.0}).scores
        return tuple(code for code, value in zip(CATEGORIES, mapped, strict=True) if value > 0)


def _certainty(probabilities: np.ndarray, multi_label: bool) -> float:
    """1 for one clear label, 0 for a flat distribution (normalised entropy)."""
    if multi_label or probabilities.size < 2:
        return float(probabilities.max())
    p = probabilities[probabilities > 0]
    return 1.0 - float(-(p * np.log(p)).sum() / math.log(probabilities.size))
