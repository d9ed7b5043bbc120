"""discord.py's Client with moodtune's core behind it: messages and interactions in,
replies out. It translates and renders; the core (moodtune.handlers) decides.

Intents: servers, server messages and DMs. The privileged message-content intent is asked
for only with MOODTUNE_DISCORD_MESSAGE_CONTENT=true (it must also be switched on in the
Developer Portal): without it Discord still shows the bot its DMs, the server messages that
mention it and its slash commands, which is all it needs; with it the bot also reads
replies to its messages that do not mention it.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from moodtune.bot.discord.components import CoreButton, CoreMenu, carries
from moodtune.bot.discord.endpoints import discord_proxy, use_api, use_gateway_of
from moodtune.bot.discord.intake import Incoming, Intake, send_reply, target_of
from moodtune.bot.discord.interactions import Answering
from moodtune.bot.discord.media import AttachmentFetcher
from moodtune.bot.discord.outbound import DiscordOutbound
from moodtune.bot.discord.slash_commands import CommandTexts, build_tree
from moodtune.bot.discord.translate import PLATFORM, media_of, sender_of, translate_message
from moodtune.config import Settings
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.incoming import Message
from moodtune.handlers.replies import Reply

log = logging.getLogger(__name__)

READ_TYPES = (discord.MessageType.default, discord.MessageType.reply)  # not joins, pins...
CONCURRENT = 64  # messages being answered at once; the rest wait their turn


def intents_for(settings: Settings) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True  # which servers and channels the bot is in
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.discord_message_content
    return intents


class DiscordBot(discord.Client):
    """The Discord connector. `attach` the core before `start` (or pass it here)."""

    def __init__(
        self, settings: Settings, handlers: Handlers | None = None, **options: Any
    ) -> None:
        chosen = discord_proxy(settings)
        proxy = chosen.url if chosen else None
        defaults: dict[str, Any] = {
            "max_messages": None,  # no message cache: the bot reacts, it does not look back
            "chunk_guilds_at_startup": False,
            "allowed_mentions": discord.AllowedMentions.none(),  # never pings anyone
        }
        super().__init__(intents=intents_for(settings), proxy=proxy, **{**defaults, **options})
        self.settings = settings
        self.fetcher = AttachmentFetcher(proxy)
        self.outbound = DiscordOutbound(self)
        self.tree = build_tree(self, self._answer_command, self.fetcher)
        self.taking = True  # False while stopping: new events are left alone
        self._handlers: Handlers | None = None
        self._answering: Answering | None = None
        self._intake: Intake | None = None
        if handlers is not None:
            self.attach(handlers)

    def attach(self, handlers: Handlers) -> None:
        self._handlers = handlers
        self._answering = Answering(handlers)
        self._intake = Intake(handlers, self.answer, self.fetcher, CONCURRENT)
        handlers.messenger.connect(self.outbound)

    @property
    def handlers(self) -> Handlers:
        if self._handlers is None:
            raise RuntimeError("the Discord bot got an event before the core was attached")
        return self._handlers

    @property
    def intake(self) -> Intake:
        if self._intake is None:
            raise RuntimeError("the Discord bot got an event before the core was attached")
        return self._intake

    @property
    def answering(self) -> Answering:
        if self._answering is None:
            raise RuntimeError("the Discord bot got an event before the core was attached")
        return self._answering

    # Start and stop.

    async def login(self, token: str) -> None:
        use_api(self.settings.discord_api_url)
        await super().login(token)

    async def setup_hook(self) -> None:
        await use_gateway_of(self)
        self.add_dynamic_items(CoreButton, CoreMenu)
        await self.tree.set_translator(CommandTexts())

    async def close(self) -> None:
        await super().close()
        await self.fetcher.close()

    # Messages.

    async def on_message(self, message: discord.Message) -> None:
        """Messages are stored as they arrive and wait their turn (in order per channel,
        CONCURRENT at a time); slash commands and presses do not, since Discord wants them
        answered within 3 seconds."""
        bot = self.user
        if not self.taking or bot is None or message.author.bot:
            return
        if message.type not in READ_TYPES:
            return
        first = translate_message(message, bot, self.fetcher)
        more = self._more_files(message, first)
        urls = tuple(a.url for a in message.attachments) or (None,)
        hidden = self._hidden_from_bot(message, first)
        self.intake.accept(Incoming(target_of(message), (first, *more), urls, hidden))

    async def answer(self, incoming: Incoming) -> None:
        """Answer one stored message (now, or after a restart), and mark it sent."""
        first, target = incoming.messages[0], incoming.target
        try:
            if incoming.hidden:
                name = self.user.name if self.user else "moodtune"
                hint = self.handlers.say(first.sender, "discord_mention_me", name=name)
                await send_reply(self, target, Reply(hint, ok=False), first.event_id)
                return
            sent = True
            for message in incoming.messages:
                reply = await self.handlers.on_message(message)
                if reply is not None:
                    sent = await send_reply(self, target, reply, message.event_id) and sent
            if sent:
                self.handlers.delivered(PLATFORM, incoming.event_id)
        except Exception:
            log.exception("a Discord message could not be answered")
            apology = Reply(self.handlers.say(first.sender, "server_error"), ok=False)
            await send_reply(self, target, apology, f"{first.event_id}!")

    def _hidden_from_bot(self, message: discord.Message, incoming: Message) -> bool:
        """A reply to the bot that does not mention it reaches a bot without the
        message-content intent empty: it was meant for the bot, which cannot read it."""
        return (
            incoming.addressed
            and message.guild is not None
            and not self.settings.discord_message_content
            and not message.content
            and not message.attachments
        )

    def _more_files(self, message: discord.Message, first: Message) -> list[Message]:
        """Each attachment after the first, read on its own (the words go with the first)."""
        return [
            Message(
                f"{message.id}:{n}",
                first.sender,
                first.chat,
                media=media_of(attachment, self.fetcher),
                addressed=first.addressed,
            )
            for n, attachment in enumerate(message.attachments[1:], 1)
        ]

    # Interactions.

    async def _answer_command(
        self, interaction: discord.Interaction, messages: list[Message], ephemeral: bool
    ) -> None:
        try:
            await self.answering.command(interaction, messages, ephemeral)
        except Exception:
            log.exception("a Discord command could not be answered")
            await self._apologise(interaction)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A press on a component the message does not carry (a forged or mangled
        custom_id) reaches no DynamicItem: it is answered here, by the same core."""
        if not self.taking or interaction.type is not discord.InteractionType.component:
            return
        data = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        if carries(interaction.message, int(data.get("component_type", 0)), custom_id):
            return  # CoreButton / GroupSelect answer it
        await self.answer_press(interaction, custom_id)

    async def answer_press(self, interaction: discord.Interaction, data: object) -> None:
        """A press on a button (its custom_id) or a menu (the chosen value)."""
        try:
            await self.answering.on_press(interaction, data)
        except Exception:
            log.exception("a Discord press could not be answered")
            await self._apologise(interaction)

    async def _apologise(self, interaction: discord.Interaction) -> None:
        sender = sender_of(interaction.user, interaction.locale)
        text = self.handlers.say(sender, "server_error")
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException as error:
            log.warning("the apology was refused too: %s %s", error.status, error.code)
