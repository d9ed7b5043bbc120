"""The voice engine: a voice note's bytes → how the person sounds (and what they said).

decode → speech activity → prosody → acoustic reading (a speech-emotion model when one
is configured and loads, the prosody reading otherwise) → transcript through the text
engine (when a speech-to-text model is configured) → one voice reading that carries
both as `parts`, combined the way fusion combines any readings.
"""

from __future__ import annotations

import logging
from typing import Protocol

import numpy as np

from moodtune.config import Settings, get_settings
from moodtune.emotion_engines.engine import run_blocking
from moodtune.emotion_engines.fusion import fuse
from moodtune.emotion_engines.reading import Evidence, Note, Reading
from moodtune.emotion_engines.voice.activity import Activity, detect
from moodtune.emotion_engines.voice.affect import ENGINE as PROSODY
from moodtune.emotion_engines.voice.affect import prosody_evidence, read_prosody
from moodtune.emotion_engines.voice.decode import Audio, decode
from moodtune.emotion_engines.voice.lazy import LazyModel, model_label
from moodtune.emotion_engines.voice.pitch import FRAME_SECONDS
from moodtune.emotion_engines.voice.prosody import ProsodyFeatures, measure
from moodtune.emotion_engines.voice.speech_emotion import SpeechEmotionModel, engine_name
from moodtune.emotion_engines.voice.transcribe import Transcriber

logger = logging.getLogger(__name__)

NOTHING_HEARD = Note(
    "voice_nothing_heard", "I could not hear anything: the note is silent or holds only noise."
)


class TranscriptReader(Protocol):
    """What the voice engine needs of the text engine."""

    def analyze_sync(self, text: str) -> Reading: ...


class VoiceEngine:
    modality = "voice"

    def __init__(self, settings: Settings, text_engine: TranscriptReader | None = None) -> None:
        self.settings = settings
        self.text_engine = text_engine
        self.emotion_model = (
            LazyModel("speech-emotion", settings.voice_model, SpeechEmotionModel)
            if settings.voice_model
            else None
        )
        self.transcriber = (
            LazyModel("speech-to-text", settings.asr_model, Transcriber)
            if settings.asr_model
            else None
        )
        acoustic = engine_name(settings.voice_model) if settings.voice_model else PROSODY
        asr = f"+asr:{model_label(settings.asr_model)}" if settings.asr_model else ""
        self.name = acoustic + asr

    async def analyze(self, data: bytes) -> Reading:
        return await run_blocking(self.analyze_sync, data, workers=self.settings.analysis_workers)

    def analyze_sync(self, data: bytes) -> Reading:
        """Read one note; VoiceInputError for what cannot be decoded, a zero-confidence
        reading with a note for silence and noise."""
        audio = decode(data, self.settings.max_voice_bytes, self.settings.max_voice_seconds)
        activity = detect(audio.samples, audio.rate)
        if not activity.has_speech:
            return Reading.empty(self.modality, self.name, NOTHING_HEARD)
        features = measure(activity)
        speech = _speech(audio, activity)
        parts = [self._acoustic(features, speech, audio.rate)]
        evidence = [*prosody_evidence(features), _audio_evidence(audio)]
        if parts[0].engine != PROSODY:
            evidence[:0] = parts[0].evidence
        transcript, asr_name = self._transcribe(speech, audio.rate)
        if transcript:
            evidence.append(Evidence("transcript", 0.0, (), {"transcript": transcript}))
            words = self._read_words(transcript)
            if words is not None:
                parts.append(words)
        return self._combine(parts, tuple(evidence), audio, asr_name)

    def _acoustic(self, features: ProsodyFeatures, speech: np.ndarray, rate: int) -> Reading:
        """The model's reading when it loads and copes, the prosody reading otherwise."""
        if self.emotion_model is not None:
            reading = self.emotion_model.use(lambda model: model.read(speech, rate))
            if reading is not None:
                return reading
        return read_prosody(features)

    def _transcribe(self, speech: np.ndarray, rate: int) -> tuple[str, str]:
        """(transcript, recogniser name), or ("", "") without a usable recogniser."""
        if self.transcriber is None:
            return "", ""
        heard = self.transcriber.use(lambda model: (model.transcribe(speech, rate), model.name))
        return heard or ("", "")

    def _read_words(self, transcript: str) -> Reading | None:
        if self.text_engine is None:
            return None
        limit = self.settings.max_text_chars  # a long note's words, cut at a word boundary
        text = transcript if len(transcript) <= limit else transcript[:limit].rsplit(" ", 1)[0]
        try:
            return self.text_engine.analyze_sync(text)
        except ValueError as error:  # the text engine refuses junk; the voice still counts
            logger.info("the transcript could not be read as text: %s", error)
            return None

    def _combine(
        self, parts: list[Reading], evidence: tuple[Evidence, ...], audio: Audio, asr: str
    ) -> Reading:
        weights = {"voice": self.settings.weight_voice, "text": self.settings.weight_text}
        fused = fuse(parts, weights) if len(parts) > 1 else parts[0]
        engine = "+".join(name for name in (parts[0].engine, asr) if name)
        note = _truncation_note(audio)
        if not fused.has_signal:
            note = Note.join((parts[0].note, note))
        return Reading(
            fused.vector, fused.confidence, evidence, self.modality, engine, tuple(parts), note
        )


def build_voice_engine(
    settings: Settings | None = None, text_engine: TranscriptReader | None = None
) -> VoiceEngine:
    """The voice engine the settings ask for; the text engine reads transcripts (built
    here when a speech-to-text model is configured and none is given)."""
    settings = settings or get_settings()
    if settings.asr_model and text_engine is None:
        from moodtune.emotion_engines.text import build_text_engine

        text_engine = build_text_engine(settings)
    return VoiceEngine(settings, text_engine)


def _speech(audio: Audio, activity: Activity) -> np.ndarray:
    """The samples from the first to the last speech frame: leading and trailing
    silence trimmed, so models hear the voice and not the room."""
    start, end = activity.speech_span()
    hop = int(FRAME_SECONDS * audio.rate)
    return audio.samples[start * hop : end * hop]


def _audio_evidence(audio: Audio) -> Evidence:
    detail: dict[str, object] = {
        "container": audio.container,
        "decoder": audio.decoder,
        "analysed_seconds": round(audio.seconds, 3),
        "truncated": audio.truncated,
    }
    if audio.source_seconds is not None:
        detail["source_seconds"] = round(audio.source_seconds, 3)
    return Evidence("audio", 0.0, (), detail)


def _truncation_note(audio: Audio) -> str:
    if not audio.truncated:
        return ""
    seconds, total = audio.seconds, audio.source_seconds
    if not total:
        return Note(
            "voice_listened_part", f"I listened to the first {seconds:.0f} s.", seconds=seconds
        )
    text = f"I listened to the first {seconds:.0f} s of {total:.0f} s."
    return Note("voice_listened_part_of", text, seconds=seconds, total=total)
