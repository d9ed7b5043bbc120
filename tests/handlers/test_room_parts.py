"""A group playlist's parts: the room's vote buttons, and the room's mood chart."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from moodtune.emotion import EmotionVector
from moodtune.handlers.actions import ShowGroups, Vote
from moodtune.handlers.buttons import ButtonDataError, Press, decode, encode, room_keyboard
from moodtune.handlers.replies import OfferedTrack, Reply
from moodtune.handlers.room_chart import (
    dominant_group,
    render_room_chart,
    room_counts,
    room_line,
)
from moodtune.recommender.tracks import TrackInfo


def test_a_room_vote_has_no_owner_and_round_trips() -> None:
    assert encode(None, Vote(12, 1)) == "g:12:u"
    assert encode(None, Vote(2**31 - 1, -1)) == f"g:{2**31 - 1}:d"
    assert decode("g:12:u") == Press(None, Vote(12, 1))
    assert decode("g:7:d") == Press(None, Vote(7, -1))
    assert decode("v:42:12:u") == Press("42", Vote(12, 1))  # a person's vote is unchanged


@pytest.mark.parametrize(
    "data", ["g:0:u", "g:12:x", "g::u", "g:12", "g:12:u:9", "g:-1:u", "g:99999999999:u",
             "g:１２:u", "G:12:u", None, 12],
)  # fmt: skip
def test_forged_room_votes_are_refused(data: object) -> None:
    with pytest.raises(ButtonDataError):
        decode(data)


def test_only_a_vote_can_be_anyones_to_press() -> None:
    with pytest.raises(ButtonDataError, match="only a vote"):
        encode(None, ShowGroups(3))


def test_the_room_keyboard_is_thumbs_only() -> None:
    track = TrackInfo(1, "T", ("A",), np.full(21, 1 / 21))
    reply = Reply("x", (OfferedTrack(5, track, "for Ann"), OfferedTrack(6, track, "for Bo")))
    keyboard = room_keyboard(reply)
    assert [[b.label for b in row] for row in keyboard] == [["👍 1", "👎 1"], ["👍 2", "👎 2"]]
    assert [[b.data for b in row] for row in keyboard] == [["g:5:u", "g:5:d"], ["g:6:u", "g:6:d"]]
    assert all(len(b.data.encode()) <= 64 for row in keyboard for b in row)


def test_the_rooms_counts_and_line() -> None:
    sad = EmotionVector.from_scores({"NB": 0.7, "PF": 0.3}).values
    joy = EmotionVector.from_scores({"PA": 1.0}).values
    assert dominant_group(sad) == "sadness" and dominant_group(joy) == "happiness"
    counts = room_counts([sad, sad, joy])
    assert counts["sadness"] == 2 and counts["happiness"] == 1 and sum(counts.values()) == 3
    assert room_line(counts, "en") == "😢 sadness 2 · 😄 happiness 1"
    assert room_line(counts, "zh") == "😢 哀 2 · 😄 乐 1"
    assert room_line(room_counts([]), "en") == ""


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_room_chart_is_a_png(language: str) -> None:
    png = render_room_chart({"sadness": 2, "fear": 1}, language)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (600, 320)
    empty = Image.open(io.BytesIO(render_room_chart({}, language)))
    assert empty.size == (600, 320)
