"""`moodtune analyze --photo` and `moodtune recommend --photo`, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from cli_runner import run
from photo_samples import encode, png_declaring
from PIL import Image


@pytest.fixture
def astronaut_file(tmp_path: Path, astronaut_jpeg: bytes) -> Path:
    path = tmp_path / "astronaut.jpg"
    path.write_bytes(astronaut_jpeg)
    return path


@pytest.fixture
def bundled(centerface_weights: Path, fer_weights: Path) -> None:
    """The CLI builds its own engines: these tests need the bundled weights installed."""


def test_analyze_photo_prints_the_face_and_the_scene(astronaut_file: Path, bundled: None) -> None:
    result = run("analyze", "--photo", str(astronaut_file))
    assert result.exit_code == 0, result.output
    assert "photo (centerface+mini-xception)" in result.stdout and "joy" in result.stdout
    assert "face 1: joy (happy)" in result.stdout and "scene colours" in result.stdout


def test_analyze_photo_without_bundled_models_uses_the_heuristics(
    astronaut_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODTUNE_BUNDLED_MODELS", "false")
    result = run("analyze", "--photo", str(astronaut_file))
    assert result.exit_code == 0, result.output
    assert "photo (haar+smile)" in result.stdout and "face 1: joy (smile)" in result.stdout


def test_analyze_photo_json_has_boxes_and_parts(astronaut_file: Path, bundled: None) -> None:
    result = run("analyze", "--photo", str(astronaut_file), "--json")
    assert result.exit_code == 0, result.output
    reading = json.loads(result.stdout)
    assert reading["top"][0]["category"] == "PA"
    face = reading["evidence"][0]
    assert face["detail"]["area_share"] == 1.0 and len(face["detail"]["box"]) == 4
    assert [part["engine"] for part in reading["parts"]] == ["face:mini-xception", "scene"]


def test_analyze_photo_annotate_writes_a_png(astronaut_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "annotated.png"
    result = run("analyze", "--photo", str(astronaut_file), "--annotate", str(out))
    assert result.exit_code == 0, result.output
    with Image.open(out) as drawn:
        assert drawn.format == "PNG" and drawn.width == 512 and drawn.height > 512
        pixels = np.asarray(drawn.convert("RGB"))
    assert (pixels[:512] == (46, 204, 113)).all(axis=-1).sum() > 200  # the green face box


def test_analyze_photo_with_words_fuses_both(astronaut_file: Path) -> None:
    result = run("analyze", "--photo", str(astronaut_file), "--json", "I am so happy today")
    assert result.exit_code == 0, result.output
    fused = json.loads(result.stdout)
    assert fused["top"][0]["category"] == "PA"
    assert {e["label"] for e in fused["evidence"]} >= {"photo", "text"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"hello, this is text", "not an image I can read"),
        (png_declaring(100_000, 100_000), "the limit is 50,000,000 pixels"),
    ],
)
def test_bad_photo_files_are_one_clear_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.jpg"
    path.write_bytes(content)
    result = run("analyze", "--photo", str(path))
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_a_50_megabyte_photo_file_is_refused_from_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.jpg"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    result = run("analyze", "--photo", str(path))
    assert result.exit_code == 2, result.output
    assert "50.0 MB" in result.output and "Traceback" not in result.output


def test_recommend_refuses_a_bad_photo_with_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_declaring(100_000, 100_000))
    result = run("recommend", "--photo", str(path))
    assert result.exit_code == 2, result.output
    assert "the limit is 50,000,000 pixels" in result.output and "Traceback" not in result.output


def test_recommend_photo_lists_tracks_for_the_mood(
    astronaut_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODTUNE_CATALOG_AUTOLOAD", "false")  # only the tracks imported here
    catalog = tmp_path / "tracks.csv"
    catalog.write_text(
        "title,artists,tags,valence,energy,link\n"
        "Sunny Smile,Band A,happy|joyful|upbeat,0.9,0.7,https://example.org/a\n"
        "Good Day,Band B,happy|cheerful,0.85,0.6,https://example.org/b\n"
        "Grey Rain,Band C,sad|lonely,0.1,0.2,https://example.org/c\n"
        "Cold Fury,Band D,angry|aggressive,0.15,0.95,https://example.org/d\n",
        encoding="utf-8",
    )
    imported = run("catalog", "import", "--quiet", str(catalog))
    assert imported.exit_code == 0, imported.output
    result = run("recommend", "--photo", str(astronaut_file), "--json", "-k", "2")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["mood"]["top"][0]["category"] == "PA"
    assert [track["title"] for track in payload["tracks"]] in (
        ["Sunny Smile", "Good Day"],
        ["Good Day", "Sunny Smile"],
    )
    text = run("recommend", "--photo", str(astronaut_file), "-k", "1")
    assert text.exit_code == 0 and "joy" in text.stdout and "https://example.org/" in text.stdout


def test_recommend_photo_of_a_blank_picture_says_why(tmp_path: Path) -> None:
    path = tmp_path / "black.png"
    path.write_bytes(encode(Image.new("RGB", (320, 240), "black"), "PNG"))
    result = run("recommend", "--photo", str(path))
    assert result.exit_code == 2, result.output
    assert "no face found" in result.output


def test_analyze_photo_reads_a_landscape(tmp_path: Path, landscape_jpegs: dict[str, bytes]) -> None:
    path = tmp_path / "flower.jpg"
    path.write_bytes(landscape_jpegs["flower"])
    result = run("analyze", "--photo", str(path), "--json")
    reading = json.loads(result.stdout)
    assert 0 < reading["confidence"] <= 0.25
    assert [part["engine"] for part in reading["parts"]] == ["scene"]
