"""What connectors hand the core: a message or a button press, platform-neutral.

A connector fills these in from its platform's event and renders what the core returns;
it decides nothing itself. Media travel as a size and a way to fetch them, so the core
can refuse a file from its announced size before a byte is downloaded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from moodtune.handlers.replies import Chat, Keyboard, Sender

MediaKind = Literal["photo", "voice", "document", "sticker"]


class FileTooBigError(ValueError):
    """A file over the limit: `size` (None: unknown until fetched) and `limit` in bytes."""

    def __init__(self, size: int | None, limit: int) -> None:
        told = "too big" if size is None else f"{size / 2**20:.1f} MB"
        super().__init__(f"the file is {told}; the limit is {limit / 2**20:.0f} MB")
        self.size = size
        self.limit = limit


class FetchError(RuntimeError):
    """A file the platform announced could not be fetched (gone, network, refused)."""


Fetch = Callable[[int], Awaitable[bytes]]  # limit in bytes → the bytes; FileTooBigError, FetchError


@dataclass(frozen=True, slots=True)
class Media:
    """A photo, voice note, audio or other file, or a sticker, attached to a message.

    `fetch(limit)` downloads it into memory (never to disk) and raises FileTooBigError when
    it turns out bigger than `limit`; a sticker has no bytes to fetch, only its `emoji`.
    """

    kind: MediaKind
    size: int | None = None  # as the platform announced it; None when it did not say
    fetch: Fetch | None = None
    media_type: str | None = None
    filename: str | None = None
    emoji: str | None = None


@dataclass(frozen=True, slots=True)
class Message:
    """One incoming message. `event_id` is the platform's id for the delivery (a Telegram
    update id, a Discord message or interaction id), unique per platform: what makes a
    re-delivery harmless. `text` is the words or the caption. In a group, `addressed` says
    whether it was meant for the bot (a command, a mention, a reply to the bot): the bot
    reads nothing else there."""

    event_id: str
    sender: Sender
    chat: Chat
    text: str | None = None
    media: Media | None = None
    addressed: bool = True
    command: tuple[str, tuple[str, ...]] | None = None  # (name without "/", arguments)
    is_admin: bool = False  # in a group, whether the sender administers it (for /checkin)


@dataclass(frozen=True, slots=True)
class Press:
    """A button pressed: its data as the platform sent it back, and the buttons the pressed
    message carries now (so the core can say how they change)."""

    event_id: str
    sender: Sender
    chat: Chat
    data: object  # whatever the platform delivered: checked strictly by the core
    buttons: Keyboard = ()


def parse_command(text: str, bot_username: str | None = None) -> tuple[str, tuple[str, ...]] | None:
    """'/mode lift' → ('mode', ('lift',)); '/start@this_bot' → ('start', ()).

    None for text that is no command, and for one addressed to another bot
    ('/start@another_bot', common in groups).
    """
    words = text.split()
    if not words or not words[0].startswith("/") or len(words[0]) == 1:
        return None
    name, _, addressee = words[0][1:].partition("@")
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return None
    return name.lower(), tuple(words[1:])
