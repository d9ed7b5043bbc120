"""Run the `moodtune` command in-process, with settings read afresh (tests change the env)."""

from __future__ import annotations

from click.testing import Result
from typer.testing import CliRunner

from moodtune.bot.cli import cli
from moodtune.config import get_settings


def run(*args: str, stdin: bytes | str | None = None) -> Result:
    get_settings.cache_clear()
    return CliRunner().invoke(cli, list(args), input=stdin)
