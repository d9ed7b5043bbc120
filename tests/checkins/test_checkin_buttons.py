"""A check-in answer's button data: compact, anyone's to press, strictly parsed."""

from __future__ import annotations

import pytest

from moodtune.emotion import GROUPS
from moodtune.handlers.actions import MAX_ID, ActionError, CheckinAnswer, Vote
from moodtune.handlers.buttons import (
    MAX_BYTES,
    ButtonDataError,
    checkin_buttons,
    decode,
    encode,
)


@pytest.mark.parametrize("group", list(GROUPS))
def test_every_answer_round_trips_within_telegrams_64_bytes(group: str) -> None:
    answer = CheckinAnswer(MAX_ID, group)
    data = encode(None, answer)
    assert len(data.encode()) <= MAX_BYTES
    press = decode(data)
    assert press.action == answer and press.owner is None


def test_a_check_in_button_is_anyones_and_other_buttons_are_their_owners() -> None:
    assert decode(encode(None, CheckinAnswer(7, "fear"))).owner is None
    assert decode(encode("101", Vote(7, 1))).owner == "101"


def test_the_keyboard_is_seven_groups_four_to_a_row() -> None:
    keyboard = checkin_buttons(42, "zh")
    assert [len(row) for row in keyboard] == [4, 3]
    labels = [button.label for row in keyboard for button in row]
    assert labels[3] == "😢 哀"
    assert [decode(b.data).action for row in keyboard for b in row] == [
        CheckinAnswer(42, group) for group in GROUPS
    ]


@pytest.mark.parametrize(
    "data",
    ["k:1:7", "k:1:-1", "k:0:1", f"k:{MAX_ID + 1}:1", "k:12345678901:1", "k:1", "k::1",
     "k:1:2:3", "k:*:1:2", "k:101:1:2", "k:١:1", " k:1:1", "k:1:1 ", "K:1:1", "k:1:1\n",
     "k:+1:1", "k:1.0:1", "", 17, None, b"k:1:1", "k:" + "9" * 200 + ":1"],
)  # fmt: skip
def test_forged_or_broken_answers_are_refused(data: object) -> None:
    with pytest.raises(ButtonDataError):
        decode(data)


@pytest.mark.parametrize(
    ("send_id", "group"), [(0, "fear"), (MAX_ID + 1, "fear"), (True, "fear"), (1, "calm"), (1, "")]
)
def test_impossible_answers_are_not_made(send_id: int, group: str) -> None:
    with pytest.raises(ActionError):
        CheckinAnswer(send_id, group)
