"""What the fake Discord keeps and what tests hand it: the requests the bot made, the
messages it made appear, interactions as Discord tracks them, files people attach,
servers, and failures to answer with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from discord_payloads import EPHEMERAL, STRING_SELECT


@dataclass
class Body:
    """A request's JSON (or multipart `payload_json`) and its uploaded files."""

    json: Any
    files: dict[str, bytes]
    filenames: dict[str, str]
    query: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)  # from the route's path


@dataclass
class Call:
    """One request the bot made: the route as Discord documents it, what it carried, when,
    and the status the fake answered."""

    route: str
    path: str
    body: Any
    files: dict[str, bytes]
    at: float
    status: int = 0


@dataclass
class Sent:
    """A message the bot made appear: in a channel, as an interaction's answer or follow-up,
    or an edit of one. `message` is that message as it stands now (edits change it)."""

    kind: str  # "message", "interaction", "follow-up", "edit"
    message: dict[str, Any]
    files: dict[str, bytes]
    at: float
    reply_to: str | None = None  # the message it answers (a message reference)
    interaction_id: str | None = None

    @property
    def ephemeral(self) -> bool:
        return bool(self.message.get("flags", 0) & EPHEMERAL)

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.get("embeds") or []

    @property
    def text(self) -> str:
        """The content and every embed's text, for assertions on what a person reads."""
        parts = [self.message.get("content") or ""]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(part for part in parts if part)

    @property
    def components(self) -> list[dict[str, Any]]:
        """Every button and select menu, row after row."""
        rows = self.message.get("components") or []
        return [item for row in rows for item in row.get("components") or []]

    @property
    def custom_ids(self) -> list[str]:
        return [item["custom_id"] for item in self.components if "custom_id" in item]

    def button(self, label: str) -> dict[str, Any]:
        """The first button whose label starts with `label`."""
        return next(b for b in self.components if (b.get("label") or "").startswith(label))

    @property
    def select(self) -> dict[str, Any] | None:
        return next((c for c in self.components if c["type"] == STRING_SELECT), None)


@dataclass
class Upload:
    """A file a person attaches. `told_size` is what Discord announces (default: the real
    size); `voice_seconds` makes it a voice message (a duration and a waveform)."""

    data: bytes
    filename: str
    content_type: str | None = None
    voice_seconds: float | None = None
    told_size: int | None = None
    dimensions: tuple[int, int] | None = None
    chunked: bool = False  # the CDN sends it without a Content-Length


@dataclass
class Guild:
    id: str
    name: str
    channel_id: str
    member_ids: list[str]
    admin_role_id: str  # the role that may manage the server


@dataclass
class InteractionState:
    """An interaction as Discord tracks it: its token, when it was created, how it was
    answered, the message its answer made (the "original"), and its follow-ups."""

    payload: dict[str, Any]
    created: float
    callback_type: int | None = None
    callback_at: float | None = None
    callback_data: dict[str, Any] | None = None
    original: dict[str, Any] | None = None
    follow_ups: list[dict[str, Any]] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)  # (what, Discord's code)

    @property
    def id(self) -> str:
        return self.payload["id"]

    @property
    def answered(self) -> bool:
        return self.callback_type is not None

    @property
    def ephemeral(self) -> bool:
        return bool(((self.callback_data or {}).get("flags") or 0) & EPHEMERAL)


@dataclass
class Failure:
    status: int
    retry_after: float = 0.0
    is_global: bool = False
