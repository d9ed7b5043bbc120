"""The voice engine: voice notes in, emotion (and words) out.

    engine = build_voice_engine(settings, text_engine)
    reading = await engine.analyze(note_bytes, "en")   # or engine.analyze_sync(...)

The tone is read from prosody (or a configured speech-emotion model); the words, when a
speech-to-text model knows the language (the bundled Whisper tiny.en: English), go
through the text engine and are fused with the tone.

Bad notes raise `VoiceInputError` (a ValueError) with a sentence for the person; silence
and noise give a zero-confidence reading whose note says nothing was heard.
"""

from moodtune.emotion_engines.voice.engine import (
    NOTHING_HEARD,
    TranscriptReader,
    VoiceEngine,
    build_voice_engine,
)
from moodtune.emotion_engines.voice.errors import DecoderUnavailableError, VoiceInputError

__all__ = [
    "NOTHING_HEARD",
    "DecoderUnavailableError",
    "TranscriptReader",
    "VoiceEngine",
    "VoiceInputError",
    "build_voice_engine",
]
