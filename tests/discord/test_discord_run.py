"""`moodtune run` with a Discord token (the real command in its own process), `moodtune
discord sync [--guild ID]`, a setup Discord refuses named, and the token never logged."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest
from cli_runner import run
from discord_harness import Harness
from fake_discord import FakeDiscord

MOODTUNE = [sys.executable, "-c", "from moodtune.bot.cli import main; main()"]


def environment(fake: FakeDiscord, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOODTUNE_")},
        "MOODTUNE_DATA_DIR": str(data_dir),
        "MOODTUNE_DISCORD_TOKEN": fake.token,
        "MOODTUNE_DISCORD_API_URL": fake.api_url,
        **extra,
    }


async def test_moodtune_run_connects_answers_and_stops(
    catalog_database: Path, tmp_path: Path, fake: FakeDiscord
) -> None:
    shutil.copyfile(catalog_database, tmp_path / "moodtune.db")
    ana = fake.add_user("ana")
    process = await asyncio.create_subprocess_exec(
        *MOODTUNE, "run", env=environment(fake, tmp_path), cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake.ready(timeout=90)
        reply = await fake.reply_to(fake.push_message(ana, "I feel happy and light"), timeout=60)
        assert "Tracks for you:" in reply.text
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log and fake.token not in log
    assert "Discord connector started" in log
    assert not fake.calls_to("PUT /applications/{application.id}/commands")  # not at start


async def test_moodtune_run_serves_discord_and_telegram_side_by_side(
    catalog_database: Path, tmp_path: Path, fake: FakeDiscord
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "telegram"))
    from fake_bot_api import FakeBotApi

    shutil.copyfile(catalog_database, tmp_path / "moodtune.db")
    telegram = FakeBotApi()
    await telegram.start()
    env = environment(
        fake, tmp_path, MOODTUNE_TELEGRAM_TOKEN=telegram.token,
        MOODTUNE_TELEGRAM_BASE_URL=telegram.base_url,
        MOODTUNE_TELEGRAM_BASE_FILE_URL=telegram.base_file_url,
    )  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        *MOODTUNE, "run", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    try:
        await fake.ready(timeout=90)
        on_discord = fake.push_message(fake.add_user("ana"), "I feel happy and light")
        on_telegram = telegram.push_text(701, "I feel calm tonight")
        assert "Tracks for you:" in (await fake.reply_to(on_discord, timeout=60)).text
        assert "Tracks for you:" in (await telegram.reply_to(on_telegram, timeout=60))["text"]
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
        await telegram.stop()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Telegram connector started" in log and "Discord connector started" in log


async def test_discord_sync_registers_the_commands_globally_or_in_one_server(
    fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODTUNE_DISCORD_TOKEN", fake.token)
    monkeypatch.setenv("MOODTUNE_DISCORD_API_URL", fake.api_url)
    server = fake.add_guild("the server", [])
    result = await asyncio.to_thread(run, "discord", "sync")
    assert result.exit_code == 0, result.output
    assert "synced 9 commands globally" in result.output and "/feel" in result.output
    result = await asyncio.to_thread(run, "discord", "sync", "--guild", server.id)
    assert result.exit_code == 0, result.output
    assert f"in server {server.id}" in result.output
    assert {c["name"] for c in fake.commands[server.id]} == {c["name"] for c in fake.commands[None]}
    assert not fake.gateway.connections  # HTTP only
    result = await asyncio.to_thread(run, "discord", "sync", "--guild", "42")
    assert result.exit_code == 1 and "invite the bot there" in result.output


async def test_a_token_discord_refuses_is_named(
    fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODTUNE_DISCORD_TOKEN", "not-the-right-token")
    monkeypatch.setenv("MOODTUNE_DISCORD_API_URL", fake.api_url)
    result = await asyncio.to_thread(run, "discord", "sync")
    assert result.exit_code == 1
    assert "Discord refused the bot token" in result.output and "Traceback" not in result.output
    assert "not-the-right-token" not in result.output


async def test_an_intent_the_portal_did_not_grant_is_named(
    catalog_database: Path, tmp_path: Path
) -> None:
    shutil.copyfile(catalog_database, tmp_path / "moodtune.db")
    fake = FakeDiscord(message_content=False)
    await fake.start()
    try:
        env = environment(fake, tmp_path, MOODTUNE_DISCORD_MESSAGE_CONTENT="true")
        process = await asyncio.create_subprocess_exec(
            *MOODTUNE, "run", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=90)
    finally:
        await fake.stop()
    assert process.returncode == 1
    last = stderr.decode().strip().splitlines()[-1]
    assert last.startswith("moodtune: Discord refused the message-content intent"), last


@pytest.mark.asyncio(loop_scope="module")
async def test_the_token_is_never_logged(bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake = bot.fake
    person = fake.add_user("lou")
    fake.fail_next("POST /channels/{channel.id}/messages", 429, retry_after=0.1)
    await bot.ask(person, "I feel hopeful")
    await fake.answer_to(fake.push_command(person, "help"))
    logging.getLogger("moodtune.test").error("failed: Authorization: Bot %s", fake.token)
    try:
        raise RuntimeError(f"IDENTIFY with {fake.token} failed")
    except RuntimeError:
        logging.getLogger("moodtune.test").exception("with a traceback")
    assert "discord.http" in {r.name for r in caplog.records}  # discord.py did log its requests
    assert "Bot <token>" in caplog.text
    assert fake.token not in caplog.text
    assert all(fake.token not in (record.exc_text or "") for record in caplog.records)
