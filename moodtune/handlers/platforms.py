"""What differs between platforms and is policy, not rendering: how big a file may be
fetched, how much data a button can carry back, how fast the bot may write first."""

from __future__ import annotations

from dataclasses import dataclass

from moodtune.config import Settings

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    button_bytes: int  # the most a button's data may hold on this platform
    download_bytes: int | None  # the platform's own limit on fetching a file; None: none
    # Messages a second the bot may start itself (check-ins), kept under the platform's
    # limit for one bot account: Telegram about 30 a second, Discord 50 requests a second.
    sends_per_second: float = 25.0


PLATFORM_LIMITS = {
    "telegram": Limits(button_bytes=64, download_bytes=20 * MB),  # the Bot API's getFile cap
    # custom_id ≤ 100 characters; 50 requests a second for a whole bot
    "discord": Limits(button_bytes=100, download_bytes=None, sends_per_second=40.0),
    "local": Limits(button_bytes=100, download_bytes=None),
    "web": Limits(button_bytes=100, download_bytes=None),
}
DEFAULT_LIMITS = Limits(button_bytes=64, download_bytes=None)


def limits_of(platform: str) -> Limits:
    return PLATFORM_LIMITS.get(platform, DEFAULT_LIMITS)


def file_limit(settings: Settings, platform: str, kind: str) -> int:
    """Bytes a file of `kind` ('photo' or 'voice') may have on `platform`: the setting,
    capped by what the platform lets a bot fetch."""
    setting = settings.max_photo_bytes if kind == "photo" else settings.max_voice_bytes
    platform_cap = limits_of(platform).download_bytes
    if platform == "discord":  # a setting: MOODTUNE_DISCORD_MAX_FILE_BYTES (10 MiB)
        platform_cap = settings.discord_max_file_bytes
    return setting if platform_cap is None else min(setting, platform_cap)
