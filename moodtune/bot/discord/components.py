"""The core's buttons as Discord components, and back.

Each component is a DynamicItem: a press is rebuilt from its custom_id (the core's button
data, at most 100 characters), so no view is kept per message, and the buttons of a message
sent before a restart work the same after it.

Discord allows 5 rows of 5 buttons under a message, so the core's rows are laid out to fit:
"not how I feel" is a select menu of the 7 mood groups (one choice instead of two presses);
when the 👍 / 👎 pairs do not fit as rows, they become a row of 👍 1…5 above a row of 👎 1…5;
and when even that is too much (a group playlist of 20 tracks), a 👍 menu and a 👎 menu
offer every track.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any

import discord

from moodtune.handlers.actions import Action, Forget, ShowGroups, Vote
from moodtune.handlers.buttons import VOTED, action_of, decode, group_buttons
from moodtune.handlers.messages import say
from moodtune.handlers.replies import Button, Keyboard

log = logging.getLogger(__name__)

MAX_ROWS = 5  # action rows under one message
MAX_PER_ROW = 5  # buttons in one row (a select menu fills its row)
MAX_OPTIONS = 25  # options in one select menu
MAX_LABEL = 80
MAX_OPTION = 100
MAX_PLACEHOLDER = 150
LANGUAGES = ("en", "zh")
# A menu's custom_id is a prefix and the data of a button it stands for: GROUPS + the core's
# "show the groups" data, VOTES + its first option's. No core data has a "|", so a menu's
# custom_id is never a button's, and the two DynamicItems' templates never match the same one.
GROUPS = "menu|"
VOTES = "pick|"
MENU_DATA = re.compile(r"(?:menu|pick)\|(?P<data>.{1,95})", re.DOTALL)
BUTTON_DATA = re.compile(r"(?!menu\||pick\|).{1,100}", re.DOTALL)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Menu:
    """A row drawn as one select menu: what it says, its custom_id, the buttons it offers
    (each option's value is that button's data, so a choice is a press of it)."""

    placeholder: str
    custom_id: str
    options: tuple[Button, ...]


Drawn = tuple[Button, ...] | Menu


# The items.


class CoreButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_DATA):
    """A button of the core's: its custom_id is the button data."""

    def __init__(self, button: Button, style: discord.ButtonStyle) -> None:
        label = cut(button.label, MAX_LABEL)
        super().__init__(discord.ui.Button(label=label, custom_id=button.data, style=style))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CoreButton:
        assert isinstance(item, discord.ui.Button) and item.custom_id is not None
        return cls(Button(item.label or "", item.custom_id), item.style)

    async def callback(self, interaction: discord.Interaction) -> None:
        await _client(interaction).answer_press(interaction, self.item.custom_id)


class CoreMenu(discord.ui.DynamicItem[discord.ui.Select[Any]], template=MENU_DATA):
    """A select menu standing for some of the core's buttons: a choice presses one."""

    def __init__(self, menu: Menu) -> None:
        options = [
            discord.SelectOption(label=cut(b.label, MAX_OPTION), value=b.data) for b in menu.options
        ]
        placeholder = cut(menu.placeholder, MAX_PLACEHOLDER)
        super().__init__(
            discord.ui.Select(placeholder=placeholder, custom_id=menu.custom_id, options=options)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CoreMenu:
        assert isinstance(item, discord.ui.Select) and item.custom_id is not None
        return cls(_menu_of(item.placeholder, item.custom_id, item.options))

    async def callback(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or [None]
        await _client(interaction).answer_press(interaction, values[0])


def _client(interaction: discord.Interaction) -> Any:
    """The connector's client, which answers presses (see client.DiscordBot)."""
    return interaction.client


def _menu_of(placeholder: str | None, custom_id: str, options: list[discord.SelectOption]) -> Menu:
    return Menu(placeholder or "", custom_id, tuple(Button(o.label, o.value) for o in options))


# Laying the core's rows out.


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


def groups_menu(button: Button) -> Menu:
    """The "not how I feel" button as a select menu of the 7 groups."""
    pressed = decode(button.data)
    assert isinstance(pressed.action, ShowGroups) and pressed.owner is not None
    offer = pressed.action.recommendation_id
    groups = group_buttons(pressed.owner, offer, language_of(button))
    return Menu(button.label, GROUPS + button.data, groups)


def _fits(rows: list[Drawn]) -> bool:
    return len(rows) <= MAX_ROWS and all(
        isinstance(row, Menu) or len(row) <= MAX_PER_ROW for row in rows
    )


def _is_vote_pair(row: Drawn) -> bool:
    return (
        not isinstance(row, Menu)
        and len(row) == 2
        and all(isinstance(_action(b.data), Vote) for b in row)
    )


def _votes_as_columns(rows: list[Drawn]) -> list[Drawn]:
    """Each run of 👍 / 👎 pairs as a row of 👍 above a row of 👎, five tracks at a time."""
    laid: list[Drawn] = []
    pairs: list[tuple[Button, ...]] = []
    for row in [*rows, ()]:
        if _is_vote_pair(row):
            pairs.append(row)  # type: ignore[arg-type]
            continue
        for start in range(0, len(pairs), MAX_PER_ROW):
            chunk = pairs[start : start + MAX_PER_ROW]
            laid += [tuple(p[0] for p in chunk), tuple(p[1] for p in chunk)]
        pairs = []
        if row:
            laid.append(row)
    return laid


def _all_votes(row: Drawn) -> bool:
    return not isinstance(row, Menu) and all(isinstance(_action(b.data), Vote) for b in row)


def _votes_as_menus(rows: list[Drawn]) -> list[Drawn]:
    """Every 👍 in one menu and every 👎 in another, where the first row of votes was."""
    votes = [button for row in rows if _all_votes(row) for button in row]  # type: ignore[union-attr]
    if not votes:
        return rows
    first = next(number for number, row in enumerate(rows) if _all_votes(row))
    ups = [b for b in votes if getattr(_action(b.data), "value", 0) > 0]
    downs = [b for b in votes if getattr(_action(b.data), "value", 0) < 0]
    menus: list[Drawn] = [
        Menu(f"{chosen[0].label.split()[0]} …", VOTES + chosen[0].data, tuple(chosen))
        for chosen in (ups[:MAX_OPTIONS], downs[:MAX_OPTIONS])
        if chosen
    ]
    others = [row for row in rows if not _all_votes(row)]
    return others[:first] + menus + others[first:]


def layout(keyboard: Keyboard) -> list[Drawn]:
    """The core's rows as Discord can show them (see the module's docstring)."""
    rows: list[Drawn] = [
        groups_menu(row[0]) if len(row) == 1 and isinstance(_action(row[0].data), ShowGroups)
        else row
        for row in keyboard
    ]  # fmt: skip
    for arrange in (_votes_as_columns, _votes_as_menus):
        if _fits(rows):
            return rows
        rows = arrange(rows)
    packed: list[Drawn] = []
    for row in rows:  # still too many: five to a row, and what does not fit is left out
        if isinstance(row, Menu):
            packed.append(row)
        else:
            packed += [row[i : i + MAX_PER_ROW] for i in range(0, len(row), MAX_PER_ROW)]
    if len(packed) > MAX_ROWS:
        log.warning("%d rows of buttons do not fit under a message; showing 5", len(packed))
    return packed[:MAX_ROWS]


def view_of(keyboard: Keyboard) -> discord.ui.View | None:
    """The core's buttons as Discord components; None for no buttons."""
    if not keyboard:
        return None
    view = discord.ui.View(timeout=None)
    for number, row in enumerate(layout(keyboard)):
        items: list[discord.ui.DynamicItem[Any]] = (
            [CoreMenu(row)] if isinstance(row, Menu) else [CoreButton(b, _style(b)) for b in row]
        )
        for item in items:
            item.item.row = number
            view.add_item(item)
    return view


def keyboard_of(message: discord.Message | None) -> Keyboard:
    """The buttons a message carries now, as the core knows them: a button as its label and
    custom_id, the groups menu as the "not how I feel" button it stands for, a 👍 or 👎 menu
    as the buttons it offers."""
    if message is None:
        return ()
    rows: list[tuple[Button, ...]] = []
    for row in message.components:
        buttons: list[Button] = []
        for item in getattr(row, "children", ()):
            custom_id = getattr(item, "custom_id", None)
            if not custom_id:
                continue
            if isinstance(item, discord.Button):
                buttons.append(Button(item.label or "", custom_id))
            elif isinstance(item, discord.SelectMenu) and custom_id.startswith(GROUPS):
                buttons.append(Button(item.placeholder or "", custom_id.removeprefix(GROUPS)))
            elif isinstance(item, discord.SelectMenu):
                buttons += _menu_of(item.placeholder, custom_id, item.options).options
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
