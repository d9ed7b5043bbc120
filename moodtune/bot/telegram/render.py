"""A Reply as Telegram shows it: HTML with track links, and the inline buttons under it."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from moodtune.bot.telegram.callbacks import (
    GROUP_CODES,
    CallbackDataError,
    ShowGroups,
    decode,
    encode,
)
from moodtune.handlers.actions import Action, Correct, Vote
from moodtune.handlers.messages import group_label, say
from moodtune.handlers.replies import OfferedTrack, Reply

MAX_TEXT = 4000  # Telegram's limit is 4096 characters after parsing; keep a margin
MAX_CAPTION = 1000  # 1024 for photo and document captions
VOTED = " ✓"
GROUPS_PER_ROW = 4
Row = list[InlineKeyboardButton]
Button = dict[str, str]
Keyboard = dict[str, list[list[Button]]]


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


def _button(label: str, owner: int, action: Action | ShowGroups) -> Button:
    return {"text": label, "callback_data": encode(owner, action)}


def keyboard(reply: Reply, owner: int, language: str) -> Keyboard | None:
    """👍 / 👎 per track, "not how I feel" under a mood with tracks, then any choices: as
    the Bot API takes it (JSON). Every reply has one, so no PTB objects are built for it."""
    rows = [
        [
            _button(f"👍 {number}", owner, Vote(offered.recommendation_id, 1)),
            _button(f"👎 {number}", owner, Vote(offered.recommendation_id, -1)),
        ]
        for number, offered in enumerate(reply.tracks, 1)
    ]
    if reply.correctable:
        anchor = ShowGroups(reply.tracks[0].recommendation_id)
        rows.append([_button(say("not_how_i_feel", language), owner, anchor)])
    if reply.choices:
        rows.append([_button(choice.label, owner, choice.action) for choice in reply.choices])
    return {"inline_keyboard": rows} if rows else None


def reply_markup(reply: Reply, owner: int, language: str) -> InlineKeyboardMarkup | None:
    """The same keyboard as python-telegram-bot objects, for its typed sends."""
    data = keyboard(reply, owner, language)
    return InlineKeyboardMarkup.de_json(data, None) if data else None


def _action(button: InlineKeyboardButton) -> Action | ShowGroups | None:
    try:
        return decode(button.callback_data).action
    except CallbackDataError:
        return None


def _rows(markup: InlineKeyboardMarkup | None) -> list[Row]:
    return [list(row) for row in markup.inline_keyboard] if markup else []


def _rebuild(
    markup: InlineKeyboardMarkup | None, change: Callable[[Row], Sequence[Row]]
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([new for row in _rows(markup) for new in change(row)])


def _marked(
    button: InlineKeyboardButton, recommendation_id: int, value: int
) -> InlineKeyboardButton:
    action = _action(button)
    if not isinstance(action, Vote) or action.recommendation_id != recommendation_id:
        return button
    label = button.text.removesuffix(VOTED) + (VOTED if action.value == value else "")
    return InlineKeyboardButton(label, callback_data=button.callback_data)


def with_vote(
    markup: InlineKeyboardMarkup | None, recommendation_id: int, value: int
) -> InlineKeyboardMarkup:
    """The same buttons, with ✓ on the thumb now chosen for that track (and only there)."""
    return _rebuild(markup, lambda row: [[_marked(b, recommendation_id, value) for b in row]])


def with_groups(
    markup: InlineKeyboardMarkup | None, owner: int, recommendation_id: int, language: str
) -> InlineKeyboardMarkup:
    """The "not how I feel" button opened up into the 7 groups to choose from."""
    groups = [
        InlineKeyboardButton(
            **_button(group_label(g, language), owner, Correct(recommendation_id, g))
        )
        for g in GROUP_CODES
    ]
    group_rows = [groups[i : i + GROUPS_PER_ROW] for i in range(0, len(groups), GROUPS_PER_ROW)]

    def expand(row: Row) -> Sequence[Row]:
        opens = any(_action(button) == ShowGroups(recommendation_id) for button in row)
        return group_rows if opens else [row]

    return _rebuild(markup, expand)


def without_corrections(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup:
    """The buttons minus "not how I feel" and the groups (a correction was made)."""

    def keep(row: Row) -> list[Row]:
        corrective = any(isinstance(_action(b), Correct | ShowGroups) for b in row)
        return [] if corrective else [row]

    return _rebuild(markup, keep)
