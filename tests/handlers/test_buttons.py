"""The core's buttons, whatever platform draws them: their data, which a reply carries,
what a press changes, and the window of events already handled."""

from __future__ import annotations

import numpy as np
import pytest

from moodtune.emotion import GROUPS
from moodtune.handlers.actions import ActionError, Correct, Forget, ShowGroups, Vote
from moodtune.handlers.buttons import (
    MAX_BYTES,
    ButtonDataError,
    Press,
    decode,
    encode,
    keyboard_for,
    with_groups,
    with_vote,
    without_corrections,
)
from moodtune.handlers.replies import Choice, Keyboard, OfferedTrack, Reply
from moodtune.handlers.seen_events import SeenEvents
from moodtune.recommender.tracks import TrackInfo

BIGGEST_TELEGRAM_USER = str(2**52)  # Telegram user ids fit in 52 bits
BIGGEST_SNOWFLAKE = str(2**64 - 1)  # Discord ids are 64-bit
BIGGEST_OFFER = 2**31 - 1  # the database's integer keys


@pytest.mark.parametrize("owner", [BIGGEST_TELEGRAM_USER, BIGGEST_SNOWFLAKE, "alice_01"])
@pytest.mark.parametrize(
    "action",
    [
        Vote(BIGGEST_OFFER, 1),
        Vote(7, -1),
        ShowGroups(BIGGEST_OFFER),
        *(Correct(BIGGEST_OFFER, group) for group in GROUPS),
        Forget(True, 99_999_999_999),
        Forget(False, 1_700_000_000),
    ],
)
def test_button_data_round_trips_within_the_smallest_platform_limit(
    owner: str, action: object
) -> None:
    data = encode(owner, action)  # type: ignore[arg-type]
    assert len(data.encode()) <= MAX_BYTES == 64  # Telegram's, the smallest
    assert decode(data, 64) == Press(owner, action)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        None, 42, b"v:1:2:u", "", "v", "v:1:2", "v:1:2:x", "v:-1:2:u", "v:1:0:u", "c:1:2:7",
        "c:1:0:3", "n:1:0", "f:1:2:maybe", "v:1:2:u ", " v:1:2:u", "v:1:2:u\n", "x:1:2:u",
        "v:1:" + "9" * 40 + ":u", "v:１:2:u", "v:1:2:u:extra", "c:1:2:sadness",
        f"v:1:{2**31}:u", "n:1:99999999999", "v:" + "a" * 33 + ":2:u", "v:a:b:2:u",
        "v:<script>:2:u", "v:1:2:u" + "x" * 200,
    ],
)  # fmt: skip
def test_forged_button_data_is_refused(data: object) -> None:
    with pytest.raises(ButtonDataError):
        decode(data)


def test_data_over_a_platforms_limit_is_refused() -> None:
    data = encode(BIGGEST_SNOWFLAKE, Forget(True, 99_999_999_999))
    assert decode(data, 100).owner == BIGGEST_SNOWFLAKE
    with pytest.raises(ButtonDataError):
        decode(data, len(data.encode()) - 1)


def test_impossible_actions_cannot_be_made() -> None:
    with pytest.raises(ActionError):
        Vote(3, 2)
    with pytest.raises(ActionError):
        Vote(3, True)
    with pytest.raises(ActionError):
        Correct(3, "bliss")
    with pytest.raises(ActionError):
        ShowGroups(0)


def track(number: int) -> OfferedTrack:
    info = TrackInfo(number, "Song", ("Artist",), np.ones(21) / 21, link="https://example.org")
    return OfferedTrack(100 + number, info, "fits your joy")


def labels(keyboard: Keyboard) -> list[list[str]]:
    return [[b.label for b in row] for row in keyboard]


def test_which_buttons_a_reply_carries_and_what_presses_change() -> None:
    keyboard = keyboard_for(Reply("mood", (track(1), track(2))), "55", "en")
    assert labels(keyboard) == [["👍 1", "👎 1"], ["👍 2", "👎 2"], ["🙅 Not how I feel"]]
    presses = [decode(b.data) for row in keyboard for b in row]
    assert {p.owner for p in presses} == {"55"}
    assert [p.action for p in presses] == [
        Vote(101, 1), Vote(101, -1), Vote(102, 1), Vote(102, -1), ShowGroups(101),
    ]  # fmt: skip
    voted = with_vote(keyboard, 101, -1)
    assert labels(voted)[0] == ["👍 1", "👎 1 ✓"]
    assert labels(with_vote(voted, 101, 1))[0] == ["👍 1 ✓", "👎 1"]
    assert labels(with_vote(voted, 101, -1)) == labels(voted)  # the same thumb again
    opened = with_groups(voted, "55", 101, "zh")
    assert [b for row in labels(opened)[2:] for b in row] == [
        "😄 乐", "🥰 好", "😠 怒", "😢 哀", "😨 惧", "😒 恶", "😮 惊",
    ]  # fmt: skip
    assert {decode(b.data).action for row in opened[2:] for b in row} == {
        Correct(101, group) for group in GROUPS
    }
    assert labels(without_corrections(opened)) == [["👍 1", "👎 1 ✓"], ["👍 2", "👎 2"]]


def test_replies_without_tracks_carry_only_their_choices() -> None:
    assert keyboard_for(Reply("no tracks"), "55", "en") == ()
    asked = Reply("sure?", choices=(Choice("Yes", Forget(True, 1)), Choice("No", Forget(False, 1))))
    assert labels(keyboard_for(asked, "55", "en")) == [["Yes", "No"]]


def test_seen_events_remember_a_bounded_window_per_platform() -> None:
    seen = SeenEvents(size=3)
    firsts = [seen.first_time("telegram", i) for i in ("1", "2", "1", "3", "4")]
    assert firsts == [True, True, False, True, True]
    assert seen.first_time("discord", "4")  # another platform's event 4
    assert seen.first_time("telegram", "1")  # forgotten: only the last 3 are kept
    assert not seen.first_time("discord", "4")
