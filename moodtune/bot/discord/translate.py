"""Discord's objects as the conversation core knows them: who wrote, in which chat, what
they said and attached, and whether a server message was meant for the bot.

A DM is a private chat (its id: the person's, as on every platform); a server channel or
thread is a group. In a server the bot reads a message only when it mentions the bot or
replies to one of the bot's messages; slash commands are always addressed.
"""

from __future__ import annotations

import re

import discord

from moodtune.bot.discord.media import AttachmentFetcher
from moodtune.handlers.incoming import Media, Message, parse_command
from moodtune.handlers.replies import Chat, Sender

PLATFORM = "discord"


def sender_of(user: discord.User | discord.Member, locale: discord.Locale | None = None) -> Sender:
    """The person; `locale` is their Discord client's language (interactions carry it)."""
    return Sender(PLATFORM, str(user.id), user.display_name, locale.value if locale else None)


def chat_of(
    guild: discord.Guild | None, channel: object, channel_id: int | None, person: discord.abc.User
) -> Chat:
    """A DM is the person's private chat; anything in a server (a channel, a thread) is a
    group chat, whether or not discord.py knows the channel itself."""
    if guild is None:
        return Chat(PLATFORM, str(person.id), "private", person.display_name)
    name = getattr(channel, "name", None) or "?"
    return Chat(PLATFORM, str(channel_id), "group", f"{guild.name} #{name}")


def chat_of_interaction(interaction: discord.Interaction) -> Chat:
    return chat_of(interaction.guild, interaction.channel, interaction.channel_id, interaction.user)


def media_of(attachment: discord.Attachment, fetcher: AttachmentFetcher) -> Media:
    """An attachment with its announced size and a way to fetch it (nothing fetched yet):
    a voice message or audio file is sound, an image a photo, anything else a document the
    core reads by its type and name, or refuses."""
    content_type = (attachment.content_type or "").split(";")[0].strip().lower() or None
    kind = "document"
    if attachment.is_voice_message() or (content_type or "").startswith("audio/"):
        kind = "voice"
    elif (content_type or "").startswith("image/"):
        kind = "photo"
    return Media(
        kind,  # type: ignore[arg-type]
        size=attachment.size,
        fetch=fetcher.fetcher(attachment.url),
        media_type=content_type,
        filename=attachment.filename,
    )


def administers(who: discord.Interaction | discord.Message) -> bool:
    """Whether the person may manage the server the event came from (what the core asks
    of a group's admin, e.g. to set the room's check-in); False in a DM. An interaction
    carries the person's permissions there; a message's author carries their roles."""
    if isinstance(who, discord.Interaction):
        permissions = who.permissions if who.guild_id is not None else None
    else:
        author = who.author
        permissions = author.guild_permissions if isinstance(author, discord.Member) else None
    return bool(permissions and (permissions.manage_guild or permissions.administrator))


def mention_pattern(bot_id: int) -> re.Pattern[str]:
    return re.compile(rf"<@!?{bot_id}>")


def addressed(message: discord.Message, bot: discord.ClientUser) -> bool:
    """Whether a message is for the bot: in a DM always; in a server when it mentions the
    bot or replies to one of its messages."""
    if message.guild is None:
        return True
    if bot in message.mentions:
        return True
    reference = message.reference
    resolved = reference.resolved if reference is not None else None
    return isinstance(resolved, discord.Message) and resolved.author.id == bot.id


def words_of(message: discord.Message, bot: discord.ClientUser) -> str:
    """The text without the bot's mention ("<@bot> I feel great" → "I feel great")."""
    return mention_pattern(bot.id).sub("", message.content).strip()


def translate_message(
    message: discord.Message, bot: discord.ClientUser, fetcher: AttachmentFetcher
) -> Message:
    """The neutral message, with the first attachment (each further one is read on its own,
    see client.py)."""
    text = words_of(message, bot)
    media = media_of(message.attachments[0], fetcher) if message.attachments else None
    return Message(
        event_id=str(message.id),
        sender=sender_of(message.author),
        chat=chat_of(message.guild, message.channel, message.channel.id, message.author),
        text=text or None,
        media=media,
        addressed=addressed(message, bot),
        command=parse_command(text) if text.startswith("/") else None,
        is_admin=administers(message),
    )
