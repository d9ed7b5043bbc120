"""The terminal chat end to end: real engines, the bundled catalog, a SQLite database."""

from __future__ import annotations

import io
import re

import pytest

from moodtune.bot.local.chat import parse_vote, run_local_chat
from moodtune.config import get_settings


def lines(*typed: str):
    queue = list(typed)

    def read_line() -> str:
        if not queue:
            raise EOFError
        return queue.pop(0)

    return read_line


async def chat(*typed: str) -> str:
    out = io.StringIO()
    await run_local_chat(get_settings(), lines(*typed), out)
    return out.getvalue()


def offered_titles(text: str) -> list[str]:
    return re.findall(r"^\s+\d+\. (.+?) — ", text, flags=re.MULTILINE)


@pytest.mark.parametrize(
    ("line", "vote"),
    [
        ("+1", (1, 1)),
        ("-3", (3, -1)),
        ("👍 2", (2, 1)),
        ("👎4", (4, -1)),
        ("+", None),
        ("hi", None),
    ],
)
def test_parse_vote(line: str, vote: tuple[int, int] | None) -> None:
    assert parse_vote(line) == vote


async def test_feel_get_tracks_rate_and_ratings_persist_across_runs() -> None:
    first = await chat("I feel lonely and sad tonight", "-1", "-1", "+2", "/quit")
    titles = offered_titles(first)
    assert len(titles) == 5
    assert "Noted 👎" in first and "Noted 👍" in first
    disliked = titles[0]
    # A new run (new process state, same database): the disliked track never comes back,
    # even for the very same feeling and after the repeat window.
    second = await chat("I feel lonely and sad tonight", "I feel lonely and sad tonight")
    assert disliked not in offered_titles(second)
    assert not set(offered_titles(second)) & set(titles)  # no repeats within the window


async def test_bad_lines_get_clear_answers() -> None:
    out = await chat("+1", "   ", "Привет как дела", "+9", "/help")
    assert "no track with that number" in out
    assert out.count("Type how you feel") == 2
    assert "Traceback" not in out


async def test_commands_and_forget_with_confirmation() -> None:
    out = await chat("I feel calm tonight", "+1", "/mode lift", "/export", "/forget", "2",
                     "/forget", "1", "/export", "/mode sideways")  # fmt: skip
    assert "Mode set to lift" in out
    assert '"format": "moodtune-export/1"' in out and '"value": 1' in out
    assert out.count("[1] Yes, erase everything") == 2
    assert "Nothing was erased." in out
    assert "Done: I erased everything about you" in out
    assert out.rstrip().endswith("Use /mode auto, /mode match or /mode lift.")
    assert "I store nothing about you." in out  # the second /export, after forgetting
