"""Webhook mode: the fake server posts updates to the bot's webhook, which checks the
secret token Telegram sends with each one, and answers redeliveries once."""

from __future__ import annotations

import asyncio
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from fake_bot_api import FakeBotApi
from telegram_harness import telegram_settings

from moodtune.bot.app import App
from moodtune.bot.telegram.connector import TelegramConnector
from moodtune.handlers.dispatch import Handlers

pytestmark = pytest.mark.asyncio(loop_scope="module")
SECRET = "a-webhook-secret_123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hooked(
    catalog_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[FakeBotApi, Any]]:
    data_dir = tmp_path_factory.mktemp("telegram-webhook")
    shutil.copyfile(catalog_database, data_dir / "moodtune.db")
    fake = FakeBotApi()
    await fake.start()
    port = free_port()
    settings = telegram_settings(
        data_dir, fake, telegram_webhook_url=f"http://127.0.0.1:{port}/telegram",
        telegram_webhook_secret=SECRET, telegram_webhook_port=port,
    )  # fmt: skip
    app = await App.open(settings)
    connector = TelegramConnector(settings, Handlers(app))
    await connector.start()
    yield fake, app
    await connector.stop()
    await app.close()
    await fake.stop()


async def test_the_webhook_is_set_with_its_secret(hooked: tuple[FakeBotApi, Any]) -> None:
    fake, _ = hooked
    assert fake.webhook is not None
    assert fake.webhook["secret_token"] == SECRET
    assert fake.webhook["url"].endswith("/telegram")
    assert set(fake.webhook["allowed_updates"]) == {"message", "callback_query"}


async def test_updates_with_the_secret_are_answered(hooked: tuple[FakeBotApi, Any]) -> None:
    fake, _ = hooked
    update = {"message": fake.message(401, text="I feel happy and free")}
    assert await fake.post_to_webhook(update, SECRET) == 200
    reply = await fake.reply_to(update["update_id"])
    assert "Tracks for you:" in reply["text"]


async def test_updates_without_the_secret_are_refused(hooked: tuple[FakeBotApi, Any]) -> None:
    fake, _ = hooked
    for secret in (None, "wrong-secret"):
        update = {"message": fake.message(402, text="I feel happy")}
        assert await fake.post_to_webhook(update, secret) == 403
        await asyncio.sleep(0.2)
        assert not fake.replies_to(update["update_id"])


async def test_a_redelivered_update_is_answered_once(hooked: tuple[FakeBotApi, Any]) -> None:
    fake, _ = hooked
    update = {"message": fake.message(403, text="I am so grateful today")}
    assert await fake.post_to_webhook(update, SECRET) == 200
    assert await fake.post_to_webhook(dict(update), SECRET) == 200  # Telegram retried
    await fake.reply_to(update["update_id"])
    later = {"message": fake.message(403, text="and calm")}
    await fake.post_to_webhook(later, SECRET)
    await fake.reply_to(later["update_id"])
    assert len(fake.replies_to(update["update_id"])) == 1


async def test_malformed_bodies_are_refused(hooked: tuple[FakeBotApi, Any]) -> None:
    fake, _ = hooked
    for body in ([1, 2], {"no": "update_id"}, {"update_id": "7"}):
        assert await fake.post_body_to_webhook(body, SECRET) == 400


async def test_while_the_database_is_away_telegram_is_asked_to_retry(
    hooked: tuple[FakeBotApi, Any],
) -> None:
    """503 while the update cannot be stored: Telegram delivers it again, and then it is
    answered, once."""
    fake, app = hooked
    real = app.sessions

    def unreachable() -> Any:
        raise ConnectionRefusedError(111, "Connection refused")

    app.sessions = unreachable
    try:
        update = {"message": fake.message(404, text="I feel hopeful")}
        assert await fake.post_to_webhook(update, SECRET) == 503
    finally:
        app.sessions = real
    assert await fake.post_to_webhook(dict(update), SECRET) == 200  # Telegram's retry
    reply = await fake.reply_to(update["update_id"])
    assert "Tracks for you:" in reply["text"]
    await asyncio.sleep(0.2)
    assert len(fake.replies_to(update["update_id"])) == 1
