"""Shared fixtures: paths to third-party data, and the databases tests run on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DLUT_CSV = REPO.parent / "shared" / "dlut" / "dict.csv"
POSTGRES_ENV = "MOODTUNE_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's .env or writes to their data dir."""
    from moodtune.config import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOODTUNE_DATA_DIR", str(tmp_path / "data"))
    for name in list(os.environ):
        if name.startswith("MOODTUNE_") and name not in {"MOODTUNE_DATA_DIR", POSTGRES_ENV}:
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def dlut_path() -> Path:
    """The DLUT lexicon from ../shared/dlut/dict.csv; tests that need it skip without it."""
    if not DLUT_CSV.is_file():
        pytest.skip(f"DLUT lexicon not found at {DLUT_CSV}")
    return DLUT_CSV


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL URL from MOODTUNE_TEST_POSTGRES_URL; skip when unset (CI sets it)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    return url
