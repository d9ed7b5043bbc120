from pathlib import Path

import pytest
from pydantic import ValidationError

from moodtune.config import Settings, get_settings


def test_dotenv_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("MOODTUNE_RECOMMEND_K=7\nMOODTUNE_DISTANCE=cosine\n")
    monkeypatch.setenv("MOODTUNE_DISTANCE", "euclidean")  # the environment wins over .env
    settings = Settings()
    assert settings.recommend_k == 7 and settings.distance == "euclidean"


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    url = get_settings().resolved_database_url
    assert url.startswith("sqlite+aiosqlite:///") and str(tmp_path / "data") in url


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MOODTUNE_RECOMMEND_K", "0"),
        ("MOODTUNE_DISTANCE", "manhattan"),
        ("MOODTUNE_RECOMMEND_K", "x"),
        ("MOODTUNE_MOOD_HALF_LIFE_MINUTES", "0"),
        ("MOODTUNE_MOOD_HALF_LIFE_MINUTES", "nan"),
    ],
)
def test_bad_settings_are_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=name.removeprefix("MOODTUNE_").lower()):
        Settings()


def test_tokens_are_secret_in_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOODTUNE_TELEGRAM_TOKEN", "123:ABCsecret")
    settings = Settings()
    assert "ABCsecret" not in repr(settings) and "ABCsecret" not in str(settings.model_dump())
