"""Speech to text with a Hugging Face automatic-speech-recognition model (e.g. Whisper).

The transformers pipeline serves CTC models (wav2vec2) and sequence-to-sequence ones
(Whisper) alike; notes longer than one model window are transcribed in 30 s chunks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CHUNK_SECONDS = 30


class Transcriber:
    def __init__(self, model_id: str) -> None:
        from transformers import pipeline  # heavy: imported only when a model is configured

        self._pipeline = pipeline("automatic-speech-recognition", model=model_id, device="cpu")
        path = Path(model_id)
        self.name = f"asr:{path.name if path.is_dir() else model_id}"

    def transcribe(self, samples: np.ndarray, rate: int) -> str:
        """The words, whitespace-normalised ('' when the model hears none)."""
        long = samples.size > CHUNK_SECONDS * rate
        options = {"chunk_length_s": CHUNK_SECONDS} if long else {}
        result = self._pipeline({"raw": samples, "sampling_rate": rate}, **options)
        return " ".join(str(result.get("text", "")).split())
