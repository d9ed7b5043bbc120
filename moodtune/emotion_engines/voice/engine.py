"""The voice engine: a voice note's bytes → how the person sounds (and what they said).

decode → speech activity → prosody → acoustic reading (a speech-emotion model when one
is configured and loads, the prosody reading otherwise) → the words, when a speech-to-text
model knows the person's language (a configured one, else the bundled Whisper tiny.en for
English), through the text engine → one voice reading that carries both as `parts`,
combined the way fusion combines any readings. What was heard, or why only the tone was
read, is the reading's first evidence item (see speech_to_text.py).
"""

from __future__ import annotations

import logging
from typing import Protocol

import numpy as np

from moodtune.config import Settings, get_settings
from moodtune.emotion_engines.bundled import WHISPER_TINY_EN, Weights
from moodtune.emotion_engines.engine import run_blocking
from moodtune.emotion_engines.fusion import fuse
from moodtune.emotion_engines.lazy import LazyModel, load_shared
from moodtune.emotion_engines.reading import Evidence, Note, Reading
from moodtune.emotion_engines.voice.activity import Activity, detect
from moodtune.emotion_engines.voice.affect import ENGINE as PROSODY
from moodtune.emotion_engines.voice.affect import prosody_evidence, read_prosody
from moodtune.emotion_engines.voice.decode import Audio, decode
from moodtune.emotion_engines.voice.pitch import FRAME_SECONDS
from moodtune.emotion_engines.voice.prosody import ProsodyFeatures, measure
from moodtune.emotion_engines.voice.speech_emotion import SpeechEmotionModel, engine_name
from moodtune.emotion_engines.voice.speech_to_text import Hearing, Listener, Recogniser
from moodtune.emotion_engines.voice.transcribe import Transcriber
from moodtune.emotion_engines.voice.whisper import WhisperTranscriber

logger = logging.getLogger(__name__)

NOTHING_HEARD = Note(
    "voice_nothing_heard", "I could not hear anything: the note is silent or holds only noise."
)


class TranscriptReader(Protocol):
    """What the voice engine needs of the text engine."""

    def analyze_sync(self, text: str) -> Reading: ...


class VoiceEngine:
    modality = "voice"

    def __init__(
        self,
        settings: Settings,
        text_engine: TranscriptReader | None = None,
        listener: Listener | None = None,
    ) -> None:
        self.settings = settings
        self.text_engine = text_engine
        self.listener = listener or Listener(())
        self.emotion_model = (
            LazyModel("speech-emotion", settings.voice_model, SpeechEmotionModel, "prosody")
            if settings.voice_model
            else None
        )
        self.name = engine_name(settings.voice_model) if settings.voice_model else PROSODY

    async def analyze(self, data: bytes, language: str | None = None) -> Reading:
        workers = self.settings.analysis_workers
        return await run_blocking(self.analyze_sync, data, language, workers=workers)

    def analyze_sync(self, data: bytes, language: str | None = None) -> Reading:
        """Read one note (``language``: what it is spoken in, 'en', 'zh'..., when known);
        VoiceInputError for what cannot be decoded, a zero-confidence reading with a note
        for silence and noise."""
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
        hearing = self.listener.hear(speech, audio.rate, self._language(language))
        evidence.insert(0, hearing.evidence())
        if hearing.words:
            words = self._read_words(hearing.words)
            if words is not None:
                parts.append(words)
        return self._combine(parts, tuple(evidence), audio, hearing)

    def _acoustic(self, features: ProsodyFeatures, speech: np.ndarray, rate: int) -> Reading:
        """The model's reading when it loads and copes, the prosody reading otherwise."""
        if self.emotion_model is not None:
            reading = self.emotion_model.use(lambda model: model.read(speech, rate))
            if reading is not None:
                return reading
        return read_prosody(features)

    def _language(self, language: str | None) -> str | None:
        """The person's language, else a fixed reply language, else unknown."""
        if language:
            return language
        return self.settings.language if self.settings.language in ("en", "zh") else None

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
        self, parts: list[Reading], evidence: tuple[Evidence, ...], audio: Audio, heard: Hearing
    ) -> Reading:
        weights = {"voice": self.settings.weight_voice, "text": self.settings.weight_text}
        fused = fuse(parts, weights) if len(parts) > 1 else parts[0]
        engine = "+".join(name for name in (parts[0].engine, heard.recogniser) if name)
        note = _truncation_note(audio)
        if not fused.has_signal:
            note = Note.join((parts[0].note, note))
        return Reading(
            fused.vector, fused.confidence, evidence, self.modality, engine, tuple(parts), note
        )


def build_voice_engine(
    settings: Settings | None = None,
    text_engine: TranscriptReader | None = None,
    speech_to_text_weights: Weights = WHISPER_TINY_EN,
) -> VoiceEngine:
    """The voice engine the settings ask for; the text engine reads transcripts (built
    here when there is a speech-to-text model and none is given)."""
    settings = settings or get_settings()
    listener = Listener(_recognisers(settings, speech_to_text_weights))
    if listener.recognisers and text_engine is None:
        from moodtune.emotion_engines.text import build_text_engine

        text_engine = build_text_engine(settings)
    return VoiceEngine(settings, text_engine, listener)


def _recognisers(settings: Settings, weights: Weights) -> list[Recogniser]:
    """A configured model first (any language), then the bundled English Whisper."""
    found = []
    if settings.asr_model:
        model = LazyModel("speech-to-text", settings.asr_model, Transcriber, "the next one")
        found.append(Recogniser(model))
    if settings.bundled_models:
        bundled = LazyModel(
            "speech-to-text",
            weights.name,
            lambda _: load_shared(WhisperTranscriber, weights.locate().parent),
            "the tone alone",
        )
        found.append(Recogniser(bundled, WhisperTranscriber.languages))
    return found


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
