"""The terminal chat: type a feeling, get tracks, rate them with +N / -N.

A connector like the others: each line becomes a neutral Message (or, for +N / -N, a
number or a typed "yes", a press of the button it names) for the conversation core, and
what comes back is printed. Ratings are stored in the same database, so they persist
across runs. Photos and voice notes are read from a path: `/photo ~/me.jpg what a day`.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import itertools
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from moodtune.bot.app import App
from moodtune.config import Settings
from moodtune.handlers.actions import Vote
from moodtune.handlers.buttons import action_of
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.incoming import (
    FetchError,
    FileTooBigError,
    Media,
    Message,
    Press,
    parse_command,
)
from moodtune.handlers.replies import (
    Button,
    Chat,
    Keyboard,
    OfferedTrack,
    PressOutcome,
    Reply,
    Sender,
)

HELP = """Type how you feel (in Chinese or English, emoji welcome) and press Enter.
Rate a track of the last answer: +1 (👍 track 1) or -2 (👎 track 2).
Other buttons show as [1], [2]…: type the number (or yes / no where offered).
/photo PATH [caption] and /voice PATH [caption] read a photo or a voice note from a file.
/mode auto|match|lift, /mood, /export, /forget and /privacy work as on Telegram.
/help shows this, /quit (or Ctrl-D) leaves."""
CHOICE = re.compile(r"^\s*(\d{1,2})\s*$")
VOTE = re.compile(r"^\s*(?P<sign>[+\-]|👍|👎)\s*(?P<number>\d{1,2})\s*$")
MEDIA_COMMANDS = {"photo": "photo", "voice": "voice"}
HISTORY_LINES = 1000


def parse_vote(line: str) -> tuple[int, int] | None:
    """'+1' → (1, +1); '👎 3' → (3, −1); anything else → None."""
    match = VOTE.match(line)
    if not match:
        return None
    value = 1 if match["sign"] in ("+", "👍") else -1
    return int(match["number"]), value


class Screen:
    """What the person sees last: the tracks +N / -N refer to, and the buttons a number
    (or a typed word) presses. The core says what a press changes; this keeps it."""

    def __init__(self) -> None:
        self.tracks: tuple[OfferedTrack, ...] = ()
        self.track_buttons: Keyboard = ()  # the buttons of the message with the tracks
        self.options: Keyboard = ()  # the other buttons: "not how I feel", choices, groups
        self.options_of_tracks = False  # whether `options` belong to the tracks' message

    def show(self, reply: Reply) -> None:
        if reply.tracks:
            self.tracks, self.track_buttons = reply.tracks, reply.buttons
        options = _options(reply.buttons)
        if options or reply.tracks:
            self.options, self.options_of_tracks = options, bool(reply.tracks)

    def vote_button(self, number: int, value: int) -> Button | None:
        if not 1 <= number <= len(self.tracks):
            return None
        wanted = Vote(self.tracks[number - 1].recommendation_id, value)
        return next((b for row in self.track_buttons for b in row if action_of(b) == wanted), None)

    def option(self, line: str) -> Button | None:
        flat = [b for row in self.options for b in row]
        choice = CHOICE.match(line)
        if choice and 1 <= int(choice[1]) <= len(flat):
            return flat[int(choice[1]) - 1]
        word = line.strip().lower()
        return next((b for b in flat if word in b.keys), None)

    def buttons_of(self, button: Button) -> Keyboard:
        """The buttons of the message `button` is on (what the press hands the core)."""
        if any(button in row for row in self.track_buttons):
            return self.track_buttons
        return self.options

    def pressed(self, button: Button, outcome: PressOutcome) -> None:
        if outcome.buttons is None:
            return
        if any(button in row for row in self.track_buttons) or self.options_of_tracks:
            self.track_buttons = outcome.buttons
            self.options = _options(outcome.buttons)
        else:
            self.options = outcome.buttons


def _options(buttons: Keyboard) -> Keyboard:
    return tuple(row for row in buttons if not all(isinstance(action_of(b), Vote) for b in row))


def render(reply: Reply, screen: Screen | None = None) -> str:
    lines = [reply.text]
    for number, offered in enumerate(reply.tracks, 1):
        lines.extend(_track_lines(number, offered))
    if reply.tracks:
        lines.append("(rate with +N / -N)")
    if reply.attachment is not None:
        if reply.attachment.is_image:  # a terminal shows no pictures; the words say the gist
            lines.append("(the chart itself is shown on Telegram, Discord and the web chat)")
        else:
            lines.append(reply.attachment.data.decode("utf-8", errors="replace"))
    lines.extend(_option_lines(_options(reply.buttons)))
    return "\n".join(lines)


def _option_lines(options: Keyboard) -> list[str]:
    flat = [b for row in options for b in row]
    lines = [f"  [{number}] {button.label}" for number, button in enumerate(flat, 1)]
    if flat:
        lines.append("(type the number of your answer)")
    return lines


def _track_lines(number: int, offered: OfferedTrack) -> list[str]:
    track = offered.track
    return [
        f"  {number}. {track.title} — {track.artist_line}",
        f"     {offered.why}",
        f"     {track.link}",
    ]


class LocalChat:
    """One person in the terminal, talking to the core."""

    def __init__(self, handlers: Handlers, sender: Sender, out: TextIO) -> None:
        self.handlers = handlers
        self.sender = sender
        self.chat = Chat("local", sender.user_id, "private", "terminal")
        self.out = out
        self.screen = Screen()
        self._events = itertools.count(1)

    def print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def on_line(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if line == "/help":
            self.print(HELP)
            return
        button = self._button_for(line)
        if button is not None:
            await self._press(button)
            return
        if parse_vote(line) is not None:
            self.print("There is no track with that number in the last answer.")
            return
        message = self._message(line)
        if isinstance(message, str):
            self.print(message)
            return
        reply = await self.handlers.on_message(message)
        if reply is not None:
            self.screen.show(reply)
            self.print(render(reply))

    def _button_for(self, line: str) -> Button | None:
        vote = parse_vote(line)
        if vote is not None:
            return self.screen.vote_button(*vote)
        return self.screen.option(line)

    async def _press(self, button: Button) -> None:
        press = Press(
            self._event(), self.sender, self.chat, button.data, self.screen.buttons_of(button)
        )
        outcome = await self.handlers.on_press(press)
        self.screen.pressed(button, outcome)
        shown = [text for text in (outcome.notice, outcome.text) if text]
        if outcome.buttons is not None and not shown and outcome.follow_up is None:
            shown.extend(_option_lines(self.screen.options))
        if shown:
            self.print("\n".join(shown))
        if outcome.follow_up is not None:
            self.screen.show(outcome.follow_up)
            self.print(render(outcome.follow_up))

    def _message(self, line: str) -> Message | str:
        """The line as a neutral message, or a sentence saying why it cannot be one."""
        command = parse_command(line)
        if command is not None and command[0] in MEDIA_COMMANDS:
            return self._media_message(MEDIA_COMMANDS[command[0]], line)
        return Message(self._event(), self.sender, self.chat, line, command=command)

    def _media_message(self, kind: str, line: str) -> Message | str:
        rest = line.split(maxsplit=1)[1] if len(line.split(maxsplit=1)) > 1 else ""
        try:
            words = shlex.split(rest)
        except ValueError as error:  # an unclosed quote
            return f"I could not read that path: {error}."
        if not words:
            return f"Give a file: /{kind} PATH [caption]"
        path = Path(words[0]).expanduser()
        caption = rest[rest.find(words[0]) + len(words[0]) :].strip().strip("'\"").strip()
        if not path.is_file():
            return f"There is no file at {path}."
        media = Media(kind, path.stat().st_size, _reader(path))  # type: ignore[arg-type]
        return Message(self._event(), self.sender, self.chat, caption or None, media)

    def _event(self) -> str:
        return str(next(self._events))


def _reader(path: Path) -> Callable[[int], asyncio.Future[bytes]]:
    async def read(limit: int) -> bytes:
        try:
            data = await asyncio.to_thread(_read_at_most, path, limit + 1)
        except OSError as error:
            raise FetchError(f"cannot read {path}: {error.strerror}") from None
        if len(data) > limit:
            raise FileTooBigError(None, limit)
        return data

    return read  # type: ignore[return-value]


def _read_at_most(path: Path, size: int) -> bytes:
    with path.open("rb") as file:
        return file.read(size)


async def chat_loop(chat: LocalChat, read_line: Callable[[], str]) -> None:
    """Read lines until /quit or end of input; answer each one."""
    chat.print(HELP)
    while True:
        try:
            line = await asyncio.to_thread(read_line)
        except EOFError:
            break
        if line.strip() in ("/quit", "/exit"):
            break
        await chat.on_line(line)


def local_sender() -> Sender:
    """The person at this terminal: their login name, reduced to what button data carries."""
    name = re.sub(r"[^0-9A-Za-z_]", "_", getpass.getuser() or "me")[:32] or "me"
    return Sender("local", name, language=None)


def line_editing(history: Path) -> Callable[[], str]:
    """`input` with line editing and a history kept across runs, when this is a terminal
    (GNU readline also reads a long paste whole: a terminal's own line buffer stops at
    4,095 characters)."""
    if not sys.stdin.isatty():
        return _prompted_input
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input still works
        return _prompted_input
    history.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # the first run: no history yet
        readline.read_history_file(history)
    readline.set_history_length(HISTORY_LINES)

    def read() -> str:
        line = _prompted_input()
        with contextlib.suppress(OSError):  # a read-only data dir: history lasts this run
            readline.write_history_file(history)
        return line

    return read


def _prompted_input() -> str:
    return input("you> ")


async def run_local_chat(
    settings: Settings,
    read_line: Callable[[], str] | None = None,
    out: TextIO = sys.stdout,
) -> None:
    app = await App.open(settings, progress=True)
    try:
        reader = read_line or line_editing(settings.data_dir / "chat_history")
        await chat_loop(LocalChat(Handlers(app), local_sender(), out), reader)
    finally:
        await app.close()
