"""Telegram updates in, durably: each batch stored in the inbox before Telegram is told it
arrived, then handled in order per chat.

python-telegram-bot's own Updater confirms a batch to Telegram (the next getUpdates
offset) as soon as it has fetched it, long before it is handled, so a crash lost what was
being handled. Here the offset moves past a batch only once the batch is stored; while the
database is unreachable it does not move at all, and Telegram keeps the updates. After a
restart, what was stored but not answered is handled first (or, if too old, apologised for).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, TelegramError

from moodtune.bot.telegram.handlers import TelegramBot
from moodtune.handlers.chat_order import ChatOrder
from moodtune.handlers.dispatch import Handlers
from moodtune.storage.inbox import Received
from moodtune.storage.outage import FIRST_BACKOFF, MAX_BACKOFF, is_outage
from moodtune.storage.types import utc_now

log = logging.getLogger(__name__)

PLATFORM = "telegram"
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT = 10  # seconds a getUpdates long poll waits for news


def chat_of(update: Update) -> str:
    """The chat an update belongs to (its order is kept within it)."""
    if update.effective_chat is not None:
        return str(update.effective_chat.id)
    if update.effective_user is not None:
        return str(update.effective_user.id)
    return "none"


def received(update: Update) -> Received:
    sender = str(update.effective_user.id) if update.effective_user else ""
    return Received(str(update.update_id), chat_of(update), sender, update.to_dict())


class Intake:
    """Stores updates, then runs python-telegram-bot's handlers on them in order per chat."""

    def __init__(
        self, application: Any, bot: TelegramBot, handlers: Handlers, concurrent: int
    ) -> None:
        self.application = application
        self.bot = bot
        self.handlers = handlers
        self.order = ChatOrder(concurrent)

    async def accept(self, updates: Sequence[Update]) -> None:
        """Store the updates (raising when the database cannot take them), then handle the
        ones not stored before; re-deliveries are dropped here."""
        fresh = await self.handlers.receive(PLATFORM, [received(u) for u in updates])
        for update in updates:
            if str(update.update_id) in fresh:
                self._submit(update)

    def _submit(self, update: Update) -> None:
        self.order.submit(chat_of(update), lambda: self.application.process_update(update))

    async def replay(self, stale_after: float) -> int:
        """Handle what was stored but not done before the last stop, in order; an update
        older than `stale_after` seconds gets an apology instead of a stale answer."""
        pending = await self.handlers.pending(PLATFORM)
        oldest = utc_now() - timedelta(seconds=stale_after)
        bot = self.application.bot
        interrupted, apologise = self.bot.finish_interrupted, self.bot.apologise_for_delay
        for event in pending:
            update = Update.de_json(event.payload, bot)
            if update is None:
                continue
            if event.done_at is not None:  # answered; the answer may not have gone out
                self.order.submit(chat_of(update), lambda e=event, u=update: interrupted(e, u))
            elif event.received_at < oldest:
                self.order.submit(chat_of(update), lambda u=update: apologise(u))
            else:
                self._submit(update)
        if pending:
            log.info("handling %d Telegram updates left from before the restart", len(pending))
        return len(pending)

    async def poll(self, timeout: int = POLL_TIMEOUT) -> None:
        """Long-poll Telegram until cancelled."""
        offset: int | None = None
        backoff = FIRST_BACKOFF
        outage = self.handlers.app.outage
        while True:
            try:
                updates = await self.application.bot.get_updates(
                    offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES
                )
            except InvalidToken:
                raise
            except TelegramError as error:  # network trouble, Telegram's 5xx: try again
                log.warning("getUpdates failed: %s", error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            if not updates:
                continue
            try:
                await self.accept(updates)
            except Exception as error:
                if not is_outage(error):
                    raise
                outage.failed(error)  # not acknowledged: Telegram keeps them
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            outage.recovered()
            backoff = FIRST_BACKOFF
            offset = updates[-1].update_id + 1
