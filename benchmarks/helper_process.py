"""The other side of a benchmark (a fake platform server, a crowd of clients) in a process
of its own, as it would be in production: its CPU is not the bot's. The benchmark sends it
commands over a pipe and awaits the answers."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from typing import Any


class HelperProcess:
    def __init__(self, target: Callable[[Any], None]) -> None:
        """Start `target(conn)` in a spawned process; it answers each command on `conn`
        until it is sent ("stop",)."""
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=target, args=(child,), daemon=True)
        self.process.start()

    async def ask(self, *command: Any) -> Any:
        self.conn.send(command)
        return await asyncio.get_running_loop().run_in_executor(None, self.conn.recv)

    def stop(self) -> None:
        self.conn.send(("stop",))
        self.process.join(timeout=10)
