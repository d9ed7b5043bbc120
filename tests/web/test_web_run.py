"""`moodtune run` starting the web chat: the real command in its own process, alone when no
platform token is set, beside Telegram (the fake Bot API) when MOODTUNE_WEB_ENABLED is."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fake_bot_api import FakeBotApi
from web_harness import ScriptedPage, Site

MOODTUNE = [sys.executable, "-c", "from moodtune.bot.cli import main; main()"]
URL = re.compile(r"moodtune web chat: open (http://\S+) in your browser")
START_SECONDS = 120


def environment(data_dir: Path, **settings: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MOODTUNE_")}
    return {**clean, "MOODTUNE_DATA_DIR": str(data_dir), **settings}


@asynccontextmanager
async def moodtune_run(env: dict[str, str], cwd: Path) -> AsyncIterator[tuple[str, list[str]]]:
    """`moodtune run` until the web chat prints its URL; stopped with Ctrl-C afterwards.
    Yields the URL and the lines of its standard error (filled in once it has stopped)."""
    process = await asyncio.create_subprocess_exec(
        *MOODTUNE, "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    log: list[str] = []
    try:
        async with asyncio.timeout(START_SECONDS):
            while not (found := URL.search((await process.stdout.readline()).decode())):
                pass
        yield found[1], log
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
        log.extend(stderr.decode().splitlines())
    assert process.returncode == 0, "\n".join(log)
    assert "Traceback" not in "\n".join(log)


async def test_without_a_token_run_starts_the_web_chat(
    web_catalog_database: Path, tmp_path: Path
) -> None:
    shutil.copyfile(web_catalog_database, tmp_path / "moodtune.db")
    env = environment(tmp_path, MOODTUNE_WEB_PORT="0")
    async with moodtune_run(env, tmp_path) as (url, log):
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
        async with ScriptedPage(Site(url)) as page:
            assert (await page.reply("I feel happy and light"))["tracks"]
    assert "No platform token configured: starting the web chat." in log


async def test_beside_telegram_when_enabled(web_catalog_database: Path, tmp_path: Path) -> None:
    shutil.copyfile(web_catalog_database, tmp_path / "moodtune.db")
    fake = FakeBotApi()
    await fake.start()
    env = environment(
        tmp_path,
        MOODTUNE_WEB_PORT="0",
        MOODTUNE_WEB_ENABLED="true",
        MOODTUNE_TELEGRAM_TOKEN=fake.token,
        MOODTUNE_TELEGRAM_BASE_URL=fake.base_url,
        MOODTUNE_TELEGRAM_BASE_FILE_URL=fake.base_file_url,
    )
    try:
        async with moodtune_run(env, tmp_path) as (url, _):
            telegram = await fake.reply_to(fake.push_text(701, "I feel calm"), timeout=90)
            assert "Tracks for you:" in telegram["text"]
            async with ScriptedPage(Site(url)) as page:
                assert (await page.reply("I feel calm"))["tracks"]
    finally:
        await fake.stop()


async def test_a_busy_port_or_a_public_address_is_named(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for settings, says in (
            ({"MOODTUNE_WEB_PORT": str(port)}, "set MOODTUNE_WEB_PORT to a free port"),
            ({"MOODTUNE_WEB_HOST": "0.0.0.0"}, "set MOODTUNE_WEB_ALLOW_REMOTE=true"),
        ):
            process = await asyncio.create_subprocess_exec(
                *MOODTUNE, "run", env=environment(tmp_path, **settings), cwd=tmp_path,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=START_SECONDS)
            last = stderr.decode().strip().splitlines()[-1]
            assert process.returncode == 1 and last.startswith("moodtune: ") and says in last
