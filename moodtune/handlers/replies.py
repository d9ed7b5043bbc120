"""What handlers return: platform-neutral replies that any adapter can render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from moodtune.emotion_engines.reading import Reading
from moodtune.handlers.actions import Action
from moodtune.recommender.tracks import TrackInfo


@dataclass(frozen=True, slots=True)
class Sender:
    """Who wrote: the platform, their id there, and what we know of their language."""

    platform: str
    user_id: str
    display_name: str = ""
    language: str | None = None


ChatKind = Literal["private", "group"]


@dataclass(frozen=True, slots=True)
class Chat:
    """Where a message was written: a private chat with the bot, or a group (a Telegram
    group or supergroup, a Discord server channel, a room of the terminal chat)."""

    platform: str
    chat_id: str
    kind: ChatKind = "private"
    title: str = ""

    @property
    def is_group(self) -> bool:
        return self.kind == "group"


@dataclass(frozen=True, slots=True)
class OfferedTrack:
    """A track in a reply; `recommendation_id` is what a 👍 / 👎 refers to."""

    recommendation_id: int
    track: TrackInfo
    why: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file that goes with a reply: the /mood chart (PNG), the /export (JSON)."""

    filename: str
    data: bytes
    media_type: str

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


@dataclass(frozen=True, slots=True)
class Choice:
    """A button under a reply (e.g. confirm /forget); `keys` are words that choose it where
    people type instead of pressing (the terminal, the web chat): "yes", "no"."""

    label: str
    action: Action
    keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Button:
    """One button as every platform shows it: a label, and the data sent back on a press
    (made and read by moodtune.handlers.buttons)."""

    label: str
    data: str
    keys: tuple[str, ...] = ()  # typed words that press it (lower case), see Choice


Keyboard = tuple[tuple[Button, ...], ...]  # rows of buttons, top to bottom


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer. The core fills in `buttons` before a connector sees it: 👍 / 👎 per
    track, "not how I feel" under a mood with tracks (a correction refers to the first
    track's offer), then the choices; connectors draw them in their platform's idiom."""

    text: str
    tracks: tuple[OfferedTrack, ...] = ()
    reading: Reading | None = None  # what this message said
    ok: bool = True  # False: the person's input could not be used; `text` says why
    attachment: Attachment | None = None
    choices: tuple[Choice, ...] = ()
    buttons: Keyboard = ()
    mood: Reading | None = None  # the mood the tracks follow (this message's, or earlier)

    @property
    def correctable(self) -> bool:
        return bool(self.tracks)


@dataclass(frozen=True, slots=True)
class PressOutcome:
    """What a button press changes, for the connector to show: a short notice to the
    presser (a toast, an ephemeral message; `alert` asks for a dialog), the pressed
    message's new buttons or new text, and a new message in the chat (a correction's
    tracks). None everywhere: nothing to show (a repeated or refused press, handled)."""

    notice: str | None = None
    alert: bool = False
    buttons: Keyboard | None = None
    text: str | None = None
    follow_up: Reply | None = None
