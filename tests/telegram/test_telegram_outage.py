"""PostgreSQL unreachable for 5 s in the middle of a burst, for real: the bot talks to it
through a loopback proxy that cuts every connection and refuses new ones. Every message is
answered with tracks once it is back; a vote pressed meanwhile is either stored or plainly
reported unsaved; the log says it once when the outage starts and once when it ends."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from tcp_proxy import CuttableProxy
from telegram_harness import start_harness, stop_harness

from moodtune.storage.models import Feedback

PEOPLE, PER_PERSON = 20, 3
OUTAGE_SECONDS = 5.0


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


async def test_a_five_second_database_outage_mid_burst(
    own_postgres_database: str,
    catalog_database: Any,
    tmp_path: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    database = make_url(own_postgres_database)  # the catalog is loaded at the bot's start
    proxy = CuttableProxy(database.host or "127.0.0.1", database.port or 5432)
    await proxy.start()
    url = database.set(host="127.0.0.1", port=proxy.port)
    bot = await start_harness(
        tmp_path / "bot", catalog_database, database_url=url.render_as_string(hide_password=False),
        messages_per_minute=0,
    )  # fmt: skip
    fake = bot.fake
    try:
        first = await fake.reply_to(fake.push_text(1200, "I feel calm"), timeout=120)
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            updates = [
                fake.push_text(1200 + person, ("so happy today", "I miss home", "a bit anxious")[n])
                for n in range(PER_PERSON)
                for person in range(1, PEOPLE + 1)
            ]
            await fake.wait_for(lambda: sum(1 for u in updates if fake.replies_to(u)) >= 10)
            outage = asyncio.create_task(proxy.outage(OUTAGE_SECONDS))
            await asyncio.sleep(0.5)  # well inside the outage
            presses = [
                fake.push_callback(1200, first, b["callback_data"])
                for b in buttons(first)
                if b["text"].startswith("👍")
            ]
            answers = [await fake.answer_to(p, timeout=60) for p in presses]
            await outage
            await fake.wait_for(lambda: all(fake.replies_to(u) for u in updates), timeout=180)
        replies = [fake.replies_to(u) for u in updates]
        assert all(len(r) == 1 for r in replies), "a message answered twice or not at all"
        apologies = [r[0]["text"] for r in replies if not buttons(r[0])]
        assert apologies == []
        texts = [a.params.get("text", "") for a in answers]
        saved = sum(t.startswith("Noted") for t in texts)
        unsaved = sum("not saved" in t for t in texts)
        # Presses that came while intake was paused wait for the database like messages;
        # one already taken in when the cut came is answered "not saved".
        assert saved + unsaved == len(texts) == 5
        async with bot.app.sessions() as session:
            stored = await session.scalar(select(func.count()).select_from(Feedback))
        assert stored == saved  # a vote reported unsaved is not stored, and the others are
        warnings = [r.getMessage() for r in caplog.records if r.name == "moodtune.storage.outage"]
        assert sum("unreachable" in w for w in warnings) == 1, warnings
        assert sum("is back" in w for w in warnings) == 1, warnings
        assert not any(r.exc_info for r in caplog.records), "a traceback was logged"
    finally:
        await stop_harness(bot)
        await proxy.stop()
