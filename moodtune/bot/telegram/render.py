"""A Reply as Telegram shows it: HTML with track links, and the inline buttons under it."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from moodtune.handlers.replies import Button, Keyboard, OfferedTrack, Reply

MAX_TEXT = 4000  # Telegram's limit is 4096 characters after parsing; keep a margin
MAX_CAPTION = 1000  # 1024 for photo and document captions


def fit(text: str, limit: int) -> str:
    """`text` escaped for HTML and cut to `limit` characters, never inside an entity."""
    escaped = html.escape(text, quote=False)
    if len(escaped) <= limit:
        return escaped
    raw = text[:limit]
    while len(html.escape(raw, quote=False)) > limit - 1:
        raw = raw[: len(raw) * 9 // 10]
    return html.escape(raw, quote=False) + "…"


def _link(url: str) -> str | None:
    return url if url.startswith(("https://", "http://")) and len(url) <= 2000 else None


def track_html(number: int, offered: OfferedTrack) -> str:
    track = offered.track
    title = html.escape(track.title, quote=False)
    url = _link(track.link)
    if url:
        title = f'<a href="{html.escape(url, quote=True)}">{title}</a>'
    artists = html.escape(track.artist_line, quote=False)
    return f"{number}. {title} — {artists}\n    <i>{html.escape(offered.why, quote=False)}</i>"


def reply_html(reply: Reply, limit: int = MAX_TEXT) -> str:
    """The reply's words, then each track with its link, within Telegram's length limit."""
    text = fit(reply.text, limit)
    for number, offered in enumerate(reply.tracks, 1):
        line = track_html(number, offered)
        if len(text) + len(line) + 1 > limit:
            break
        text += "\n" + line
    return text


def keyboard_json(buttons: Keyboard) -> dict[str, list[list[dict[str, str]]]] | None:
    """The core's buttons as the Bot API takes them (JSON): every reply has some, so no
    python-telegram-bot objects are built for them on the hot path."""
    rows = [[{"text": b.label, "callback_data": b.data} for b in row] for row in buttons]
    return {"inline_keyboard": rows} if rows else None


def markup_of(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """The same buttons as python-telegram-bot objects, for its typed sends and edits."""
    rows = [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons]
    return InlineKeyboardMarkup(rows) if rows else None


def keyboard_of(markup: InlineKeyboardMarkup | None) -> Keyboard:
    """The buttons a message carries, as the core knows them (buttons without data, such as
    links, are not the core's and are left out)."""
    if markup is None:
        return ()
    rows = (
        tuple(Button(b.text, b.callback_data) for b in row if isinstance(b.callback_data, str))
        for row in markup.inline_keyboard
    )
    return tuple(row for row in rows if row)
