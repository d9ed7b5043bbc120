"""The slash commands: /feel text [photo] [voice], /mood, /mode, /export, /forget, /privacy,
/help. Each becomes the neutral message the core already answers on every platform; their
descriptions show in English, and in Chinese for Discord clients set to Chinese.

They are registered with Discord on request (`moodtune discord sync [--guild ID]`), not at
every start: Discord limits how often commands may be overwritten, and a global change
takes a while to reach every client (a server's commands change at once).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from moodtune.bot.discord.media import AttachmentFetcher
from moodtune.bot.discord.translate import chat_of, media_of, sender_of
from moodtune.handlers.commands import DESCRIPTIONS
from moodtune.handlers.incoming import Message
from moodtune.storage.models import MODES

Answer = Callable[[discord.Interaction, list[Message], bool], Awaitable[None]]
CHINESE = (discord.Locale.chinese, discord.Locale.taiwan_chinese)
PRIVATE = True  # answers only the person who asked can see (their mood, data, settings)

FEEL = "Tell me how you feel: in words, with a photo or a voice message"
# Descriptions Discord shows in its command picker (at most 100 characters), en → zh.
TEXTS = {
    FEEL: "告诉我你的感受：文字、照片或语音",
    "How you feel, in words (the caption of a photo)": "你的感受（也是照片的说明）",
    "A photo of you or of what you see": "一张你的照片，或你看到的景象",
    "A voice message or an audio file": "一段语音或音频文件",
    "match: music for your mood; lift: step by step toward a better one":
        "match：贴合心情；lift：一步步让心情好起来",
    **{en: zh for en, zh in DESCRIPTIONS.values()},
}  # fmt: skip


class CommandTexts(app_commands.Translator):
    """The Chinese of each description, for Discord clients set to Chinese."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        return TEXTS.get(string.message) if locale in CHINESE else None


def _text(english: str) -> app_commands.locale_str:
    return app_commands.locale_str(english)


def build_tree(
    client: discord.Client, answer: Answer, fetcher: AttachmentFetcher
) -> app_commands.CommandTree[discord.Client]:
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)

    def message(interaction: discord.Interaction, suffix: str = "", **fields: object) -> Message:
        return Message(
            event_id=f"{interaction.id}{suffix}",
            sender=sender_of(interaction.user, interaction.locale),
            chat=chat_of(interaction.channel, interaction.user),
            **fields,  # type: ignore[arg-type]
        )

    async def run(interaction: discord.Interaction, name: str, *args: str) -> None:
        command = message(interaction, text=" ".join((f"/{name}", *args)), command=(name, args))
        await answer(interaction, [command], PRIVATE)

    @tree.command(name="feel", description=_text(FEEL))
    @app_commands.describe(
        text=_text("How you feel, in words (the caption of a photo)"),
        photo=_text("A photo of you or of what you see"),
        voice=_text("A voice message or an audio file"),
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

    @tree.command(name="mood", description=_text(DESCRIPTIONS["mood"][0]))
    async def mood(interaction: discord.Interaction) -> None:
        await run(interaction, "mood")

    @tree.command(name="mode", description=_text(DESCRIPTIONS["mode"][0]))
    @app_commands.describe(
        mode=_text("match: music for your mood; lift: step by step toward a better one")
    )
    @app_commands.choices(mode=[app_commands.Choice(name=m, value=m) for m in MODES])
    async def mode(interaction: discord.Interaction, mode: str | None = None) -> None:
        await run(interaction, "mode", *([mode] if mode else []))

    @tree.command(name="export", description=_text(DESCRIPTIONS["export"][0]))
    async def export(interaction: discord.Interaction) -> None:
        await run(interaction, "export")

    @tree.command(name="forget", description=_text(DESCRIPTIONS["forget"][0]))
    async def forget(interaction: discord.Interaction) -> None:
        await run(interaction, "forget")

    @tree.command(name="privacy", description=_text(DESCRIPTIONS["privacy"][0]))
    async def privacy(interaction: discord.Interaction) -> None:
        await run(interaction, "privacy")

    @tree.command(name="help", description=_text(DESCRIPTIONS["help"][0]))
    async def help_(interaction: discord.Interaction) -> None:
        await run(interaction, "help")

    return tree
