"""Speech to text with a Hugging Face automatic-speech-recognition model (e.g. Whisper).

The transformers pipeline serves CTC models (wav2vec2) and sequence-to-sequence ones
(Whisper) alike; notes longer than one model window are transcribed in 30 s chunks.
"""

from __future__ import annotations

import numpy as np

from moodtune.emotion_engines.voice.lazy import model_label

CHUNK_SECONDS = 30


class Transcriber:
    def __init__(self, model_id: str) -> None:
        from transformers import pipeline  # heavy: imported only when a model is configured

        self._pipeline = pipeline("automatic-speech-recognition", model=model_id, device="cpu")
        self.name = f"asr:{model_label(model_id)}"

    def transcribe(self, samples: np.ndarray, rate: int) -> str:
        """The words, whitespace-normalised ('' when the model hears none)."""
        long = samples.size > CHUNK_SECONDS * rate
        options = {"chunk_length_s": CHUNK_SECONDS} if long else {}
        result = self._pipeline({"raw": samples, "sampling_rate": rate}, **options)
        return " ".join(str(result.get("text", "")).split())
