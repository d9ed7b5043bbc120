"""Answering interactions (slash commands and presses) the way Discord requires: a first
answer within 3 seconds, and only one.

The core's work starts at once; when it is quick the answer is the first response, and when
it is not (a photo, a voice message, a slow moment) the interaction is deferred ("thinking…"
for a command, nothing visible for a press) and the answer follows. A re-delivered
interaction is recognised by the core before anything is sent, so it is answered once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

import discord

from moodtune.bot.discord.components import cut, keyboard_of, view_of
from moodtune.bot.discord.render import Rendered, plain, render_reply
from moodtune.bot.discord.translate import chat_of_interaction, sender_of
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.incoming import Message, Press
from moodtune.handlers.replies import PressOutcome

log = logging.getLogger(__name__)

T = TypeVar("T")
ANSWER_WITHIN = 3.0  # seconds Discord gives for the first answer, from the interaction's making
DEFER_AFTER = 1.0  # seconds of work before deferring, at most
MARGIN = 1.5  # seconds kept for the deferral itself to reach Discord (a busy moment, a retry)
MAX_NOTICE = 2000


def patience(interaction: discord.Interaction) -> float:
    """How long the answer may be waited for before deferring: DEFER_AFTER, less whatever
    the interaction already spent reaching the bot (a backed-up gateway, a busy loop)."""
    age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    return max(0.0, min(DEFER_AFTER, ANSWER_WITHIN - MARGIN - age))


async def finished_within(task: asyncio.Task[T], seconds: float) -> bool:
    """Whether `task` is done within `seconds`. It always gets one turn first, so the core's
    immediate answers (a re-delivery, a refused flood) are seen without any wait."""
    await asyncio.sleep(0)
    if not task.done() and seconds > 0:
        await asyncio.wait({task}, timeout=seconds)
    return task.done()


async def _sent(action: Awaitable[object], what: str) -> bool:
    """Run one Discord request; a refusal is logged, not raised (the bot carries on)."""
    try:
        await action
    except discord.HTTPException as error:
        log.warning("Discord refused the %s: %s %s", what, error.status, error.code)
        return False
    return True


class Answering:
    """Slash commands and presses: the interaction in, the core's answer out."""

    def __init__(self, handlers: Handlers) -> None:
        self.handlers = handlers

    # Slash commands.

    async def command(
        self, interaction: discord.Interaction, messages: list[Message], ephemeral: bool
    ) -> None:
        """Answer a slash command that the core reads as `messages` (one, or one per file),
        each answer in order; deferred when the first is not ready in time."""
        first = asyncio.create_task(self.handlers.on_message(messages[0]))
        ready = await finished_within(first, 0 if messages[0].media else patience(interaction))
        if ready and first.result() is None:
            return  # delivered again, or not to be answered: the first delivery answers
        if not ready:
            await _sent(interaction.response.defer(thinking=True, ephemeral=ephemeral), "deferral")
        replies = [await first]
        for message in messages[1:]:
            replies.append(await self.handlers.on_message(message))
        for reply in replies:
            if reply is not None:
                await self._answer(interaction, render_reply(reply), ephemeral)
        if not ready and all(reply is None for reply in replies):  # nothing to say after all
            await _sent(interaction.delete_original_response(), "thinking… removal")

    async def _answer(
        self, interaction: discord.Interaction, rendered: Rendered, ephemeral: bool
    ) -> None:
        kwargs = rendered.send_kwargs()
        if interaction.response.is_done():
            await _sent(interaction.followup.send(ephemeral=ephemeral, **kwargs), "follow-up")
        else:
            await _sent(interaction.response.send_message(ephemeral=ephemeral, **kwargs), "answer")

    # Presses on buttons and menus.

    async def on_press(self, interaction: discord.Interaction, data: object) -> None:
        press = Press(
            event_id=str(interaction.id),
            sender=sender_of(interaction.user, interaction.locale),
            chat=chat_of_interaction(interaction),
            data=data,
            buttons=keyboard_of(interaction.message),
        )
        work = asyncio.create_task(self.handlers.on_press(press))
        if not await finished_within(work, patience(interaction)):
            await _sent(interaction.response.defer(), "deferral")
        await self.show(interaction, await work)

    async def show(self, interaction: discord.Interaction, outcome: PressOutcome) -> None:
        """The pressed message changed as the core says, its notice shown to the presser
        alone, and a new message (a correction's tracks) after it."""
        response = interaction.response
        if outcome.text is not None or outcome.buttons is not None:
            changes: dict[str, object] = {"view": view_of(outcome.buttons or ())}
            if outcome.text is not None:
                changes.update(content=cut(plain(outcome.text), 2000), embeds=[])
            if response.is_done():
                await _sent(interaction.edit_original_response(**changes), "edit")  # type: ignore[arg-type]
            else:
                await _sent(response.edit_message(**changes), "edit")  # type: ignore[arg-type]
        if outcome.notice:
            notice = cut(plain(outcome.notice), MAX_NOTICE)
            if response.is_done():
                await _sent(interaction.followup.send(notice, ephemeral=True), "notice")
            else:
                await _sent(response.send_message(notice, ephemeral=True), "notice")
        if outcome.follow_up is not None:
            if not response.is_done():
                await _sent(response.defer(), "deferral")
            await self._answer(interaction, render_reply(outcome.follow_up), ephemeral=False)
