"""`moodtune run` as a process of its own, as a host runs it: started with an environment,
killed or stopped like one. Shared by the crash tests and `python -m benchmarks crash`."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

MOODTUNE = [sys.executable, "-c", "from moodtune.bot.cli import main; main()"]


def bot_environment(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment without its MOODTUNE_ settings, plus `settings`; no flood
    guard, since a burst sends faster than any person would."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOODTUNE_")},
        "MOODTUNE_DATA_DIR": str(data_dir),
        "MOODTUNE_MESSAGES_PER_MINUTE": "0",
        **settings,
    }


async def start_bot(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *MOODTUNE, "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def kill_bot(process: asyncio.subprocess.Process) -> None:
    """SIGKILL: no clean-up of any kind, as a crash or an OOM kill."""
    process.send_signal(signal.SIGKILL)
    await process.wait()


async def stop_bot(process: asyncio.subprocess.Process) -> str:
    """Ctrl-C, then what the bot wrote to stderr."""
    process.send_signal(signal.SIGINT)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    return stderr.decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
