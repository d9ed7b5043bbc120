"""Session-wide voice notes (made once): English and Mandarin speech, silence, noise; the
bundled speech-to-text model's weights; tiny models the tests build."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from bundled_weights import require
from voice_models import IEMOCAP_LABELS as IEMOCAP
from voice_models import build_ctc_model, build_emotion_model, build_whisper_model
from voice_samples import ENGLISH, MANDARIN, repeat_to, speak, to_voice_note, wav
from voice_samples import require as require_tools

from moodtune.config import Settings
from moodtune.emotion_engines.bundled import WHISPER_TINY_EN
from moodtune.emotion_engines.voice import VoiceEngine, build_voice_engine


@pytest.fixture(scope="session")
def english_wav() -> bytes:
    return speak(ENGLISH, "en")


@pytest.fixture(scope="session")
def english_note(english_wav: bytes) -> bytes:
    return to_voice_note(english_wav)


@pytest.fixture(scope="session")
def mandarin_note() -> bytes:
    return to_voice_note(speak(MANDARIN, "cmn"))


@pytest.fixture(scope="session")
def silent_note() -> bytes:
    return to_voice_note(wav(np.zeros(3 * 16_000), 16_000))


@pytest.fixture(scope="session")
def noise_note() -> bytes:
    noise = np.random.default_rng(7).normal(0.0, 0.2, 3 * 48_000).clip(-1, 1)
    return to_voice_note(wav(noise, 48_000))


@pytest.fixture(scope="session")
def hour_long_note(english_wav: bytes, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """An hour of OGG/Opus (~11 MB, under the byte limit), made by stream-copying a minute."""
    require_tools("ffmpeg")
    folder = tmp_path_factory.mktemp("hour")
    (folder / "minute.ogg").write_bytes(repeat_to(english_wav, 60))
    (folder / "list.txt").write_text("file 'minute.ogg'\n" * 60)
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "concat", "-safe", "0"]
    command += ["-i", str(folder / "list.txt"), "-c", "copy", str(folder / "hour.ogg")]
    subprocess.run(command, check=True, capture_output=True)
    return (folder / "hour.ogg").read_bytes()


@pytest.fixture(scope="session")
def sad_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny IEMOCAP-4 speech-emotion model that always hears "sad"."""
    return build_emotion_model(tmp_path_factory.mktemp("models") / "tiny-ser-sad", IEMOCAP, "sad")


@pytest.fixture(scope="session")
def happy_asr_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny CTC speech recogniser that always hears the word "happy"."""
    return build_ctc_model(tmp_path_factory.mktemp("models") / "tiny-asr-happy", always="happy")


@pytest.fixture(scope="session")
def whisper_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny Whisper that hears "happy" again and again."""
    return build_whisper_model(tmp_path_factory.mktemp("models") / "tiny-whisper")


@pytest.fixture(scope="session")
def whisper_weights() -> Path:
    return require(WHISPER_TINY_EN)


@pytest.fixture(scope="session")
def listening_engine(whisper_weights: Path) -> VoiceEngine:
    """What a fresh install runs: prosody, and Whisper tiny.en for English words."""
    return build_voice_engine(Settings())


@pytest.fixture(scope="session")
def tone_engine() -> VoiceEngine:
    """The tone alone: no speech-to-text (bundled models turned off, none configured)."""
    return build_voice_engine(Settings(bundled_models=False))


@pytest.fixture(scope="session")
def dance_note() -> bytes:
    """The issue's example: read by its tone alone, it came out as guilt and doubt."""
    return to_voice_note(speak("I am so happy today. I want to dance."))
