"""Group chats: /playlist for the room, /mood of the room, votes on the room's tracks, a
member leaving, and a playlist that never reached the chat. Platform-neutral; the
dispatcher calls these for a chat of kind "group".

What a group sees about a member: their name beside the tracks picked mainly for them, and
one line with how well the list fits them. Never their mood, their words or their votes
(a vote is acknowledged to the voter alone); /mood in a group shows how many members feel
each way, without names.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from moodtune.emotion_engines.engine import run_blocking
from moodtune.handlers.actions import Vote
from moodtune.handlers.buttons import room_keyboard
from moodtune.handlers.conversation import Services
from moodtune.handlers.language import language_for
from moodtune.handlers.messages import say
from moodtune.handlers.replies import Attachment, Chat, OfferedTrack, PressOutcome, Reply, Sender
from moodtune.handlers.room_chart import render_room_chart, room_counts, room_line
from moodtune.recommender.for_group import Counted, counted_members, recommend_for_group
from moodtune.recommender.groups import STRATEGIES, Strategy
from moodtune.storage import feedback, moods, persons, room_offers

log = logging.getLogger(__name__)

MAX_FIT_LINES = 30  # members listed by name under a playlist; the rest are summed up
MAX_NAME = 40
BAR = 5
STRATEGY_WORDS: dict[str, Strategy] = {
    **{s: s for s in STRATEGIES},
    "least_misery": "least-misery", "leastmisery": "least-misery", "misery": "least-misery",
    "公平": "fair", "平均": "average", "最少失落": "least-misery",
}  # fmt: skip


class PlaylistArgumentError(ValueError):
    """/playlist arguments that cannot be used: `key` and `values` say why, in a sentence."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class PlaylistRequest:
    size: int
    strategy: Strategy


def parse_playlist(args: Sequence[str], default: int, most: int) -> PlaylistRequest:
    """'/playlist 8 least-misery' → (8, 'least-misery'); in any order, each at most once."""
    size: int | None = None
    strategy: Strategy | None = None
    for word in args:
        number = word[1:] if word[:1] in ("+", "-") else word  # "-3" is a number, out of range
        if number.isascii() and number.isdigit():
            if size is not None:
                raise PlaylistArgumentError("playlist_usage", low=1, high=most)
            asked = int(word) if len(number) <= 6 else most + 1  # no 4,000-digit int()
            if not 1 <= asked <= most:
                shown = word if len(word) <= 12 else word[:12] + "…"
                raise PlaylistArgumentError(
                    "playlist_range", low=1, high=most, asked=shown, default=min(default, most)
                )
            size = asked
        elif word.casefold() in STRATEGY_WORDS and strategy is None:
            strategy = STRATEGY_WORDS[word.casefold()]
        else:
            raise PlaylistArgumentError("playlist_usage", low=1, high=most)
    return PlaylistRequest(min(default, most) if size is None else size, strategy or "fair")


class Playlists:
    def __init__(self, app: Services) -> None:
        self.app = app

    def language(self, sender: Sender) -> str:
        return language_for(self.app.settings.language, sender.language)

    async def playlist(self, sender: Sender, chat: Chat | None, args: Sequence[str]) -> Reply:
        """/playlist [n] [fair|average|least-misery] in a group: the room's list, stored."""
        language = self.language(sender)
        settings = self.app.settings
        if chat is None or not chat.is_group:
            return Reply(say("playlist_private", language), ok=False)
        try:
            asked = parse_playlist(args, settings.playlist_size, settings.playlist_max)
        except PlaylistArgumentError as error:
            return Reply(say(error.key, language, **error.values), ok=False)
        answer = await recommend_for_group(
            self.app.people, self.app.catalog, settings, chat.platform, chat.chat_id,
            asked.size, asked.strategy,
        )  # fmt: skip
        if not answer.members:
            return Reply(say("playlist_nobody", language), ok=False)
        names = [_name(m, number, language) for number, m in enumerate(answer.members, 1)]
        if not answer.offer_ids:
            return Reply(say("playlist_empty", language), ok=False)
        playlist = answer.playlist
        offered = tuple(
            OfferedTrack(
                offer, pick.track, say("playlist_for", language, name=names[pick.for_member])
            )
            for offer, pick in zip(answer.offer_ids, playlist.picks, strict=True)
        )
        strategy = say(f"strategy_{playlist.strategy}", language)
        lines = [say("playlist_header", language, strategy=strategy, count=len(names))]
        lines += _fit_lines(names, playlist.fit.tolist(), playlist.aimed.tolist(), language)
        if sender.user_id not in {m.user_id for m in answer.members}:
            lines.append(say("playlist_invite_you", language))
        lines.append(say("playlist_invite", language))
        reply = Reply("\n".join(lines), offered)
        return replace(reply, buttons=room_keyboard(reply))

    async def room_mood(self, sender: Sender, chat: Chat) -> Reply:
        """/mood in a group: how many of the counted members feel each way, as a chart."""
        language = self.language(sender)
        members = await counted_members(
            self.app.people, self.app.settings, chat.platform, chat.chat_id
        )
        if not members:
            return Reply(say("room_mood_empty", language))
        counts = room_counts(m.mood.values for m in members)
        png = await run_blocking(
            render_room_chart, counts, language, workers=self.app.settings.analysis_workers
        )
        text = say("room_mood", language, count=len(members), groups=room_line(counts, language))
        return Reply(text, attachment=Attachment("room-mood.png", png, "image/png"))

    async def on_vote(self, sender: Sender, chat: Chat, vote: Vote) -> PressOutcome:
        """👍 / 👎 on a track of the room's playlist, by any member: stored for the voter
        only, told to the voter only; the buttons do not change (others would see them)."""
        language = self.language(sender)
        unknown = PressOutcome(notice=say("room_vote_unknown", language))
        if not chat.is_group:
            return unknown
        try:
            person = await self.app.people.get(
                sender.platform, sender.user_id, sender.display_name, sender.language
            )
        except persons.PersonError as error:
            log.info("room vote refused: %s", error)
            return unknown
        mine = await counted_members(
            self.app.people, self.app.settings, chat.platform, chat.chat_id, person_id=person.id
        )
        mood = mine[0].mood.values if mine else None
        try:
            await self.app.people.room_vote(
                person, sender.platform, sender.user_id, vote.recommendation_id, vote.value,
                chat.chat_id, mood,
            )  # fmt: skip
        except feedback.FeedbackError as error:
            log.info("room vote refused: %s", error)
            return unknown
        return PressOutcome(notice=say("room_vote_up" if vote.value > 0 else "room_vote_down",
                                       language))  # fmt: skip

    async def member_left(self, chat: Chat, user_id: str) -> int:
        """A member left the group (or was removed): their moods there are deleted, so they
        are no longer counted, and past playlists there no longer name them. Their own
        thumbs stay theirs. How many moods were deleted."""
        async with self.app.sessions() as session, session.begin():
            person = await persons.get(session, chat.platform, user_id)
            if person is None:
                return 0
            deleted = await moods.forget_in_chat(session, person.id, chat.chat_id)
            await room_offers.forget_member(session, person.id, chat.platform, chat.chat_id)
        # What the bot keeps of them in memory includes those moods: read it afresh.
        self.app.people.reread(chat.platform, user_id)
        return deleted

    async def withdraw(self, chat: Chat, reply: Reply) -> int:
        """A playlist that never reached the chat (the bot was removed meanwhile): its
        tracks leave the group's window and cannot be voted on. How many were withdrawn."""
        ids = [offered.recommendation_id for offered in reply.tracks]
        async with self.app.sessions() as session, session.begin():
            return await room_offers.withdraw(session, chat.platform, chat.chat_id, ids)


def _name(member: Counted, number: int, language: str) -> str:
    name = " ".join(member.name.split())
    if not name:
        return say("member", language, number=number)
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


def _fit_lines(names: list[str], fits: list[float], aimed: list[int], language: str) -> list[str]:
    """One line per member: how well the list fits them (their scores over the list ÷ over
    the best list for them alone), and how many tracks are theirs."""
    lines = []
    for name, fit, tracks in zip(names[:MAX_FIT_LINES], fits, aimed, strict=False):
        filled = round(BAR * fit)
        bar = "▰" * filled + "▱" * (BAR - filled)
        lines.append(say("playlist_fit", language, name=name, bar=bar, fit=round(100 * fit),
                         tracks=tracks))  # fmt: skip
    if len(names) > MAX_FIT_LINES:
        rest = fits[MAX_FIT_LINES:]
        low, high = round(100 * min(rest)), round(100 * max(rest))
        lines.append(say("playlist_more", language, count=len(rest), low=low, high=high))
    return lines
