"""What handlers return: platform-neutral replies that any adapter can render."""

from __future__ import annotations

from dataclasses import dataclass

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
    """A button under a reply (e.g. confirm /forget); adapters send its action back."""

    label: str
    action: Action


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer. Adapters add 👍 / 👎 to each track, and "not how I feel" under a mood
    that has tracks (a correction refers to the first track's recommendation)."""

    text: str
    tracks: tuple[OfferedTrack, ...] = ()
    reading: Reading | None = None
    ok: bool = True  # False: the person's input could not be used; `text` says why
    attachment: Attachment | None = None
    choices: tuple[Choice, ...] = ()

    @property
    def correctable(self) -> bool:
        return bool(self.tracks)
