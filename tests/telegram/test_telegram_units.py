"""The Telegram adapter's parts on their own: button data, rendering, retries, redaction."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from moodtune.bot.redaction import REDACTED, redact_tokens
from moodtune.bot.telegram.callbacks import (
    MAX_BYTES,
    CallbackDataError,
    Press,
    ShowGroups,
    decode,
    encode,
)
from moodtune.bot.telegram.delivery import ATTEMPTS, deliver, with_retries
from moodtune.bot.telegram.handlers import SeenUpdates
from moodtune.bot.telegram.media import FileTooBigError, check_size
from moodtune.bot.telegram.render import (
    fit,
    keyboard,
    reply_html,
    reply_markup,
    with_groups,
    with_vote,
    without_corrections,
)
from moodtune.emotion import GROUPS
from moodtune.handlers.actions import ActionError, Correct, Forget, Vote
from moodtune.handlers.replies import Choice, OfferedTrack, Reply
from moodtune.recommender.tracks import TrackInfo

pytestmark = pytest.mark.filterwarnings(  # RetryAfter warns about its future type
    "ignore::telegram.warnings.PTBDeprecationWarning"
)
BIGGEST_USER = 2**52  # Telegram user ids fit in 52 bits
BIGGEST_OFFER = 2**31 - 1  # the database's integer keys


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
def test_button_data_round_trips_within_64_bytes(action: object) -> None:
    data = encode(BIGGEST_USER, action)  # type: ignore[arg-type]
    assert len(data.encode()) <= MAX_BYTES
    assert decode(data) == Press(BIGGEST_USER, action)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        None, 42, "", "v", "v:1:2", "v:1:2:x", "v:-1:2:u", "v:1:0:u", "c:1:2:7", "c:1:0:3",
        "n:1:0", "f:1:2:maybe", "v:1:2:u ", " v:1:2:u", "v:1:2:u\n", "x:1:2:u",
        "v:1:" + "9" * 40 + ":u", "v:１:2:u", "v:1:2:u:extra", "c:1:2:sadness",
        f"v:1:{2**31}:u", "n:1:99999999999",
    ],
)  # fmt: skip
def test_forged_button_data_is_refused(data: object) -> None:
    with pytest.raises(CallbackDataError):
        decode(data)


def test_impossible_actions_cannot_be_made() -> None:
    with pytest.raises(ActionError):
        Vote(3, 2)
    with pytest.raises(ActionError):
        Vote(3, True)
    with pytest.raises(ActionError):
        Correct(3, "bliss")
    with pytest.raises(ActionError):
        ShowGroups(0)


def track(number: int, title: str = "Song", link: str = "https://example.org/s") -> OfferedTrack:
    info = TrackInfo(number, title, ("Artist & Co",), np.ones(21) / 21, link=link)
    return OfferedTrack(100 + number, info, "fits your joy")


def test_reply_html_escapes_and_links_only_web_urls() -> None:
    reply = Reply(
        "I <3 you & more",
        (track(1, "<b>Bold</b>"), track(2, "Plain", "javascript:alert(1)")),
    )
    html = reply_html(reply)
    assert html.startswith("I &lt;3 you &amp; more\n")
    assert (
        '1. <a href="https://example.org/s">&lt;b&gt;Bold&lt;/b&gt;</a> — Artist &amp; Co' in html
    )
    assert "2. Plain — Artist" in html and "javascript" not in html


def test_fit_cuts_long_text_without_breaking_entities() -> None:
    text = "a&b<c>" * 2000
    cut = fit(text, 100)
    assert len(cut) <= 100 and cut.endswith("…")
    assert not cut.rstrip("…").endswith(("&", "&a", "&am", "&amp", "&l", "&lt", "&g", "&gt"))
    many = Reply("x" * 3990, tuple(track(n) for n in range(1, 6)))
    assert len(reply_html(many)) <= 4000


def test_buttons_under_a_reply_and_their_updates() -> None:
    reply = Reply("mood", (track(1), track(2)))
    markup = reply_markup(reply, 55, "en")
    assert markup is not None
    labels = [[b.text for b in row] for row in markup.inline_keyboard]
    assert labels == [["👍 1", "👎 1"], ["👍 2", "👎 2"], ["🙅 Not how I feel"]]
    voted = with_vote(markup, 101, -1)
    assert [b.text for b in voted.inline_keyboard[0]] == ["👍 1", "👎 1 ✓"]
    assert [b.text for b in with_vote(voted, 101, 1).inline_keyboard[0]] == ["👍 1 ✓", "👎 1"]
    opened = with_groups(voted, 55, 101, "zh")
    groups = [b.text for row in opened.inline_keyboard[2:] for b in row]
    assert groups == ["😄 乐", "🥰 好", "😠 怒", "😢 哀", "😨 惧", "😒 恶", "😮 惊"]
    closed = without_corrections(opened)
    assert [[b.text for b in row] for row in closed.inline_keyboard] == [
        ["👍 1", "👎 1 ✓"], ["👍 2", "👎 2"],
    ]  # fmt: skip
    assert reply_markup(Reply("no tracks"), 55, "en") is None
    choices = Reply("sure?", choices=(Choice("Yes", Forget(True, 1)),))
    only = reply_markup(choices, 55, "en")
    assert isinstance(only, InlineKeyboardMarkup) and only.inline_keyboard[0][0].text == "Yes"


def test_the_keyboard_as_json_is_what_the_bot_api_takes() -> None:
    json_form = keyboard(Reply("mood", (track(1), track(2))), 55, "en")
    assert json_form is not None and set(json_form) == {"inline_keyboard"}
    rows = json_form["inline_keyboard"]
    assert [[b["text"] for b in row] for row in rows] == [
        ["👍 1", "👎 1"], ["👍 2", "👎 2"], ["🙅 Not how I feel"],
    ]  # fmt: skip
    assert all(set(b) == {"text", "callback_data"} for row in rows for b in row)
    presses = [decode(b["callback_data"]) for row in rows for b in row]
    assert {p.owner for p in presses} == {55}
    assert [p.action for p in presses[:2]] == [Vote(101, 1), Vote(101, -1)]
    assert keyboard(Reply("no tracks"), 55, "en") is None


def failing(*errors: Exception) -> tuple[list[int], object]:
    calls: list[int] = []

    async def call() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "sent"

    return calls, call


async def test_server_errors_and_flood_waits_are_retried() -> None:
    calls, call = failing(NetworkError("Bad Gateway"), RetryAfter(0), NetworkError("500"))
    assert await with_retries(call) == "sent"  # type: ignore[arg-type]
    assert len(calls) == 4


async def test_refusals_timeouts_and_endless_failures_are_given_up() -> None:
    for error in (BadRequest("Chat not found"), Forbidden("blocked by the user"), TimedOut()):
        calls, call = failing(error)
        assert await deliver(call) is None  # type: ignore[arg-type]
        assert len(calls) == 1
    calls, call = failing(*[NetworkError("down")] * ATTEMPTS)
    assert await deliver(call) is None  # type: ignore[arg-type]
    assert len(calls) == ATTEMPTS
    calls, call = failing(RetryAfter(3600))
    assert await deliver(call) is None  # type: ignore[arg-type]
    assert len(calls) == 1


def test_file_sizes_are_checked_before_download() -> None:
    check_size(None, 10)
    check_size(10, 10)
    with pytest.raises(FileTooBigError, match=r"25\.0 MB; the limit is 20 MB"):
        check_size(25 * 1024 * 1024, 20 * 1024 * 1024)


def test_seen_updates_remember_a_bounded_window() -> None:
    seen = SeenUpdates(size=3)
    assert [seen.first_time(i) for i in (1, 2, 1, 3, 4)] == [True, True, False, True, True]
    assert seen.first_time(1)  # forgotten: only the last 3 are kept
    assert not seen.first_time(4)


def test_tokens_are_redacted_from_every_record(caplog: pytest.LogCaptureFixture) -> None:
    token = "999:very-secret-token"
    redact_tokens(token)
    redact_tokens(token)  # twice is harmless
    log = logging.getLogger("some.library")
    with caplog.at_level(logging.DEBUG):
        log.debug("GET https://api.telegram.org/bot%s/getMe", token)
        try:
            raise ValueError(f"bad {token}")
        except ValueError:
            log.exception("failed")
    assert token not in caplog.text
    assert caplog.text.count(REDACTED) >= 2
