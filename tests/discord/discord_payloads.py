"""Discord's JSON objects as the API and the gateway send them (API v10): snowflakes, users,
guilds, channels, messages, attachments, interactions.

Only the fields discord.py reads, with the types Discord gives them (ids as strings,
timestamps as ISO 8601), so the real client parses them the way it parses Discord's.
"""

from __future__ import annotations

import base64
import itertools
import time
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents).
INTENTS = {
    "guilds": 1 << 0,
    "members": 1 << 1,  # privileged
    "presences": 1 << 8,  # privileged
    "guild_messages": 1 << 9,
    "dm_messages": 1 << 12,
    "message_content": 1 << 15,  # privileged
}
PRIVILEGED = {"members", "presences", "message_content"}

# Channel, message, interaction and component types.
GUILD_TEXT, DM = 0, 1
DEFAULT_MESSAGE, REPLY_MESSAGE, CHAT_INPUT_COMMAND_MESSAGE = 0, 19, 20
APPLICATION_COMMAND, MESSAGE_COMPONENT = 2, 3
ACTION_ROW, BUTTON, STRING_SELECT = 1, 2, 3
OPTION_STRING, OPTION_INTEGER, OPTION_ATTACHMENT = 3, 4, 11
EPHEMERAL = 1 << 6
IS_VOICE_MESSAGE = 1 << 13  # message flag
ALL_PERMISSIONS = str((1 << 51) - 1)
EVERYONE_PERMISSIONS = "1071698660929"  # Discord's default for @everyone: no Manage Server
MANAGE_GUILD = 1 << 5


class Snowflakes:
    """Ids as Discord makes them: milliseconds since 2015 in the top bits, then a counter."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def __call__(self) -> str:
        milliseconds = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((milliseconds << 22) | (next(self._counter) & 0xFFF))


def timestamp() -> str:
    return datetime.now(UTC).isoformat()


def user(user_id: str, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
    }


def member(
    person: dict[str, Any], roles: list[str] | None = None, admin: bool = False
) -> dict[str, Any]:
    """A server member; in an interaction, `permissions` is what Discord computed for them
    there (an admin's include Manage Server)."""
    return {
        "user": person,
        "nick": None,
        "roles": roles or [],
        "joined_at": timestamp(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": ALL_PERMISSIONS if admin else EVERYONE_PERMISSIONS,
    }


def text_channel(channel_id: str, guild_id: str, name: str) -> dict[str, Any]:
    return {
        "id": channel_id,
        "type": GUILD_TEXT,
        "guild_id": guild_id,
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "parent_id": None,
    }


def dm_channel(channel_id: str, recipient: dict[str, Any]) -> dict[str, Any]:
    return {"id": channel_id, "type": DM, "last_message_id": None, "recipients": [recipient]}


def role(role_id: str, name: str, permissions: str, position: int) -> dict[str, Any]:
    return {
        "id": role_id,
        "name": name,
        "permissions": permissions,
        "position": position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def guild(
    guild_id: str,
    name: str,
    channels: list[dict[str, Any]],
    members: list[dict[str, Any]],
    admin_role_id: str,
) -> dict[str, Any]:
    """A GUILD_CREATE payload: the guild, its channels, its roles (@everyone, and one that
    may manage the server), and the members Discord sends."""
    roles = [
        role(guild_id, "@everyone", EVERYONE_PERMISSIONS, 0),
        role(admin_role_id, "admins", str(MANAGE_GUILD), 1),
    ]
    return {
        "id": guild_id,
        "name": name,
        "icon": None,
        "owner_id": members[0]["user"]["id"],
        "roles": roles,
        "emojis": [],
        "stickers": [],
        "features": [],
        "member_count": len(members),
        "members": members,
        "channels": channels,
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "large": False,
        "unavailable": False,
        "joined_at": timestamp(),
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "system_channel_id": None,
        "afk_timeout": 300,
    }


def attachment(
    attachment_id: str,
    filename: str,
    size: int,
    url: str,
    content_type: str | None,
    voice_seconds: float | None = None,
    dimensions: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """An attachment as Discord announces it; a voice message carries its duration and a
    waveform (what `Attachment.is_voice_message()` looks for)."""
    payload: dict[str, Any] = {
        "id": attachment_id,
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "flags": 0,
    }
    if content_type is not None:
        payload["content_type"] = content_type
    if dimensions is not None:
        payload["width"], payload["height"] = dimensions
    if voice_seconds is not None:
        payload["duration_secs"] = voice_seconds
        payload["waveform"] = base64.b64encode(bytes(range(0, 256, 4))).decode()
    return payload


def message(
    message_id: str,
    channel_id: str,
    author: dict[str, Any],
    content: str,
    *,
    guild_id: str | None = None,
    author_member: dict[str, Any] | None = None,
    mentions: list[dict[str, Any]] | None = None,
    attachments: list[dict[str, Any]] | None = None,
    embeds: list[dict[str, Any]] | None = None,
    components: list[dict[str, Any]] | None = None,
    flags: int = 0,
    referenced: dict[str, Any] | None = None,
    interaction: dict[str, Any] | None = None,
    application_id: str | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": message_id,
        "channel_id": channel_id,
        "author": author,
        "content": content,
        "timestamp": timestamp(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": [],
        "attachments": attachments or [],
        "embeds": embeds or [],
        "components": components or [],
        "pinned": False,
        "type": DEFAULT_MESSAGE,
        "flags": flags,
    }
    if guild_id is not None:
        payload["guild_id"] = guild_id
        if author_member is not None:
            payload["member"] = {k: v for k, v in author_member.items() if k != "user"}
    if referenced is not None:
        payload["type"] = REPLY_MESSAGE
        payload["message_reference"] = {
            "type": 0,
            "message_id": referenced["id"],
            "channel_id": referenced["channel_id"],
            **({"guild_id": guild_id} if guild_id else {}),
        }
        payload["referenced_message"] = referenced
    if interaction is not None:
        payload["type"] = CHAT_INPUT_COMMAND_MESSAGE
        payload["interaction_metadata"] = interaction
    if application_id is not None:
        payload["application_id"] = application_id
    return payload


def interaction(
    interaction_id: str,
    kind: int,
    token: str,
    application_id: str,
    person: dict[str, Any],
    channel: dict[str, Any],
    data: dict[str, Any],
    *,
    guild_id: str | None = None,
    locale: str = "en-US",
    source: dict[str, Any] | None = None,
    admin: bool = False,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload: a slash command, or a press on `source`'s component."""
    payload: dict[str, Any] = {
        "id": interaction_id,
        "application_id": application_id,
        "type": kind,
        "data": data,
        "token": token,
        "version": 1,
        "channel_id": channel["id"],
        "channel": channel,
        "locale": locale,
        "app_permissions": ALL_PERMISSIONS,
        "entitlements": [],
        "authorizing_integration_owners": {"0": guild_id} if guild_id else {"1": person["id"]},
        "context": 0 if guild_id else 1,  # GUILD or BOT_DM
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if guild_id is not None:
        payload["guild_id"] = guild_id
        payload["guild_locale"] = "en-US"
        payload["member"] = member(person, admin=admin)
    else:
        payload["user"] = person
    if source is not None:
        payload["message"] = source
    return payload
