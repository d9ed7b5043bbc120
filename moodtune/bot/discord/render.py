"""A Reply as Discord shows it: an embed with the mood (its words: the top emotions, the
confidence, what each part of the message said), a card per track with its link, the
core's buttons as Discord components, and the chart or export as a file, within
Discord's limits.

The buttons are DynamicItems: each press is rebuilt from its custom_id (the core's button
data, at most 100 characters), so no view is kept per message, and the buttons of a
message sent before a restart work the same after it. "Not how I feel" is drawn as a
select menu of the 7 mood groups, so a correction takes one choice instead of two presses.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, field
from typing import Any

import discord

from moodtune.emotion import GROUP_OF
from moodtune.handlers.actions import Action, Forget, ShowGroups, Vote
from moodtune.handlers.buttons import VOTED, action_of, decode, group_buttons
from moodtune.handlers.messages import say
from moodtune.handlers.replies import Button, Keyboard, OfferedTrack, Reply

MAX_CONTENT = 2000
MAX_DESCRIPTION = 4096
MAX_TITLE = 256
MAX_EMBEDS_CHARS = 6000  # all embeds of one message together
MAX_LABEL = 80
MAX_OPTION = 100
MAX_PLACEHOLDER = 150
MAX_ROWS = 5  # action rows under one message
MAX_PER_ROW = 5  # buttons in one row (a select menu fills its row)
LANGUAGES = ("en", "zh")
GROUP_COLOURS = {
    "happiness": 0xF5C542, "goodness": 0x57C785, "anger": 0xE5484D, "sadness": 0x4A7BD0,
    "fear": 0x8E6CC9, "dislike": 0x8D6E63, "surprise": 0xF29F4C,
}  # fmt: skip
NEUTRAL_COLOUR = 0x99AAB5
# A menu's custom_id is the core's "show the groups" data behind this prefix (no core data
# has a "|"), so the two DynamicItems' templates never match the same custom_id; every other
# custom_id is a button's, checked strictly by the core.
MENU = "menu|"
MENU_DATA = re.compile(rf"{re.escape(MENU)}(?P<data>.{{1,95}})", re.DOTALL)
BUTTON_DATA = re.compile(rf"(?!{re.escape(MENU)}).{{1,100}}", re.DOTALL)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str) -> str:
    """Text shown as it was written: Discord's markdown characters escaped."""
    return discord.utils.escape_markdown(text)


@dataclass
class Rendered:
    """What one send or edit carries (as discord.py's keyword arguments)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    files: list[discord.File] = field(default_factory=list)

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"embeds": self.embeds, "files": self.files}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs


def _link(url: str) -> str | None:
    return url if url.startswith(("https://", "http://")) and len(url) <= 2000 else None


def _colour(reply: Reply) -> int:
    if reply.reading is None or not reply.reading.has_signal:
        return NEUTRAL_COLOUR
    top = reply.reading.vector.top(1)
    return GROUP_COLOURS[GROUP_OF[top[0][0]]] if top else NEUTRAL_COLOUR


def track_embed(number: int, offered: OfferedTrack, colour: int) -> discord.Embed:
    track = offered.track
    embed = discord.Embed(
        title=cut(f"{number}. {track.title}", MAX_TITLE),
        url=_link(track.link),
        description=cut(f"{plain(track.artist_line)}\n*{plain(offered.why)}*", 1000),
        colour=colour,
    )
    return embed


def reply_embeds(reply: Reply) -> list[discord.Embed]:
    """The mood, then a card per track, within Discord's 6,000 characters per message (a
    track that would not fit is left out; its buttons stay, its card is the first line)."""
    colour = _colour(reply)
    mood = discord.Embed(description=cut(plain(reply.text), MAX_DESCRIPTION), colour=colour)
    embeds = [mood]
    used = len(mood)
    for number, offered in enumerate(reply.tracks, 1):
        card = track_embed(number, offered, colour)
        if used + len(card) > MAX_EMBEDS_CHARS or len(embeds) == 10:
            break
        embeds.append(card)
        used += len(card)
    return embeds


def render_reply(reply: Reply) -> Rendered:
    """A mood with tracks: embeds; a chart: the image in an embed; an export: a file; any
    other answer: its words as a message."""
    view = view_of(reply.buttons)
    attachment = reply.attachment
    if attachment is not None:
        file = discord.File(io.BytesIO(attachment.data), filename=attachment.filename)
        if attachment.is_image:
            embed = discord.Embed(description=cut(plain(reply.text), MAX_DESCRIPTION))
            embed.set_image(url=f"attachment://{attachment.filename}")
            return Rendered(embeds=[embed], view=view, files=[file])
        return Rendered(content=cut(plain(reply.text), MAX_CONTENT), view=view, files=[file])
    if reply.tracks or reply.reading is not None:
        return Rendered(embeds=reply_embeds(reply), view=view)
    return Rendered(content=cut(plain(reply.text), MAX_CONTENT), view=view)


# Components.


class CoreButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_DATA):
    """A button of the core's: its custom_id is the button data."""

    def __init__(self, button: Button, style: discord.ButtonStyle) -> None:
        super().__init__(
            discord.ui.Button(
                label=cut(button.label, MAX_LABEL), custom_id=button.data, style=style
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CoreButton:
        assert isinstance(item, discord.ui.Button) and item.custom_id is not None
        return cls(Button(item.label or "", item.custom_id), item.style)

    async def callback(self, interaction: discord.Interaction) -> None:
        await _client(interaction).answer_press(interaction, self.item.custom_id)


class GroupSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=MENU_DATA):
    """ "Not how I feel" as a menu: its custom_id is MENU + the core's "show the groups"
    data, each option's value the data of one group's correction."""

    def __init__(self, placeholder: str, custom_id: str, options: list[discord.SelectOption]):
        super().__init__(
            discord.ui.Select(
                placeholder=cut(placeholder, MAX_PLACEHOLDER),
                custom_id=custom_id,
                options=options,
                min_values=1,
                max_values=1,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> GroupSelect:
        assert isinstance(item, discord.ui.Select) and item.custom_id is not None
        return cls(item.placeholder or "", item.custom_id, list(item.options))

    async def callback(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or [None]
        await _client(interaction).answer_press(interaction, values[0])


def _client(interaction: discord.Interaction) -> Any:
    """The connector's client, which answers presses (see client.DiscordBot)."""
    return interaction.client


@functools.lru_cache(maxsize=4096)
def _action(data: str) -> Action | None:
    """What a button's data stands for (each is looked at several times while drawing)."""
    return action_of(Button("", data))


def _style(button: Button) -> discord.ButtonStyle:
    action = _action(button.data)
    if isinstance(action, Vote) and button.label.endswith(VOTED):
        return discord.ButtonStyle.primary
    if isinstance(action, Forget) and action.confirmed:
        return discord.ButtonStyle.danger
    return discord.ButtonStyle.secondary


def language_of(button: Button) -> str:
    """The language the core wrote a "not how I feel" label in (the groups follow it)."""
    for language in LANGUAGES:
        if button.label == say("not_how_i_feel", language):
            return language
    return "en"


def group_select(button: Button) -> GroupSelect:
    """The "not how I feel" button as a select menu of the 7 groups."""
    pressed = decode(button.data)
    assert isinstance(pressed.action, ShowGroups)
    groups = group_buttons(pressed.owner, pressed.action.recommendation_id, language_of(button))
    options = [
        discord.SelectOption(label=cut(group.label, MAX_OPTION), value=group.data)
        for group in groups
    ]
    return GroupSelect(button.label, MENU + button.data, options)


def _is_vote_pair(row: tuple[Button, ...]) -> bool:
    return len(row) == 2 and all(isinstance(_action(b.data), Vote) for b in row)


def fit_rows(keyboard: Keyboard) -> Keyboard:
    """The core's rows within Discord's 5 rows of 5: when they do not fit, the 👍 / 👎 pair
    of each track becomes a column (a row of 👍 1…5 above a row of 👎 1…5), and any rows
    still too many are packed five buttons to a row."""
    if len(keyboard) <= MAX_ROWS and all(len(row) <= MAX_PER_ROW for row in keyboard):
        return keyboard
    rows: list[tuple[Button, ...]] = []
    index = 0
    while index < len(keyboard):
        pairs = []
        while index < len(keyboard) and _is_vote_pair(keyboard[index]):
            pairs.append(keyboard[index])
            index += 1
        for start in range(0, len(pairs), MAX_PER_ROW):
            chunk = pairs[start : start + MAX_PER_ROW]
            rows += [tuple(pair[0] for pair in chunk), tuple(pair[1] for pair in chunk)]
        if index < len(keyboard):
            row = keyboard[index]
            rows += [row[i : i + MAX_PER_ROW] for i in range(0, len(row), MAX_PER_ROW)]
            index += 1
    return tuple(rows)


def view_of(keyboard: Keyboard) -> discord.ui.View | None:
    """The core's rows of buttons as Discord components; None for no buttons."""
    if not keyboard:
        return None
    view = discord.ui.View(timeout=None)
    for row_number, row in enumerate(fit_rows(keyboard)[:MAX_ROWS]):
        if len(row) == 1 and isinstance(_action(row[0].data), ShowGroups):
            select = group_select(row[0])
            select.item.row = row_number
            view.add_item(select)
            continue
        for button in row:
            item = CoreButton(button, _style(button))
            item.item.row = row_number
            view.add_item(item)
    return view


def keyboard_of(message: discord.Message | None) -> Keyboard:
    """The buttons a message carries now, as the core knows them: a button as its label and
    custom_id, the groups menu as the "not how I feel" button it stands for."""
    if message is None:
        return ()
    rows: list[tuple[Button, ...]] = []
    for row in message.components:
        buttons: list[Button] = []
        for item in getattr(row, "children", ()):
            if isinstance(item, discord.Button) and item.custom_id:
                buttons.append(Button(item.label or "", item.custom_id))
            elif isinstance(item, discord.SelectMenu) and item.custom_id:
                data = item.custom_id.removeprefix(MENU)
                buttons.append(Button(item.placeholder or "", data))
        if buttons:
            rows.append(tuple(buttons))
    return tuple(rows)


def carries(message: discord.Message | None, component_type: int, custom_id: str) -> bool:
    """Whether `message` has a component of this type with this custom_id: a press on one
    is answered by its DynamicItem, any other press by the client's fallback."""
    if message is None:
        return False
    for row in message.components:
        for item in getattr(row, "children", ()):
            if getattr(item, "custom_id", None) == custom_id and item.type.value == component_type:
                return True
    return False
