"""The `moodtune` command: analyze, recommend, chat, run, models, catalog import, db upgrade.

Bad input (empty text, an unreadable photo, a silent voice note...) is a usage error:
one clear line on stderr and exit code 2, never a traceback. A broken setup (a missing
lexicon file, an unreachable database, no way to Telegram) exits with 1 and says what to
fix. Output cut short by its reader (`moodtune … | head`) ends quietly, with exit 1.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Coroutine
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from moodtune.bot import app as app_module
from moodtune.bot import event_loop
from moodtune.config import get_settings
from moodtune.emotion_engines.analysis import Inputs
from moodtune.emotion_engines.reading import Reading
from moodtune.errors import ConfigurationError, InputError
from moodtune.handlers.mood_text import confidence_line, mood_lines

T = TypeVar("T")
USAGE_ERROR = 2
SETUP_ERROR = 1

cli = typer.Typer(
    help="moodtune answers a feeling (words, a photo or a voice note) with music.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
catalog_cli = typer.Typer(help="Manage the music catalog.", no_args_is_help=True)
db_cli = typer.Typer(help="Manage the database.", no_args_is_help=True)
cli.add_typer(catalog_cli, name="catalog")
cli.add_typer(db_cli, name="db")
discord_cli = typer.Typer(help="Set up the Discord bot.", no_args_is_help=True)
cli.add_typer(discord_cli, name="discord")

TextArg = Annotated[
    str | None, typer.Argument(help="How you feel, in words. '-' reads standard input.")
]
PhotoOpt = Annotated[Path | None, typer.Option("--photo", help="A photo (JPEG, PNG, WebP).")]
VoiceOpt = Annotated[Path | None, typer.Option("--voice", help="A voice note or audio file.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"moodtune: {message}", err=True)
    return typer.Exit(code)


def friendly_errors(func: Callable[..., T]) -> Callable[..., T]:
    """Turn input and setup errors into one line on stderr and the right exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return func(*args, **kwargs)
        except ConfigurationError as error:
            raise fail(str(error), SETUP_ERROR) from None
        except ValidationError as error:
            raise fail(_describe_settings(error), SETUP_ERROR) from None
        except BrokenPipeError:
            # The reader of our output has gone (`moodtune … | head`): click ends quietly
            # with exit 1, as Python's documentation does (tests/bot/test_cli_pipes.py).
            raise
        except (OSError, InputError) as error:
            raise fail(_describe(error), USAGE_ERROR) from None

    return wrapper


def _describe_settings(error: ValidationError) -> str:
    problems = [
        f"MOODTUNE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()
    ]
    return "bad setting: " + "; ".join(problems)


def _describe(error: BaseException) -> str:
    if isinstance(error, FileNotFoundError):
        return f"no such file: {error.filename}"
    if isinstance(error, IsADirectoryError | PermissionError):
        return f"cannot read {error.filename}: {error.strerror}"
    return str(error)


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def _read_text(text: str | None, max_chars: int) -> str | None:
    if text != "-":
        return text
    # Read just past the limit (4 bytes per character at most): enough to say "too long"
    # without holding an endless pipe in memory.
    data = sys.stdin.buffer.read(4 * max_chars + 4)
    return data.decode("utf-8", errors="replace")


def _read_file(path: Path, limit: int, what: str) -> bytes:
    """The file's bytes, refused from its size before reading when over the limit."""
    size = path.stat().st_size
    if size > limit:
        mb = 1024 * 1024
        raise fail(
            f"{path} is {size / mb:.1f} MB; a {what} may be at most {limit / mb:.0f} MB",
            USAGE_ERROR,
        )
    return path.read_bytes()


def _inputs(text: str | None, photo: Path | None, voice: Path | None) -> Inputs:
    if text is None and photo is None and voice is None:
        raise fail("give a feeling as TEXT, or --photo PATH, or --voice PATH", USAGE_ERROR)
    settings = get_settings()
    return Inputs(
        text=_read_text(text, settings.max_text_chars),
        photo=_read_file(photo, settings.max_photo_bytes, "photo") if photo else None,
        voice=_read_file(voice, settings.max_voice_bytes, "voice note") if voice else None,
    )


def _print_reading(reading: Reading, title: str) -> None:
    typer.echo(title)
    for line in mood_lines(reading.vector, n=5) or ["(no emotion read)"]:
        typer.echo(f"  {line}")
    typer.echo(f"  {confidence_line(reading.confidence)}")
    if reading.note:
        typer.echo(f"  note: {reading.note}")
    for evidence in reading.evidence[:8]:
        cats = ",".join(evidence.categories)
        typer.echo(f"  · {evidence.label} ({cats} {evidence.weight:.2f})".replace(" )", ")"))


@cli.command()
@friendly_errors
def analyze(
    text: TextArg = None,
    photo: PhotoOpt = None,
    voice: VoiceOpt = None,
    as_json: JsonOpt = False,
    annotate: Annotated[
        Path | None, typer.Option("--annotate", help="With --photo: draw faces into this PNG.")
    ] = None,
) -> None:
    """Read the emotion of words, a photo or a voice note."""
    if annotate and not photo:
        raise fail("--annotate needs --photo", USAGE_ERROR)
    inputs = _inputs(text, photo, voice)
    result = run_async(app_module.analyze(get_settings(), inputs))
    if annotate and inputs.photo is not None:
        photo_reading = next(r for r in result.readings if r.modality == "photo")
        annotate.write_bytes(app_module.annotate_photo(inputs.photo, photo_reading))
    if as_json:
        typer.echo(json.dumps(result.fused.to_dict(), ensure_ascii=False, indent=2))
        return
    for reading in result.readings:
        _print_reading(reading, f"{reading.modality} ({reading.engine})")
    if len(result.readings) > 1:
        _print_reading(result.fused, "together")


@cli.command()
@friendly_errors
def recommend(
    text: TextArg = None,
    photo: PhotoOpt = None,
    voice: VoiceOpt = None,
    k: Annotated[int, typer.Option("-k", "--count", min=1, max=50, help="How many.")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """Recommend tracks that fit a feeling."""
    inputs = _inputs(text, photo, voice)
    result, picks = run_async(app_module.recommend(get_settings(), inputs, k))
    if as_json:
        payload = {
            "mood": result.fused.to_dict(),
            "tracks": [
                {
                    "id": p.track.id,
                    "title": p.track.title,
                    "artists": list(p.track.artists),
                    "link": p.track.link,
                    "distance": round(p.distance, 4),
                    "why": p.why,
                }
                for p in picks
            ],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not result.fused.has_signal:
        raise fail(result.fused.note or "I could not read a feeling in that", USAGE_ERROR)
    _print_reading(result.fused, "mood")
    for number, pick in enumerate(picks, 1):
        typer.echo(f"{number}. {pick.track.title} — {pick.track.artist_line}  ({pick.why})")
        typer.echo(f"   {pick.track.link}")


@cli.command()
@friendly_errors
def chat() -> None:
    """Chat in the terminal: type how you feel, get tracks, rate them (+1 / -1)."""
    from moodtune.bot.local.chat import run_local_chat

    run_async(run_local_chat(get_settings()))


@cli.command()
@friendly_errors
def run() -> None:
    """Start the bot: every platform with a token configured, in one process, and the web
    chat beside them with MOODTUNE_WEB_ENABLED=true; the web chat alone when there is none
    (the terminal chat is `moodtune chat`)."""
    from moodtune.bot.redaction import configure_logging
    from moodtune.bot.runner import configured, serve

    settings = get_settings()
    factories = configured(settings)
    if settings.telegram_token is None and settings.discord_token is None:
        typer.echo("No platform token configured: starting the web chat.", err=True)
    configure_logging()
    event_loop.run(serve(settings, factories))


@cli.command()
@friendly_errors
def models() -> None:
    """List what reads words, faces and voices, where each model's weights come from
    (package, file, sha256, licence), and what answers without it."""
    from moodtune.emotion_engines.inventory import model_reports, render

    for line in render(model_reports(get_settings())):
        typer.echo(line)


@catalog_cli.command("import")
@friendly_errors
def catalog_import(
    file: Annotated[Path, typer.Argument(help="A CSV or JSON Lines file of tracks.")],
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Import tracks (annotating each with an emotion vector); bad rows are reported."""
    if not file.is_file():
        raise FileNotFoundError(2, "No such file", str(file))
    report = run_async(app_module.import_catalog(get_settings(), file, progress=not quiet))
    typer.echo(report.summary())
    if report.imported == 0 and report.rejected:
        raise typer.Exit(USAGE_ERROR)


@db_cli.command("upgrade")
@friendly_errors
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    url = run_async(app_module.upgrade_database(get_settings()))
    typer.echo(f"database is up to date: {url}")


@discord_cli.command("sync")
@friendly_errors
def discord_sync(
    guild: Annotated[
        int | None,
        typer.Option("--guild", help="A server's id: its commands change at once (not global)."),
    ] = None,
) -> None:
    """Register the slash commands with Discord (after an install or an upgrade)."""
    from moodtune.bot.discord.connector import sync_commands

    names = run_async(sync_commands(get_settings(), guild))
    where = f"in server {guild}" if guild is not None else "globally (may take a while to show)"
    typer.echo(f"synced {len(names)} commands {where}: " + " ".join(f"/{n}" for n in names))


def main() -> None:
    cli()
