"""The buttons under a reply: which ones it carries, how each one's action travels, and what
a press changes on them. Connectors only draw them and send their data back.

A button's data is a short string, checked strictly on the way back in: a modified client
can send anything, and platforms cap its size (Telegram 64 bytes, Discord 100; see
`platforms.py`). Each carries the id of the person the reply was for (its owner), so a
press by anyone else in a group is refused before it reaches the handlers, which check
again that the offer belongs to the presser.

    v:<owner>:<offer>:u|d        👍 / 👎 on an offered track
    n:<owner>:<offer>            "not how I feel": show the 7 groups
    c:<owner>:<offer>:<0..6>     the group the person says they feel
    f:<owner>:<asked_at>:y|n     the answer to /forget
    g:<room offer>:u|d           👍 / 👎 on a group playlist's track: no owner, any member
                                 of the chat may press it (handlers/playlists.py)
    k:<send>:<0..6>              the mood group picked under a daily check-in: no
                                 owner either, the handler checks who may answer
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from moodtune.emotion import GROUPS
from moodtune.handlers.actions import (
    Action,
    ActionError,
    CheckinAnswer,
    Correct,
    Forget,
    ShowGroups,
    Vote,
)
from moodtune.handlers.messages import group_label, say
from moodtune.handlers.replies import Button, Keyboard, Reply

MAX_BYTES = 64  # the smallest limit of any platform (Telegram); Discord allows 100
GROUP_CODES = tuple(GROUPS)  # a group travels as its index: short and fixed
GROUPS_PER_ROW = 4
VOTED = " ✓"
_OWNER = r"[0-9A-Za-z_]{1,32}"  # ids: digits (Telegram, Discord, web) or a name (local)
_PATTERN = re.compile(
    rf"(?:v:(?P<v_owner>{_OWNER}):(?P<v_offer>\d{{1,10}}):(?P<v_value>[ud])"
    rf"|n:(?P<n_owner>{_OWNER}):(?P<n_offer>\d{{1,10}})"
    rf"|c:(?P<c_owner>{_OWNER}):(?P<c_offer>\d{{1,10}}):(?P<c_group>[0-6])"
    rf"|f:(?P<f_owner>{_OWNER}):(?P<f_asked>\d{{1,12}}):(?P<f_answer>[yn])"
    rf"|g:(?P<g_offer>\d{{1,10}}):(?P<g_value>[ud])"
    rf"|k:(?P<k_send>\d{{1,10}}):(?P<k_group>[0-6]))",
    re.ASCII,  # \d is 0-9 only, not every digit Unicode knows
)


class ButtonDataError(ValueError):
    """Button data that moodtune did not make (forged, truncated, or from an old version)."""


@dataclass(frozen=True, slots=True)
class Press:
    """What a button's data stands for: whose reply it was under (None: a group playlist's
    track or a check-in, anyone in the chat may press it), and the action."""

    owner: str | None
    action: Action


def action_of(button: Button) -> Action | None:
    """The action behind a button, None for one moodtune did not make."""
    try:
        return decode(button.data).action
    except ButtonDataError:
        return None


def encode(owner: str | None, action: Action, max_bytes: int = MAX_BYTES) -> str:
    """The data of a button; `owner` None only for a vote on a group playlist's track."""
    match action:
        case CheckinAnswer(send_id, group):  # anyone asked may answer: no owner
            data = f"k:{send_id}:{GROUP_CODES.index(group)}"
        case Vote(offer, value) if owner is None:
            data = f"g:{offer}:{'u' if value > 0 else 'd'}"
        case _ if owner is None:
            raise ButtonDataError(f"only a vote or a check-in's answer is anyone's, not {action!r}")
        case Vote(offer, value):
            data = f"v:{owner}:{offer}:{'u' if value > 0 else 'd'}"
        case ShowGroups(offer):
            data = f"n:{owner}:{offer}"
        case Correct(offer, group):
            data = f"c:{owner}:{offer}:{GROUP_CODES.index(group)}"
        case Forget(confirmed, asked_at):
            data = f"f:{owner}:{asked_at}:{'y' if confirmed else 'n'}"
        case CheckinAnswer(send_id, group):
            data = f"k:{send_id}:{GROUP_CODES.index(group)}"
    if len(data.encode()) > max_bytes or not _PATTERN.fullmatch(data):
        raise ButtonDataError(f"cannot encode {action!r} for {owner} in {max_bytes} bytes")
    return data


def decode(data: object, max_bytes: int = 100) -> Press:
    """The press a button's data stands for; ButtonDataError for anything else."""
    if not isinstance(data, str) or len(data.encode()) > max_bytes:
        raise ButtonDataError("button data is missing or too long")
    match = _PATTERN.fullmatch(data)
    if match is None:
        raise ButtonDataError("button data has an unknown shape")
    kind = data[0]
    field = match.groupdict()
    try:
        if kind == "g":
            return Press(None, Vote(int(field["g_offer"]), 1 if field["g_value"] == "u" else -1))
        if kind == "k":
            group = GROUP_CODES[int(field["k_group"])]
            return Press(None, CheckinAnswer(int(field["k_send"]), group))
        owner = field[f"{kind}_owner"]
        if kind == "v":
            vote = 1 if field["v_value"] == "u" else -1
            return Press(owner, Vote(int(field["v_offer"]), vote))
        if kind == "n":
            return Press(owner, ShowGroups(int(field["n_offer"])))
        if kind == "c":
            group = GROUP_CODES[int(field["c_group"])]
            return Press(owner, Correct(int(field["c_offer"]), group))
        if kind == "k":
            group = GROUP_CODES[int(field["k_group"])]
            return Press(owner, CheckinAnswer(int(field["k_send"]), group))
        return Press(owner, Forget(field["f_answer"] == "y", int(field["f_asked"])))
    except ActionError as error:
        raise ButtonDataError(str(error)) from None


def _button(label: str, owner: str | None, action: Action, keys: tuple[str, ...] = ()) -> Button:
    return Button(label, encode(owner, action), keys)


def keyboard_for(reply: Reply, owner: str, language: str) -> Keyboard:
    """👍 / 👎 per track, "not how I feel" under a mood with tracks, then any choices."""
    rows: list[tuple[Button, ...]] = [
        (
            _button(f"👍 {number}", owner, Vote(offered.recommendation_id, 1)),
            _button(f"👎 {number}", owner, Vote(offered.recommendation_id, -1)),
        )
        for number, offered in enumerate(reply.tracks, 1)
    ]
    if reply.correctable:
        anchor = ShowGroups(reply.tracks[0].recommendation_id)
        rows.append((_button(say("not_how_i_feel", language), owner, anchor),))
    if reply.choices:
        rows.append(tuple(_button(c.label, owner, c.action, c.keys) for c in reply.choices))
    return tuple(rows)


def room_keyboard(reply: Reply) -> Keyboard:
    """👍 / 👎 per track of a group playlist, for any member of the chat to press (each
    vote counts for the one who pressed). No "not how I feel": the room has no one mood."""
    return tuple(
        (
            _button(f"👍 {number}", None, Vote(offered.recommendation_id, 1)),
            _button(f"👎 {number}", None, Vote(offered.recommendation_id, -1)),
        )
        for number, offered in enumerate(reply.tracks, 1)
    )


def group_buttons(owner: str, recommendation_id: int, language: str) -> tuple[Button, ...]:
    """The 7 mood groups, each a correction anchored to the reply's first offer."""
    return tuple(
        _button(group_label(group, language), owner, Correct(recommendation_id, group))
        for group in GROUP_CODES
    )


Row = tuple[Button, ...]


def _rebuild(keyboard: Keyboard, change: Callable[[Row], Sequence[Row]]) -> Keyboard:
    return tuple(new for row in keyboard for new in change(row))


def _marked(button: Button, recommendation_id: int, value: int) -> Button:
    action = action_of(button)
    if not isinstance(action, Vote) or action.recommendation_id != recommendation_id:
        return button
    label = button.label.removesuffix(VOTED) + (VOTED if action.value == value else "")
    return Button(label, button.data, button.keys)


def with_vote(keyboard: Keyboard, recommendation_id: int, value: int) -> Keyboard:
    """The same buttons, with ✓ on the thumb now chosen for that track (and only there)."""
    return _rebuild(
        keyboard, lambda row: [tuple(_marked(b, recommendation_id, value) for b in row)]
    )


def with_groups(keyboard: Keyboard, owner: str, recommendation_id: int, language: str) -> Keyboard:
    """The "not how I feel" button opened up into the 7 groups to choose from."""
    groups = group_buttons(owner, recommendation_id, language)
    group_rows = [groups[i : i + GROUPS_PER_ROW] for i in range(0, len(groups), GROUPS_PER_ROW)]

    def expand(row: tuple[Button, ...]) -> Sequence[tuple[Button, ...]]:
        opens = any(action_of(button) == ShowGroups(recommendation_id) for button in row)
        return group_rows if opens else [row]

    return _rebuild(keyboard, expand)


def without_corrections(keyboard: Keyboard) -> Keyboard:
    """The buttons minus "not how I feel" and the groups (a correction was made)."""

    def keep(row: tuple[Button, ...]) -> list[tuple[Button, ...]]:
        corrective = any(isinstance(action_of(b), Correct | ShowGroups) for b in row)
        return [] if corrective else [row]

    return _rebuild(keyboard, keep)


def checkin_buttons(send_id: int, language: str) -> Keyboard:
    """The 7 mood groups under a check-in, four to a row; anyone in the chat may answer."""
    buttons = tuple(
        _button(group_label(group, language), None, CheckinAnswer(send_id, group))
        for group in GROUP_CODES
    )
    return tuple(buttons[i : i + GROUPS_PER_ROW] for i in range(0, len(buttons), GROUPS_PER_ROW))
