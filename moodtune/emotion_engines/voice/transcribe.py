"""Speech to text with a Hugging Face automatic-speech-recognition model (e.g. Whisper).

The transformers pipeline serves CTC models (wav2vec2) and sequence-to-sequence ones
(Whisper) alike. A note longer than one 30 s window is decoded by Whisper's own sequential
long-form algorithm (it needs timestamps), and by other models in overlapping chunks.
"""

from __future__ import annotations

import numpy as np

from moodtune.emotion_engines.engine import single_threaded_torch
from moodtune.emotion_engines.lazy import model_label

CHUNK_SECONDS = 30


class Transcriber:
    def __init__(self, model_id: str) -> None:
        from transformers import pipeline  # heavy: imported only when a model is configured

        single_threaded_torch()
        self._pipeline = pipeline("automatic-speech-recognition", model=model_id, device="cpu")
        self.name = f"asr:{model_label(model_id)}"

    def transcribe(self, samples: np.ndarray, rate: int) -> str:
        """The words, whitespace-normalised ('' when the model hears none)."""
        options = self._long_form() if samples.size > CHUNK_SECONDS * rate else {}
        result = self._pipeline({"raw": samples, "sampling_rate": rate}, **options)
        return " ".join(str(result.get("text", "")).split())

    def _long_form(self) -> dict[str, object]:
        if self._pipeline.type == "seq2seq_whisper":
            return {"return_timestamps": True}
        return {"chunk_length_s": CHUNK_SECONDS, "ignore_warning": True}
