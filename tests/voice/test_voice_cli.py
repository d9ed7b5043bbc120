"""`moodtune analyze --voice` and `moodtune recommend --voice`, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from cli_runner import run
from PIL import Image

from moodtune.emotion_engines.voice import NOTHING_HEARD


@pytest.fixture
def note_file(tmp_path: Path, english_note: bytes) -> Path:
    path = tmp_path / "voice-note.ogg"
    path.write_bytes(english_note)
    return path


@pytest.fixture
def tone_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOODTUNE_BUNDLED_MODELS", "false")


@pytest.mark.usefixtures("tone_only")
def test_analyze_voice_json(note_file: Path) -> None:
    result = run("analyze", "--voice", str(note_file), "--json")
    assert result.exit_code == 0, result.output
    reading = json.loads(result.stdout)
    assert reading["modality"] == "voice" and reading["engine"] == "prosody"
    assert 0 < reading["confidence"] <= 0.3
    assert sum(reading["vector"].values()) == pytest.approx(1.0, abs=1e-3)
    labels = {item["label"] for item in reading["evidence"]}
    assert {"pitch level", "speaking rate", "pauses", "speech", "audio"} <= labels
    assert reading["parts"][0]["engine"] == "prosody"


@pytest.mark.usefixtures("tone_only")
def test_analyze_voice_prints_a_readable_mood(note_file: Path) -> None:
    result = run("analyze", "--voice", str(note_file))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("voice (prosody)")
    assert "confidence" in result.stdout and "speaking rate" in result.stdout
    assert "no speech-to-text model installed, so only the tone was read" in result.stdout


def test_analyze_voice_prints_what_it_heard(note_file: Path, whisper_weights: Path) -> None:
    result = run("analyze", "--voice", str(note_file))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("voice (prosody+asr:whisper-tiny.en)")
    heard = next(line for line in result.stdout.splitlines() if "heard: “" in line)
    assert "happy" in heard and "wonderful" in heard and "😄 joy" in result.stdout


@pytest.mark.usefixtures("tone_only")
def test_analyze_voice_with_a_speech_emotion_model(
    note_file: Path, sad_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODTUNE_VOICE_MODEL", str(sad_model))
    reading = json.loads(run("analyze", "--voice", str(note_file), "--json").stdout)
    assert reading["engine"] == "speech-emotion:tiny-ser-sad"
    assert reading["top"][0]["category"] == "NB"


def test_analyze_voice_with_speech_to_text(
    note_file: Path, happy_asr_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODTUNE_ASR_MODEL", str(happy_asr_model))
    reading = json.loads(run("analyze", "--voice", str(note_file), "--json").stdout)
    assert [part["modality"] for part in reading["parts"]] == ["voice", "text"]
    transcript = reading["evidence"][0]
    assert transcript["detail"]["transcript"] == "happy"  # the configured model wins


def test_analyze_a_silent_note_says_nothing_was_heard(tmp_path: Path, silent_note: bytes):
    (tmp_path / "silent.ogg").write_bytes(silent_note)
    result = run("analyze", "--voice", str(tmp_path / "silent.ogg"), "--json")
    assert result.exit_code == 0, result.output
    reading = json.loads(result.stdout)
    assert reading["confidence"] == 0 and reading["note"] == NOTHING_HEARD


@pytest.fixture
def catalog(tmp_path: Path) -> None:
    """A small catalog of our own, imported through the CLI (not the bundled demo)."""
    tracks = tmp_path / "tracks.csv"
    rows = [
        "title,artists,tags,valence,energy",
        "Bright Morning,Sun Band,happy|upbeat,0.9,0.8",
        "Slow River,Quiet Person,calm,0.6,0.2",
        "Grey Rain,Blue Trio,sad,0.2,0.2",
        "Storm,Loud Band,angry,0.1,0.9",
        "Question Mark,Odd Duo,,0.5,0.5",
    ]
    tracks.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("catalog", "import", "--quiet", str(tracks))
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("catalog")
def test_recommend_voice_lists_tracks(note_file: Path) -> None:
    result = run("recommend", "--voice", str(note_file), "-k", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("mood")
    assert all(f"{n}. " in result.stdout for n in (1, 2, 3))


def test_recommend_for_a_noise_only_note_is_a_clear_usage_error(
    tmp_path: Path, noise_note: bytes
) -> None:
    (tmp_path / "noise.ogg").write_bytes(noise_note)
    result = run("recommend", "--voice", str(tmp_path / "noise.ogg"))
    assert result.exit_code == 2 and "could not hear anything" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"OggS" + bytes(200), "OGG file"),
        ("jpeg", "JPEG image, not a voice note"),
    ],
)
def test_bad_voice_files_are_usage_errors(tmp_path: Path, content: bytes | str, message: str):
    path = tmp_path / "note.ogg"
    if content == "jpeg":
        Image.fromarray(np.zeros((8, 8, 3), dtype=np.uint8)).save(path, format="JPEG")
    else:
        path.write_bytes(content)  # type: ignore[arg-type]
    for command in ("analyze", "recommend"):
        result = run(command, "--voice", str(path))
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output
