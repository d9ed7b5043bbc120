"""The terminal chat: type a feeling, get tracks, rate them with +N / -N.

It goes through the same handlers as the chat platforms; ratings are stored in the same
database, so they persist across runs and shape what comes next.
"""

from __future__ import annotations

import asyncio
import getpass
import re
import sys
from collections.abc import Callable
from typing import TextIO

from moodtune.bot.app import App
from moodtune.config import Settings
from moodtune.handlers.conversation import Conversation
from moodtune.handlers.replies import OfferedTrack, Reply, Sender

HELP = """Type how you feel (in Chinese or English, emoji welcome) and press Enter.
Rate a track of the last answer: +1 (👍 track 1) or -2 (👎 track 2).
/help shows this, /quit (or Ctrl-D) leaves."""
VOTE = re.compile(r"^\s*(?P<sign>[+\-]|👍|👎)\s*(?P<number>\d{1,2})\s*$")


def parse_vote(line: str) -> tuple[int, int] | None:
    """'+1' → (1, +1); '👎 3' → (3, −1); anything else → None."""
    match = VOTE.match(line)
    if not match:
        return None
    value = 1 if match["sign"] in ("+", "👍") else -1
    return int(match["number"]), value


def render(reply: Reply) -> str:
    lines = [reply.text]
    for number, offered in enumerate(reply.tracks, 1):
        lines.extend(_track_lines(number, offered))
    if reply.tracks:
        lines.append("(rate with +N / -N)")
    return "\n".join(lines)


def _track_lines(number: int, offered: OfferedTrack) -> list[str]:
    track = offered.track
    return [
        f"  {number}. {track.title} — {track.artist_line}",
        f"     {offered.why}",
        f"     {track.link}",
    ]


async def chat_loop(
    conversation: Conversation, sender: Sender, read_line: Callable[[], str], out: TextIO
) -> None:
    """Read lines until /quit or end of input; answer each one."""
    last: Reply | None = None
    print(HELP, file=out, flush=True)
    while True:
        try:
            line = await asyncio.to_thread(read_line)
        except EOFError:
            break
        line = line.strip()
        if line in ("/quit", "/exit"):
            break
        if not line:
            continue
        if line == "/help":
            print(HELP, file=out, flush=True)
            continue
        vote = parse_vote(line)
        if vote is None:
            last = await conversation.on_text(sender, line, chat_id="local")
            print(render(last), file=out, flush=True)
            continue
        number, value = vote
        if last is None or not 1 <= number <= len(last.tracks):
            print("There is no track with that number in the last answer.", file=out, flush=True)
            continue
        answer = await conversation.on_feedback(
            sender, last.tracks[number - 1].recommendation_id, value
        )
        print(answer.text, file=out, flush=True)


def _prompted_input() -> str:
    return input("you> ")


async def run_local_chat(
    settings: Settings,
    read_line: Callable[[], str] = _prompted_input,
    out: TextIO = sys.stdout,
) -> None:
    app = await App.open(settings, progress=True)
    try:
        sender = Sender("local", getpass.getuser() or "me", language=None)
        await chat_loop(Conversation(app), sender, read_line, out)
    finally:
        await app.close()
