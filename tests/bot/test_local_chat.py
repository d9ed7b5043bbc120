"""The terminal chat end to end: real engines, the bundled catalog, a SQLite database."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

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


async def test_photos_and_voice_notes_by_path_with_a_caption(tmp_path: Path) -> None:
    from media_samples import astronaut_jpeg, spoken_note

    photo = tmp_path / "me and you.jpg"
    photo.write_bytes(astronaut_jpeg())
    note = tmp_path / "note.ogg"
    note.write_bytes(spoken_note("I am so happy today, everything is wonderful."))
    out = await chat(f'/photo "{photo}" what a day', f"/voice {note}", "/photo nowhere.jpg",
                     "/voice", f"/photo {tmp_path}")  # fmt: skip
    assert len(offered_titles(out)) == 10  # both answered with five tracks
    assert "📝 words" in out and "🖼 photo" in out  # the caption was read with the photo
    assert "There is no file at nowhere.jpg." in out
    assert "Give a file: /voice PATH [caption]" in out
    assert f"There is no file at {tmp_path}." in out


async def test_votes_name_the_track_and_corrections_work() -> None:
    out = await chat("I feel lonely and sad tonight", "+1", "1", "1")
    first = offered_titles(out)[0]
    assert f"Noted 👍 “{first}”" in out
    assert "[1] 🙅 Not how I feel" in out
    assert "[1] 😄 happiness" in out and "[7] 😮 surprise" in out
    assert "Thanks for telling me: you feel happiness." in out
    assert len(offered_titles(out)) == 10  # the correction answered with new tracks


async def test_yes_and_no_answer_a_choice() -> None:
    out = await chat("I feel calm", "/forget", "no", "/forget", "yes", "/export")
    assert "Nothing was erased." in out
    assert "Done: I erased everything about you" in out
    assert out.rstrip().endswith("I store nothing about you.")


async def test_a_long_paste_is_read_whole() -> None:
    long = ("I feel calm and happy today. " * 150).strip()  # ~4,300 characters
    out = await chat(long)
    assert f"That message is {len(long):,} characters long; I read at most 4,000." in out


def test_the_chat_as_a_person_types_it_through_a_pipe(tmp_path: Path) -> None:
    """`printf '/photo PATH what a day\n/quit\n' | moodtune chat`, as a real process."""
    from media_samples import astronaut_jpeg

    photo = tmp_path / "me.jpg"
    photo.write_bytes(astronaut_jpeg())
    moodtune = Path(sys.executable).with_name("moodtune")
    env = {**os.environ, "MOODTUNE_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [str(moodtune), "chat"], input=f"/photo {photo} what a day\n-1\n/quit\n", env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Tracks for you:" in done.stdout and "🖼 photo" in done.stdout
    assert "Noted 👎" in done.stdout and "Traceback" not in done.stderr
