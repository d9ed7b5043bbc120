"""The slash commands: /feel text [photo] [voice], /mood, /mode, /export, /forget, /privacy,
/help, and the group ones, /playlist and /checkin. Each becomes the neutral message the core
already answers on every platform; their descriptions show in English, and in Chinese for
Discord clients set to Chinese.

They are registered with Discord on request (`moodtune discord sync [--guild ID]`), not at
every start: Discord limits how often commands may be overwritten, and a global change
takes a while to reach every client (a server's commands change at once).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from moodtune.bot.discord.media import AttachmentFetcher
from moodtune.bot.discord.translate import administers, chat_of_interaction, media_of, sender_of
from moodtune.handlers.commands import DESCRIPTIONS
from moodtune.handlers.incoming import Message
from moodtune.recommender.groups import STRATEGIES
from moodtune.storage.models import MODES

Answer = Callable[[discord.Interaction, list[Message], bool], Awaitable[None]]
CHINESE = (discord.Locale.chinese, discord.Locale.taiwan_chinese)
PRIVATE = True  # answers only the person who asked can see (their data, their settings)

# What Discord's command picker shows (at most 100 characters each): (English, Chinese).
TEXTS: dict[str, tuple[str, str]] = {
    **DESCRIPTIONS,
    "feel": (
        "Tell me how you feel: in words, with a photo or a voice message",
        "告诉我你的感受：文字、照片或语音",
    ),
    "feel.text": ("How you feel, in words (the caption of a photo)", "你的感受（也是照片的说明）"),
    "feel.photo": ("A photo of you or of what you see", "一张你的照片，或你看到的景象"),
    "feel.voice": ("A voice message or an audio file", "一段语音或音频文件"),
    "mode.mode": (
        "auto: as suits each feeling; match: your mood as it is; lift: toward a brighter one",
        "auto：因心情而异；match：贴合心情；lift：一步步让心情好起来",
    ),
    "playlist.size": ("How many tracks", "几首歌"),
    "playlist.strategy": (
        "fair (nobody left far away), average, or least-misery",
        "fair（不让任何人落单）、average 或 least-misery",
    ),
    "checkin.when": (
        "e.g. 21:00 Shanghai, 08:30 Europe/Berlin, skip, off (empty: show it)",
        "例如 21:00 北京、08:30 Europe/Berlin、skip、off（不填：查看）",
    ),
}


class CommandTexts(app_commands.Translator):
    """The Chinese of each description, for Discord clients set to Chinese."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        return TEXTS[key][1] if locale in CHINESE and key in TEXTS else None


def _text(key: str) -> app_commands.locale_str:
    return app_commands.locale_str(TEXTS[key][0], key=key)


def build_tree(
    client: discord.Client, answer: Answer, fetcher: AttachmentFetcher
) -> app_commands.CommandTree[discord.Client]:
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)

    def message(interaction: discord.Interaction, suffix: str = "", **fields: object) -> Message:
        return Message(
            event_id=f"{interaction.id}{suffix}",
            sender=sender_of(interaction.user, interaction.locale),
            chat=chat_of_interaction(interaction),
            **fields,  # type: ignore[arg-type]
        )

    async def run(
        interaction: discord.Interaction,
        name: str,
        *args: str,
        private: bool = PRIVATE,
        is_admin: bool = False,
    ) -> None:
        text = " ".join((f"/{name}", *args))
        asked = message(interaction, text=text, command=(name, args), is_admin=is_admin)
        await answer(interaction, [asked], private)

    @tree.command(name="feel", description=_text("feel"))
    @app_commands.describe(
        text=_text("feel.text"), photo=_text("feel.photo"), voice=_text("feel.voice")
    )
    async def feel(
        interaction: discord.Interaction,
        text: str,
        photo: discord.Attachment | None = None,
        voice: discord.Attachment | None = None,
    ) -> None:
        files = [f for f in (photo, voice) if f is not None]
        if not files:
            await answer(interaction, [message(interaction, text=text)], False)
            return
        messages = [
            message(
                interaction,
                f":{n}" if n else "",
                text=text if n == 0 else None,
                media=media_of(file, fetcher),
            )
            for n, file in enumerate(files)
        ]
        await answer(interaction, messages, False)

    @tree.command(name="mood", description=_text("mood"))
    async def mood(interaction: discord.Interaction) -> None:
        await run(interaction, "mood", private=False)  # in a server: the room's mood

    @tree.command(name="mode", description=_text("mode"))
    @app_commands.describe(mode=_text("mode.mode"))
    @app_commands.choices(mode=[app_commands.Choice(name=m, value=m) for m in MODES])
    async def mode(interaction: discord.Interaction, mode: str | None = None) -> None:
        await run(interaction, "mode", *([mode] if mode else []))

    @tree.command(name="export", description=_text("export"))
    async def export(interaction: discord.Interaction) -> None:
        await run(interaction, "export")

    @tree.command(name="forget", description=_text("forget"))
    async def forget(interaction: discord.Interaction) -> None:
        await run(interaction, "forget")

    @tree.command(name="privacy", description=_text("privacy"))
    async def privacy(interaction: discord.Interaction) -> None:
        await run(interaction, "privacy")

    @tree.command(name="playlist", description=_text("playlist"))
    @app_commands.describe(size=_text("playlist.size"), strategy=_text("playlist.strategy"))
    @app_commands.choices(strategy=[app_commands.Choice(name=s, value=s) for s in STRATEGIES])
    async def playlist(
        interaction: discord.Interaction,
        size: app_commands.Range[int, 1, 100] | None = None,
        strategy: str | None = None,
    ) -> None:
        words = [str(size)] if size is not None else []
        words += [strategy] if strategy else []
        await run(interaction, "playlist", *words, private=False)  # for everyone there

    @tree.command(name="checkin", description=_text("checkin"))
    @app_commands.describe(when=_text("checkin.when"))
    async def checkin(interaction: discord.Interaction, when: str | None = None) -> None:
        words = (when or "").split()
        await run(interaction, "checkin", *words, private=False, is_admin=administers(interaction))

    @tree.command(name="help", description=_text("help"))
    async def help_(interaction: discord.Interaction) -> None:
        await run(interaction, "help")

    return tree
