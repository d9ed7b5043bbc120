"""A Reply as Discord components and embeds, checked against Discord's limits as the fake
Discord checks them: the core's buttons within 5 rows of 5, the groups menu, texts cut to
fit, markdown shown as written, links only where they are links."""

from __future__ import annotations

import numpy as np
import pytest
from discord_limits import check_message

from moodtune.bot.discord.components import GROUPS, VOTES, Menu, language_of, layout, view_of
from moodtune.bot.discord.render import render_reply
from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.reading import Reading
from moodtune.handlers.buttons import decode, keyboard_for, room_keyboard, with_vote
from moodtune.handlers.replies import Button, OfferedTrack, Reply
from moodtune.recommender.tracks import TrackInfo


def track(number: int, title: str = "Song", link: str = "https://example.org/t") -> OfferedTrack:
    info = TrackInfo(number, f"{title} {number}", ("An Artist",), np.zeros(21), link=link)
    return OfferedTrack(1000 + number, info, "close to your mood")


def reply_with(tracks: int, language: str = "en", text: str = "😢 sorrow ▰▰▰▱ 40%") -> Reply:
    reading = Reading(EmotionVector.from_scores({"NB": 1.0}), 0.8, modality="text")
    reply = Reply(text, tuple(track(n) for n in range(1, tracks + 1)), reading)
    return Reply(reply.text, reply.tracks, reading, buttons=keyboard_for(reply, "42", language))


def payload(reply: Reply) -> dict[str, object]:
    rendered = render_reply(reply)
    view = rendered.view
    return {
        "content": rendered.content,
        "embeds": [embed.to_dict() for embed in rendered.embeds],
        "components": view.to_components() if view else [],
    }


@pytest.mark.parametrize("tracks", [1, 3, 5, 10])
def test_the_buttons_of_any_number_of_tracks_fit_in_discords_rows(tracks: int) -> None:
    body = payload(reply_with(tracks))
    check_message(body, {})  # what the fake Discord (and Discord) would refuse
    rows = body["components"]
    assert isinstance(rows, list) and len(rows) <= 5
    select = rows[-1]["components"][0]
    assert select["type"] == 3 and select["custom_id"].startswith(GROUPS)


def test_five_tracks_give_a_row_of_thumbs_up_above_a_row_of_thumbs_down() -> None:
    keyboard = reply_with(5).buttons
    laid = layout(keyboard)
    assert [b.label for b in laid[0]] == [f"👍 {n}" for n in range(1, 6)]  # type: ignore[union-attr]
    assert [b.label for b in laid[1]] == [f"👎 {n}" for n in range(1, 6)]  # type: ignore[union-attr]
    assert isinstance(laid[2], Menu) and laid[2].custom_id.startswith(GROUPS)
    read_back = (*laid[:2], (Button(laid[2].placeholder, laid[2].custom_id[len(GROUPS) :]),))
    assert layout(read_back) == laid  # as Discord gives it back, it stays as it is
    marked = with_vote(read_back, 1002, 1)  # the core marks a vote on the read-back rows
    assert marked[0][1].label == "👍 2 ✓"


def test_a_playlist_of_20_tracks_gets_a_thumbs_up_menu_and_a_thumbs_down_menu() -> None:
    playlist = Reply("for the room", tuple(track(n) for n in range(1, 21)))
    keyboard = room_keyboard(playlist)
    laid = layout(keyboard)
    assert len(laid) == 2 and all(isinstance(row, Menu) for row in laid)
    ups, downs = laid  # type: ignore[misc]
    assert [b.label for b in ups.options] == [f"👍 {n}" for n in range(1, 21)]
    assert downs.placeholder == "👎 …" and ups.custom_id == VOTES + ups.options[0].data
    body = payload(Reply(playlist.text, playlist.tracks, buttons=keyboard))
    check_message(body, {})
    embeds = body["embeds"]
    assert isinstance(embeds, list) and len(embeds) == 2  # the tracks as lines: 20 > 9 cards
    lines = embeds[1]["description"].splitlines()
    assert len(lines) == 20 and lines[0].startswith("1. [Song 1](https://example.org/t)")
    # Read back as the options they offer, a vote marked, drawn again: the same menus.
    read_back = (ups.options, downs.options)
    again = layout(with_vote(read_back, 1003, -1))
    assert [b.label for b in again[1].options][2] == "👎 3 ✓"  # type: ignore[union-attr]


def test_the_groups_menu_follows_the_language_of_not_how_i_feel() -> None:
    rows = payload(reply_with(2, "zh"))["components"]
    select = rows[-1]["components"][0]  # type: ignore[index]
    assert select["placeholder"] == "🙅 不是这种感觉"
    assert [o["label"] for o in select["options"]][3] == "😢 哀"
    corrections = [decode(o["value"]).action for o in select["options"]]
    assert {c.recommendation_id for c in corrections} == {1001}  # type: ignore[union-attr]
    assert language_of(Button("something else", "x")) == "en"


def test_long_texts_are_cut_to_discords_limits_and_markdown_is_shown_as_written() -> None:
    huge = Reply("**bold** " + "x" * 9000, tuple(track(n, "T*" * 300) for n in range(1, 6)),
                 Reading(EmotionVector.from_scores({"PA": 1.0}), 0.9, modality="text"))  # fmt: skip
    body = payload(huge)
    check_message(body, {})
    embeds = body["embeds"]
    assert isinstance(embeds, list)
    assert embeds[0]["description"].startswith("\\*\\*bold\\*\\*")
    assert all(len(e.get("title", "")) <= 256 for e in embeds)
    plain = payload(Reply("x" * 5000))
    check_message(plain, {})
    assert len(str(plain["content"])) == 2000 and str(plain["content"]).endswith("…")


def test_a_link_that_is_no_web_link_is_left_out() -> None:
    reading = Reading(EmotionVector.from_scores({"PE": 1.0}), 0.7, modality="text")
    reply = Reply("calm", (track(1, link="javascript:alert(1)"), track(2)), reading)
    embeds = payload(reply)["embeds"]
    assert "url" not in embeds[1] and embeds[2]["url"] == "https://example.org/t"  # type: ignore[index]


def test_no_buttons_no_components() -> None:
    assert view_of(()) is None
    assert payload(Reply("Nothing was erased."))["components"] == []
