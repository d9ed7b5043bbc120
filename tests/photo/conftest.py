"""Photo-engine fixtures: sample photos as bytes, engines, tiny models."""

from __future__ import annotations

from pathlib import Path

import pytest
from photo_samples import astronaut, build_tiny_expression_model, encode, landscapes

from moodtune.config import Settings
from moodtune.emotion_engines.photo import PhotoEngine, build_photo_engine


@pytest.fixture(scope="session")
def astronaut_jpeg() -> bytes:
    return encode(astronaut(), "JPEG", quality=92)


@pytest.fixture(scope="session")
def landscape_jpegs() -> dict[str, bytes]:
    return {name: encode(image, "JPEG", quality=92) for name, image in landscapes().items()}


@pytest.fixture
def engine() -> PhotoEngine:
    return build_photo_engine(Settings())


@pytest.fixture(scope="session")
def happy_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_expression_model(tmp_path_factory.mktemp("happy-vit"))
