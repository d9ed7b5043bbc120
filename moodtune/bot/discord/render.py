"""A Reply as Discord shows it: an embed with the mood (its words: the top emotions, the
confidence, what each part of the message said), a card per track with its link, the
core's buttons as components (components.py), and the chart or export as a file, within
Discord's limits."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import discord

from moodtune.bot.discord.components import cut, view_of
from moodtune.emotion import GROUP_OF
from moodtune.handlers.replies import OfferedTrack, Reply

MAX_CONTENT = 2000
MAX_DESCRIPTION = 4096
MAX_TITLE = 256
MAX_EMBEDS_CHARS = 6000  # all embeds of one message together
MAX_EMBEDS = 10  # embeds in one message
GROUP_COLOURS = {
    "happiness": 0xF5C542, "goodness": 0x57C785, "anger": 0xE5484D, "sadness": 0x4A7BD0,
    "fear": 0x8E6CC9, "dislike": 0x8D6E63, "surprise": 0xF29F4C,
}  # fmt: skip
NEUTRAL_COLOUR = 0x99AAB5


def plain(text: str) -> str:
    """Text shown as it was written: Discord's markdown characters escaped."""
    return discord.utils.escape_markdown(text)


@dataclass
class Rendered:
    """What one send or edit carries (as discord.py's keyword arguments)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    files: list[discord.File] = field(default_factory=list)

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"embeds": self.embeds, "files": self.files}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs


def _link(url: str) -> str | None:
    return url if url.startswith(("https://", "http://")) and len(url) <= 2000 else None


def _colour(reply: Reply) -> int:
    if reply.reading is None or not reply.reading.has_signal:
        return NEUTRAL_COLOUR
    top = reply.reading.vector.top(1)
    return GROUP_COLOURS[GROUP_OF[top[0][0]]] if top else NEUTRAL_COLOUR


def track_embed(number: int, offered: OfferedTrack, colour: int) -> discord.Embed:
    track = offered.track
    embed = discord.Embed(
        title=cut(f"{number}. {track.title}", MAX_TITLE),
        url=_link(track.link),
        description=cut(f"{plain(track.artist_line)}\n*{plain(offered.why)}*", 1000),
        colour=colour,
    )
    return embed


def track_line(number: int, offered: OfferedTrack) -> str:
    track = offered.track
    title = plain(track.title)
    url = _link(track.link)
    shown = f"[{title}]({url})" if url else title
    return f"{number}. {shown} — {plain(track.artist_line)} · *{plain(offered.why)}*"


def tracks_embed(reply: Reply, colour: int) -> discord.Embed:
    """Many tracks (a room's playlist) as lines in one embed, as many as fit."""
    lines: list[str] = []
    used = 0
    for number, offered in enumerate(reply.tracks, 1):
        line = cut(track_line(number, offered), 400)
        if used + len(line) + 1 > MAX_DESCRIPTION:
            break
        lines.append(line)
        used += len(line) + 1
    return discord.Embed(description="\n".join(lines), colour=colour)


def reply_embeds(reply: Reply) -> list[discord.Embed]:
    """The mood, then a card per track (up to 9: ten embeds a message) or, for more, the
    tracks as lines; within Discord's 6,000 characters per message (a card that would not
    fit is left out, its buttons stay)."""
    colour = _colour(reply)
    mood = discord.Embed(description=cut(plain(reply.text), MAX_DESCRIPTION), colour=colour)
    embeds = [mood]
    if len(reply.tracks) > MAX_EMBEDS - 1:
        listed = tracks_embed(reply, colour)
        if len(mood) + len(listed) > MAX_EMBEDS_CHARS:
            mood.description = cut(mood.description or "", MAX_EMBEDS_CHARS - len(listed) - 1)
        return [mood, listed]
    used = len(mood)
    for number, offered in enumerate(reply.tracks, 1):
        card = track_embed(number, offered, colour)
        if used + len(card) > MAX_EMBEDS_CHARS:
            break
        embeds.append(card)
        used += len(card)
    return embeds


def render_reply(reply: Reply) -> Rendered:
    """A mood with tracks: embeds; a chart: the image in an embed; an export: a file; any
    other answer: its words as a message."""
    view = view_of(reply.buttons)
    attachment = reply.attachment
    if attachment is not None:
        file = discord.File(io.BytesIO(attachment.data), filename=attachment.filename)
        if attachment.is_image:
            embed = discord.Embed(description=cut(plain(reply.text), MAX_DESCRIPTION))
            embed.set_image(url=f"attachment://{attachment.filename}")
            return Rendered(embeds=[embed], view=view, files=[file])
        return Rendered(content=cut(plain(reply.text), MAX_CONTENT), view=view, files=[file])
    if reply.tracks or reply.reading is not None:
        return Rendered(embeds=reply_embeds(reply), view=view)
    return Rendered(content=cut(plain(reply.text), MAX_CONTENT), view=view)
