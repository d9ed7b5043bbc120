"""What the page sends over the WebSocket, read strictly: anything can arrive there.

Frames are JSON objects, one per WebSocket text message:

    {"type": "text",  "id": ID, "text": "I feel calm"}          words, or a /command
    {"type": "press", "id": ID, "data": DATA, "buttons": ROWS}    a button under a reply

ID is the page's id for the message (letters, digits, _ and -); ROWS are the buttons the
pressed reply shows now, as the server sent them:
[[{"label": ..., "data": ..., "keys": [...]}, ...], ...].
Files do not travel here but as an HTTP upload (moodtune.bot.web.uploads).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from moodtune.handlers.replies import Button, Keyboard

MAX_FRAME_BYTES = 64 * 1024  # 4,000 characters of Chinese are 12 KB; buttons are small
MAX_ROWS = 16
MAX_BUTTONS_PER_ROW = 8
MAX_LABEL_CHARS = 80
MAX_DATA_CHARS = 100
MAX_KEYS = 8  # words that press a button where people type (see Button.keys)
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class FrameError(ValueError):
    """A frame the page should never send: not JSON, an unknown type, a missing field."""


@dataclass(frozen=True, slots=True)
class TextFrame:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class PressFrame:
    id: str
    data: str
    buttons: Keyboard


Frame = TextFrame | PressFrame


def message_id(value: object) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise FrameError("a message id is 1-64 letters, digits, _ or -")
    return value


def parse_frame(raw: str) -> Frame:
    """The frame in `raw`; FrameError saying what is wrong with it."""
    if len(raw) > MAX_FRAME_BYTES:
        raise FrameError("the frame is too long")
    try:
        body = json.loads(raw)
    except ValueError:
        raise FrameError("the frame is not JSON") from None
    if not isinstance(body, dict):
        raise FrameError("the frame is not a JSON object")
    kind = body.get("type")
    if kind == "text":
        text = body.get("text")
        if not isinstance(text, str):
            raise FrameError("a text frame needs its text")
        return TextFrame(message_id(body.get("id")), text)
    if kind == "press":
        data = body.get("data")
        if not isinstance(data, str) or not 0 < len(data) <= MAX_DATA_CHARS:
            raise FrameError("a press frame needs the button's data")
        return PressFrame(message_id(body.get("id")), data, keyboard(body.get("buttons", [])))
    raise FrameError("unknown frame type")


def keyboard(rows: Any) -> Keyboard:
    """Buttons sent back by the page: the shape the server sends, within its sizes."""
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        raise FrameError("buttons are a short list of rows")
    return tuple(_row(row) for row in rows)


def _row(row: Any) -> tuple[Button, ...]:
    if not isinstance(row, list) or len(row) > MAX_BUTTONS_PER_ROW:
        raise FrameError("a row of buttons is a short list")
    return tuple(_button(button) for button in row)


def _button(button: Any) -> Button:
    if not isinstance(button, dict):
        raise FrameError("a button is an object")
    label, data, keys = button.get("label"), button.get("data"), button.get("keys", [])
    if not isinstance(label, str) or not isinstance(data, str):
        raise FrameError("a button has a label and data")
    if len(label) > MAX_LABEL_CHARS or len(data) > MAX_DATA_CHARS:
        raise FrameError("a button's label or data is too long")
    if (
        not isinstance(keys, list)
        or len(keys) > MAX_KEYS
        or not all(isinstance(key, str) and len(key) <= MAX_LABEL_CHARS for key in keys)
    ):
        raise FrameError("a button's keys are a few short words")
    return Button(label, data, tuple(keys))
