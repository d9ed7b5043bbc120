"""The Telegram connector's parts on their own: rendering, retries, sizes, redaction."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from moodtune.bot.redaction import REDACTED, redact_tokens
from moodtune.bot.telegram.delivery import ATTEMPTS, deliver, with_retries
from moodtune.bot.telegram.media import check_size
from moodtune.bot.telegram.render import fit, keyboard_json, keyboard_of, markup_of, reply_html
from moodtune.handlers.buttons import keyboard_for
from moodtune.handlers.incoming import FileTooBigError
from moodtune.handlers.replies import OfferedTrack, Reply
from moodtune.recommender.tracks import TrackInfo

pytestmark = pytest.mark.filterwarnings(  # RetryAfter warns about its future type
    "ignore::telegram.warnings.PTBDeprecationWarning"
)


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


def test_the_cores_buttons_as_json_and_as_ptb_objects_and_back() -> None:
    keyboard = keyboard_for(Reply("mood", (track(1), track(2))), "55", "en")
    json_form = keyboard_json(keyboard)
    assert json_form is not None and set(json_form) == {"inline_keyboard"}
    rows = json_form["inline_keyboard"]
    assert [[b["text"] for b in row] for row in rows] == [
        ["👍 1", "👎 1"], ["👍 2", "👎 2"], ["🙅 Not how I feel"],
    ]  # fmt: skip
    assert all(set(b) == {"text", "callback_data"} for row in rows for b in row)
    markup = markup_of(keyboard)
    assert isinstance(markup, InlineKeyboardMarkup)
    assert keyboard_of(markup) == keyboard  # what a press hands back to the core
    assert keyboard_json(()) is None and markup_of(()) is None and keyboard_of(None) == ()
    with_link = InlineKeyboardMarkup(
        [[InlineKeyboardButton("site", url="https://example.org")], *markup.inline_keyboard]
    )
    assert keyboard_of(with_link) == keyboard  # buttons that are not the core's are left out


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
