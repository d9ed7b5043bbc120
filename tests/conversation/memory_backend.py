"""An in-memory connector for specifying the conversation once, for every platform.

In the manner of Errbot's TestBackend: no network and no platform library, only the
neutral calls every connector makes (moodtune.handlers.incoming) and what the core hands
back. It keeps what each person sees the way a chat app would: the buttons under each
message change when the core says so, and messages the bot starts arrive in an outbox.

    backend = MemoryBackend(handlers)
    ann = backend.person("ann")
    reply = await ann.say("I feel lonely tonight")
    outcome = await ann.press(reply, "👍 1")
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from moodtune.handlers.buttons import action_of
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.incoming import FetchError, FileTooBigError, Media, Message, Press
from moodtune.handlers.outbound import Delivery
from moodtune.handlers.replies import Button, Chat, Keyboard, PressOutcome, Reply, Sender

BY_LABEL = object()  # press the button by its label, not with forged data


@dataclass
class Shown:
    """A message on the person's screen: the reply, and its buttons as they are now."""

    reply: Reply
    buttons: Keyboard
    chat: Chat


class MemoryBackend:
    """A platform in memory: people, chats, and the bot's messages to them."""

    def __init__(self, handlers: Handlers, platform: str = "local") -> None:
        self.handlers = handlers
        self.platform = platform
        self.outbox: list[tuple[Chat, Reply]] = []  # messages the bot started, delivered
        self.blocked: set[str] = set()  # chat ids that refuse the bot's messages
        self.failing: set[str] = set()  # chat ids where delivery fails for now
        self._events = itertools.count(1)
        handlers.messenger.connect(self)

    def event_id(self) -> str:
        return str(next(self._events))

    def person(self, name: str, language: str | None = "en") -> Person:
        return Person(self, Sender(self.platform, name, name.title(), language))

    def group(self, chat_id: str, title: str = "A group") -> Chat:
        return Chat(self.platform, chat_id, "group", title)

    async def send(self, chat: Chat, reply: Reply) -> Delivery:
        """The outbound interface: what a connector does for messages the bot starts."""
        if chat.chat_id in self.blocked:
            return Delivery.UNREACHABLE
        if chat.chat_id in self.failing:
            return Delivery.FAILED
        self.outbox.append((chat, reply))
        return Delivery.DELIVERED


@dataclass
class Person:
    backend: MemoryBackend
    sender: Sender
    screen: dict[int, Shown] = field(default_factory=dict)  # by id(reply)

    @property
    def private(self) -> Chat:
        return Chat(self.backend.platform, self.sender.user_id, "private", self.sender.display_name)

    async def send(self, message: Message) -> Reply | None:
        reply = await self.backend.handlers.on_message(message)
        if reply is not None:
            self.screen[id(reply)] = Shown(reply, reply.buttons, message.chat)
        return reply

    def message(self, text: str | None = None, **fields: object) -> Message:
        chat = fields.pop("chat", None) or self.private
        return Message(self.backend.event_id(), self.sender, chat, text, **fields)  # type: ignore[arg-type]

    async def say(self, text: str, chat: Chat | None = None, addressed: bool = True) -> Reply:
        reply = await self.send(self.message(text, chat=chat, addressed=addressed))
        assert reply is not None, f"no reply to {text!r}"
        return reply

    async def command(self, line: str, chat: Chat | None = None) -> Reply:
        name, *args = line.removeprefix("/").split()
        message = self.message(line, chat=chat, command=(name.lower(), tuple(args)))
        reply = await self.send(message)
        assert reply is not None, f"no reply to {line!r}"
        return reply

    async def attach(
        self,
        kind: str,
        data: bytes,
        caption: str | None = None,
        *,
        size: int | None = -1,
        media_type: str | None = None,
        filename: str | None = None,
        fetch: Callable[[int], Awaitable[bytes]] | None = None,
        chat: Chat | None = None,
    ) -> Reply:
        """A photo, voice note or document; `size` as the platform announces it (-1: the
        real size, None: not announced); `fetch` replaces the download."""
        fetched: list[int] = []

        async def download(limit: int) -> bytes:
            fetched.append(limit)
            if len(data) > limit:
                raise FileTooBigError(len(data), limit)
            return data

        media = Media(kind, len(data) if size == -1 else size, fetch or download,  # type: ignore[arg-type]
                      media_type=media_type, filename=filename)  # fmt: skip
        reply = await self.send(self.message(caption, chat=chat, media=media))
        assert reply is not None
        self.last_fetches = fetched
        return reply

    async def sticker(self, emoji: str | None) -> Reply:
        reply = await self.send(self.message(None, media=Media("sticker", emoji=emoji)))
        assert reply is not None
        return reply

    def buttons(self, reply: Reply) -> list[Button]:
        shown = self.screen.get(id(reply))
        keyboard = shown.buttons if shown else reply.buttons
        return [button for row in keyboard for button in row]

    def labels(self, reply: Reply) -> list[str]:
        return [button.label for button in self.buttons(reply)]

    def button(self, reply: Reply, label: str) -> Button:
        found = [b for b in self.buttons(reply) if b.label.startswith(label)]
        assert found, f"no button {label!r} among {self.labels(reply)}"
        return found[0]

    async def press(self, reply: Reply, label: str, *, data: object = BY_LABEL) -> PressOutcome:
        """Press the button starting with `label` under `reply` (or send forged `data`)."""
        shown = self.screen.setdefault(id(reply), Shown(reply, reply.buttons, self.private))
        button_data = self.button(reply, label).data if data is BY_LABEL else data
        press = Press(self.backend.event_id(), self.sender, shown.chat, button_data, shown.buttons)
        outcome = await self.backend.handlers.on_press(press)
        if outcome.buttons is not None:
            shown.buttons = outcome.buttons
        if outcome.follow_up is not None:
            follow_up = outcome.follow_up
            self.screen[id(follow_up)] = Shown(follow_up, follow_up.buttons, shown.chat)
        return outcome

    def actions(self, reply: Reply) -> list[object]:
        return [action_of(button) for button in self.buttons(reply)]


async def fetch_fails(limit: int) -> bytes:
    raise FetchError("the platform lost the file")
