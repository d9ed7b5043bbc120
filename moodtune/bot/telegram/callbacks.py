"""Callback data for inline buttons: short, typed, and checked on the way back in.

Telegram allows 64 bytes per button, and a modified client can send any bytes it likes,
so every press is parsed strictly. Each carries the Telegram id of the person the reply
was for (its owner), so a press by anyone else in a group is refused before it reaches
the handlers — which check again that the offer belongs to the presser.

    v:<owner>:<offer>:u|d        👍 / 👎 on an offered track
    n:<owner>:<offer>            "not how I feel": show the 7 groups
    c:<owner>:<offer>:<0..6>     the group the person says they feel
    f:<owner>:<asked_at>:y|n     the answer to /forget
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moodtune.emotion import GROUPS
from moodtune.handlers.actions import Action, ActionError, Correct, Forget, Vote, check_offer_id

MAX_BYTES = 64
GROUP_CODES = tuple(GROUPS)  # a group travels as its index: short and fixed
_PATTERN = re.compile(
    r"(?:v:(?P<v_owner>\d{1,20}):(?P<v_offer>\d{1,10}):(?P<v_value>[ud])"
    r"|n:(?P<n_owner>\d{1,20}):(?P<n_offer>\d{1,10})"
    r"|c:(?P<c_owner>\d{1,20}):(?P<c_offer>\d{1,10}):(?P<c_group>[0-6])"
    r"|f:(?P<f_owner>\d{1,20}):(?P<f_asked>\d{1,12}):(?P<f_answer>[yn]))",
    re.ASCII,  # \d is 0-9 only, not every digit Unicode knows
)


class CallbackDataError(ValueError):
    """Button data that moodtune did not make (forged, truncated, or from an old version)."""


@dataclass(frozen=True, slots=True)
class ShowGroups:
    """Expand "not how I feel" into the 7 group buttons (Telegram-only, no handler call)."""

    recommendation_id: int

    def __post_init__(self) -> None:
        check_offer_id(self.recommendation_id)


@dataclass(frozen=True, slots=True)
class Press:
    owner: int
    action: Action | ShowGroups


def encode(owner: int, action: Action | ShowGroups) -> str:
    match action:
        case Vote(offer, value):
            data = f"v:{owner}:{offer}:{'u' if value > 0 else 'd'}"
        case ShowGroups(offer):
            data = f"n:{owner}:{offer}"
        case Correct(offer, group):
            data = f"c:{owner}:{offer}:{GROUP_CODES.index(group)}"
        case Forget(confirmed, asked_at):
            data = f"f:{owner}:{asked_at}:{'y' if confirmed else 'n'}"
    if len(data.encode()) > MAX_BYTES or not _PATTERN.fullmatch(data):
        raise CallbackDataError(f"cannot encode {action!r} for {owner} in {MAX_BYTES} bytes")
    return data


def decode(data: object) -> Press:
    """The press a button's data stands for; CallbackDataError for anything else."""
    if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
        raise CallbackDataError("button data is missing or too long")
    match = _PATTERN.fullmatch(data)
    if match is None:
        raise CallbackDataError("button data has an unknown shape")
    kind = data[0]
    field = match.groupdict()
    owner = int(field[f"{kind}_owner"])
    try:
        if kind == "v":
            vote = 1 if field["v_value"] == "u" else -1
            return Press(owner, Vote(int(field["v_offer"]), vote))
        if kind == "n":
            return Press(owner, ShowGroups(int(field["n_offer"])))
        if kind == "c":
            group = GROUP_CODES[int(field["c_group"])]
            return Press(owner, Correct(int(field["c_offer"]), group))
        return Press(owner, Forget(field["f_answer"] == "y", int(field["f_asked"])))
    except ActionError as error:
        raise CallbackDataError(str(error)) from None
