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
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.replies import OfferedTrack, Reply, Sender

HELP = """Type how you feel (in Chinese or English, emoji welcome) and press Enter.
Rate a track of the last answer: +1 (👍 track 1) or -2 (👎 track 2).
/mode auto|match|lift, /mood, /export, /forget and /privacy work as on Telegram.
/help shows this, /quit (or Ctrl-D) leaves."""
CHOICE = re.compile(r"^\s*(\d)\s*$")
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
    if reply.attachment is not None:
        if reply.attachment.is_image:  # a terminal shows no pictures; the words say the gist
            lines.append("(the chart itself is shown on Telegram)")
        else:
            lines.append(reply.attachment.data.decode("utf-8", errors="replace"))
    for number, choice in enumerate(reply.choices, 1):
        lines.append(f"  [{number}] {choice.label}")
    if reply.choices:
        lines.append("(type the number of your answer)")
    return "\n".join(lines)


def _track_lines(number: int, offered: OfferedTrack) -> list[str]:
    track = offered.track
    return [
        f"  {number}. {track.title} — {track.artist_line}",
        f"     {offered.why}",
        f"     {track.link}",
    ]


async def chat_loop(
    handlers: Handlers, sender: Sender, read_line: Callable[[], str], out: TextIO
) -> None:
    """Read lines until /quit or end of input; answer each one."""
    last: Reply | None = None  # the last answer with tracks: what +N / -N refer to
    asked: Reply | None = None  # the last answer with choices: what a number picks
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
        answer = await _answer(handlers, sender, line, last, asked)
        if answer.tracks:
            last = answer
        asked = answer if answer.choices else None
        print(render(answer), file=out, flush=True)


async def _answer(
    handlers: Handlers, sender: Sender, line: str, last: Reply | None, asked: Reply | None
) -> Reply:
    choice = CHOICE.match(line)
    if asked is not None and choice and 1 <= int(choice[1]) <= len(asked.choices):
        return await handlers.on_action(sender, asked.choices[int(choice[1]) - 1].action)
    if line.startswith("/"):
        name, *args = line[1:].split()
        return await handlers.commands.run(sender, name, args) if name else Reply(HELP)
    vote = parse_vote(line)
    if vote is None:
        return await handlers.conversation.on_text(sender, line, chat_id="local")
    number, value = vote
    if last is None or not 1 <= number <= len(last.tracks):
        return Reply("There is no track with that number in the last answer.", ok=False)
    offer = last.tracks[number - 1].recommendation_id
    return await handlers.conversation.on_feedback(sender, offer, value)


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
        await chat_loop(Handlers(app), sender, read_line, out)
    finally:
        await app.close()
