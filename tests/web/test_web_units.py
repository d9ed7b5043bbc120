"""The web connector's parts on their own: the person cookie, frames, rendering, the
listening and origin rules, the settings."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from web_harness import web_settings

from moodtune.bot.web.chat import browser_language
from moodtune.bot.web.identity import SECRET_FILE, PersonCookie, cookie_secret
from moodtune.bot.web.protocol import FrameError, PressFrame, TextFrame, parse_frame
from moodtune.bot.web.render import buttons_view, reply_view, safe_link
from moodtune.bot.web.security import check_listen, is_loopback
from moodtune.emotion import EmotionVector
from moodtune.emotion_engines.reading import Reading
from moodtune.errors import ConfigurationError
from moodtune.handlers.actions import Forget
from moodtune.handlers.buttons import keyboard_for, with_vote
from moodtune.handlers.mood_text import confidence_line, mood_lines
from moodtune.handlers.replies import Choice, OfferedTrack, Reply
from moodtune.recommender.tracks import TrackInfo

SECRET = b"s" * 48


def test_a_cookie_carries_its_person_and_nothing_else_passes() -> None:
    cookie = PersonCookie(SECRET)
    person = cookie.new_person()
    assert person.isdigit() and len(person) == 16
    value = cookie.value_for(person)
    assert cookie.person_of(value) == person
    tampered = [
        None, "", value + "x", value[:-1], f"{int(person) + 1}.{value.split('.')[1]}",
        PersonCookie(b"t" * 48).value_for(person), person, "0" * 16 + "." + "A" * 43,
    ]  # fmt: skip
    assert [cookie.person_of(v) for v in tampered] == [None] * len(tampered)
    assert len({PersonCookie.new_person() for _ in range(1000)}) == 1000


def test_the_cookie_secret_is_made_once_kept_private_and_shared(tmp_path: Path) -> None:
    settings = web_settings(tmp_path / "data")
    with ThreadPoolExecutor(8) as pool:  # several processes starting at once agree
        secrets = set(pool.map(lambda _: cookie_secret(settings), range(8)))
    assert len(secrets) == 1 and len(secrets.pop()) >= 32
    path = tmp_path / "data" / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(tmp_path / "data") == [SECRET_FILE]  # no drafts left behind
    path.write_text("short\n")
    with pytest.raises(ConfigurationError, match="delete it"):
        cookie_secret(settings)
    chosen = web_settings(tmp_path, web_cookie_secret="x" * 40)
    assert cookie_secret(chosen) == b"x" * 40
    with pytest.raises(ConfigurationError, match="at least 32"):
        PersonCookie(b"too short")


def test_frames_are_read_strictly() -> None:
    assert parse_frame('{"type": "text", "id": "a1", "text": "hi"}') == TextFrame("a1", "hi")
    press = parse_frame(
        '{"type": "press", "id": "b", "data": "v:1:2:u",'
        ' "buttons": [[{"label": "👍 1", "data": "v:1:2:u"}]]}'
    )
    assert isinstance(press, PressFrame) and press.buttons[0][0].label == "👍 1"
    too_many_rows = '{"type": "press", "id": "a", "data": "d", "buttons": ' + "[[]," * 16 + "[]]}"
    for raw in ("", "x" * 70_000, "null", too_many_rows, '{"type": "text", "id": "' + "a" * 65):
        with pytest.raises(FrameError):
            parse_frame(raw)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("en-GB", "en-GB"),
        ("", None),
        (None, None),
        ("<script>", None),
        ("*", None),
    ],
)
def test_browser_language(header: str | None, language: str | None) -> None:
    assert browser_language(header) == language


def test_only_web_links_become_links() -> None:
    assert safe_link(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,hi", "//x", ""):
        assert safe_link(bad) is None


def _reply() -> tuple[Reply, Reading]:
    vector = EmotionVector.from_scores({"NB": 0.7, "PE": 0.3})
    reading = Reading(vector, 0.6, (), "text", "lexicon")
    track = TrackInfo(1, "<b>Title</b>", ("A",), np.zeros(21, np.float32), link="javascript:x")
    offered = (OfferedTrack(11, track, "fits"), OfferedTrack(12, track, "fits"))
    text = "\n".join([*mood_lines(vector, "en"), confidence_line(0.6, "en"), "Tracks for you:"])
    return Reply(text, offered, reading), reading


def test_a_reply_is_data_with_its_votes_beside_their_tracks() -> None:
    reply, _ = _reply()
    reply = Reply(reply.text, reply.tracks, reply.reading, buttons=keyboard_for(reply, "7", "en"))
    view = reply_view(reply, "en")
    assert view["text"] == "Tracks for you:"  # the mood lines are drawn as bars instead
    assert [bar["name"] for bar in view["mood"]["bars"]] == ["sorrow", "ease"]
    assert view["tracks"][0]["title"] == "<b>Title</b>" and view["tracks"][0]["link"] is None
    assert set(view["buttons"]["by_offer"]) == {"11", "12"}
    assert [[b["kind"] for b in row] for row in view["buttons"]["rows"]] == [["groups"]]
    voted = buttons_view(with_vote(reply.buttons, 12, -1))
    assert [b["chosen"] for b in voted["by_offer"]["12"]] == [False, True]
    assert len(voted["keyboard"]) == 3  # as the page sends it back on the next press


def test_a_reply_in_chinese_keeps_its_own_lines() -> None:
    _, reading = _reply()
    text = "\n".join(
        ["谢谢告诉我", *mood_lines(reading.vector, "zh"), confidence_line(0.6, "zh"), "给你的歌："]
    )
    view = reply_view(Reply(text, (), reading), "zh")
    assert view["text"] == "谢谢告诉我\n给你的歌：" and view["mood"]["bars"][0]["name"] == "悲伤"


def test_a_reply_without_a_mood_keeps_its_words_and_choices() -> None:
    reply = Reply("Erase it all?", choices=(Choice("Yes", Forget(True, 5)),))
    view = reply_view(Reply(reply.text, buttons=keyboard_for(reply, "7", "en")), "en")
    assert view["mood"] is None and view["text"] == "Erase it all?"
    assert [[b["kind"] for b in row] for row in view["buttons"]["rows"]] == [["forget"]]


def test_listening_beyond_loopback_needs_the_setting(tmp_path: Path) -> None:
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.5"):
        assert is_loopback(host)
        check_listen(web_settings(tmp_path, web_host=host))
    for host in ("0.0.0.0", "::", "192.168.1.20", "example.org"):
        with pytest.raises(ConfigurationError, match="MOODTUNE_WEB_ALLOW_REMOTE=true"):
            check_listen(web_settings(tmp_path, web_host=host))
        check_listen(web_settings(tmp_path, web_host=host, web_allow_remote=True))


def test_the_public_origin_setting_is_an_origin(tmp_path: Path) -> None:
    assert web_settings(tmp_path, web_origin="https://Chat.Example.org/").web_origin == (
        "https://chat.example.org"
    )
    for bad in ("chat.example.org", "https://chat.example.org/path", "ftp://x", "https://a b"):
        with pytest.raises(ValidationError):
            web_settings(tmp_path, web_origin=bad)
