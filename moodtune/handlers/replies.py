"""What handlers return: platform-neutral replies that any adapter can render."""

from __future__ import annotations

from dataclasses import dataclass

from moodtune.emotion_engines.reading import Reading
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
class Reply:
    text: str
    tracks: tuple[OfferedTrack, ...] = ()
    reading: Reading | None = None
    ok: bool = True  # False: the person's input could not be used; `text` says why
