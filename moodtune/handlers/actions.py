"""What a button press asks for, whatever platform the button was on."""

from __future__ import annotations

from dataclasses import dataclass

from moodtune.emotion import GROUPS

MAX_ID = 2**31 - 1  # offer ids are 32-bit integer keys in the database


class ActionError(ValueError):
    """A button press that asks for something impossible (a vote of 3, an unknown group)."""


def check_offer_id(recommendation_id: int) -> None:
    if not 1 <= recommendation_id <= MAX_ID:
        raise ActionError(f"{recommendation_id} is not the id of an offered track")


@dataclass(frozen=True, slots=True)
class Vote:
    """👍 (+1) or 👎 (−1) on one offered track."""

    recommendation_id: int
    value: int

    def __post_init__(self) -> None:
        if self.value not in (1, -1) or isinstance(self.value, bool):
            raise ActionError(f"a vote is +1 or -1, not {self.value!r}")
        check_offer_id(self.recommendation_id)


@dataclass(frozen=True, slots=True)
class ShowGroups:
    """ "Not how I feel" pressed: offer the 7 mood groups to choose from (a change of the
    buttons only; platforms with menus show the groups at once and never send this)."""

    recommendation_id: int

    def __post_init__(self) -> None:
        check_offer_id(self.recommendation_id)


@dataclass(frozen=True, slots=True)
class Correct:
    """A correction ("that's not how I feel"): the person's own mood group, anchored to a reply."""

    recommendation_id: int
    group: str

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ActionError(f"unknown mood group {self.group!r}")
        check_offer_id(self.recommendation_id)


@dataclass(frozen=True, slots=True)
class Forget:
    """The answer to "erase everything about me?", asked at `asked_at` (Unix seconds)."""

    confirmed: bool
    asked_at: int


@dataclass(frozen=True, slots=True)
class CheckinAnswer:
    """A mood group picked under a daily check-in: the answer to the check-in sent as
    `send_id` (one check-in on one day)."""

    send_id: int
    group: str

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ActionError(f"unknown mood group {self.group!r}")
        if isinstance(self.send_id, bool) or not 1 <= self.send_id <= MAX_ID:
            raise ActionError(f"{self.send_id} is not the id of a sent check-in")


Action = Vote | ShowGroups | Correct | Forget | CheckinAnswer
