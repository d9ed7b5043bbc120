"""`moodtune run` when Telegram cannot be reached: the real command in its own process, one
line on stderr naming what failed (and the proxy, without its password), exit 1."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from fake_bot_api import TOKEN
from forward_proxy import ForwardProxy
from telegram_harness import MOODTUNE, command_env

HINT = "check your network or MOODTUNE_TELEGRAM_PROXY"


def closed_port() -> int:
    """A loopback port nobody listens on (free once the probe closes)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def moodtune_run(data_dir: Path, **env: str) -> tuple[int, list[str]]:
    """Exit code and stderr lines of `moodtune run` with the Telegram token and `env`."""
    process = await asyncio.create_subprocess_exec(
        *MOODTUNE, "run", cwd=data_dir, stderr=asyncio.subprocess.PIPE,
        env=command_env(data_dir, MOODTUNE_TELEGRAM_TOKEN=TOKEN, **env),
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, stderr.decode().strip().splitlines()


async def test_no_network_is_one_line(tmp_path: Path) -> None:
    port = closed_port()
    code, lines = await moodtune_run(
        tmp_path, MOODTUNE_TELEGRAM_BASE_URL=f"http://127.0.0.1:{port}/bot"
    )
    assert code == 1
    assert lines == [
        f"moodtune: cannot reach Telegram at http://127.0.0.1:{port}: cannot connect to "
        f"127.0.0.1:{port}: Connection refused; {HINT}"
    ]
    assert not (tmp_path / "moodtune.db").exists()  # failed before opening anything


async def test_a_proxy_that_is_down_is_named_without_its_password(tmp_path: Path) -> None:
    port = closed_port()
    code, lines = await moodtune_run(
        tmp_path, MOODTUNE_TELEGRAM_PROXY=f"http://me:hunter2@127.0.0.1:{port}"
    )
    assert code == 1
    assert lines == [
        "moodtune: cannot reach Telegram at https://api.telegram.org through the proxy "
        f"http://127.0.0.1:{port} (MOODTUNE_TELEGRAM_PROXY): cannot connect to the proxy "
        f"127.0.0.1:{port}: Connection refused; {HINT}"
    ]


async def test_a_proxy_that_wants_credentials_is_quoted(tmp_path: Path) -> None:
    proxy = ForwardProxy(credentials=("me", "hunter2"))
    await proxy.start()
    try:
        code, lines = await moodtune_run(
            tmp_path, HTTPS_PROXY=f"http://me:wrong@127.0.0.1:{proxy.port}"
        )
    finally:
        await proxy.stop()
    assert code == 1
    assert lines == [
        "moodtune: cannot reach Telegram at https://api.telegram.org through the proxy "
        f"http://127.0.0.1:{proxy.port} (HTTPS_PROXY): the proxy answered 407 Proxy "
        f"Authentication Required; {HINT}"
    ]
    assert proxy.refused == ["CONNECT api.telegram.org:443"]


async def test_a_proxy_moodtune_cannot_use_is_refused_before_trying(tmp_path: Path) -> None:
    code, lines = await moodtune_run(tmp_path, HTTPS_PROXY="socks5://127.0.0.1:1080")
    assert code == 1
    assert lines == [
        "moodtune: HTTPS_PROXY: socks5:// proxies are not supported (socks5://127.0.0.1:1080); "
        "use an HTTP proxy, e.g. http://127.0.0.1:8080"
    ]
