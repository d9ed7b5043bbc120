"""The web connector's side of the conversation: a page's frames and uploads in, neutral
Messages and Presses to the core, rendered replies out; and the open pages themselves,
counted and bounded, to which the bot can also write first (the Outbound interface)."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from aiohttp import WSCloseCode, web

from moodtune.bot.web.protocol import PressFrame, TextFrame
from moodtune.bot.web.render import View, outcome_view, reply_view
from moodtune.bot.web.uploads import Upload
from moodtune.handlers.commands import command_menu
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.incoming import Message, Press, parse_command
from moodtune.handlers.outbound import Delivery
from moodtune.handlers.platforms import file_limit
from moodtune.handlers.rate_limit import Admission, PersonRateLimit
from moodtune.handlers.replies import Chat, Reply, Sender

PLATFORM = "web"
PRESSES_PER_MINUTE = 120  # buttons are cheap, but a script could press them in a loop
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def browser_language(accept_language: str | None) -> str | None:
    """The browser's first language from its Accept-Language header ('zh-CN', 'en')."""
    first = (accept_language or "").split(",")[0].split(";")[0].strip()
    return first if _LANGUAGE_TAG.fullmatch(first) else None


class WebChat:
    """Frames from pages to the core and back; the open pages, per person."""

    platform = PLATFORM

    def __init__(self, handlers: Handlers) -> None:
        self.handlers = handlers
        self.settings = handlers.app.settings
        self.presses = PersonRateLimit(PRESSES_PER_MINUTE)
        self._pages: dict[str, dict[web.WebSocketResponse, Sender]] = {}
        self.open_pages = 0

    # People and their pages.

    def sender(self, person: str, accept_language: str | None) -> Sender:
        return Sender(PLATFORM, person, "", browser_language(accept_language))

    def chat(self, sender: Sender) -> Chat:
        return Chat(PLATFORM, sender.user_id, "private")

    def refusal(self, person: str) -> str | None:
        """Why one more page may not open (a sentence key), None when it may."""
        if self.open_pages >= self.settings.web_max_sockets:
            return "web_busy"
        if len(self._pages.get(person, ())) >= self.settings.web_sockets_per_person:
            return "web_too_many_tabs"
        return None

    def opened(self, sender: Sender, page: web.WebSocketResponse) -> None:
        self._pages.setdefault(sender.user_id, {})[page] = sender
        self.open_pages += 1

    def closed(self, sender: Sender, page: web.WebSocketResponse) -> None:
        pages = self._pages.get(sender.user_id, {})
        if pages.pop(page, None) is not None:
            self.open_pages -= 1
        if not pages:
            self._pages.pop(sender.user_id, None)

    async def close_all(self) -> None:
        """Close every open page, saying the server is going away (pages reconnect by
        themselves when it is back): the server's shutdown then waits for no idle page."""
        pages = [page for person in self._pages.values() for page in person]
        await asyncio.gather(
            *(page.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping") for page in pages)
        )

    def hello(self, sender: Sender) -> View:
        """What the page needs before the first message: language, commands, limits."""
        language = self.handlers.conversation.language(sender)
        settings = self.settings
        return {
            "type": "hello",
            "language": language,
            "commands": command_menu(language),
            "limits": {
                "photo_bytes": file_limit(settings, PLATFORM, "photo"),
                "voice_bytes": file_limit(settings, PLATFORM, "voice"),
                "voice_seconds": settings.max_voice_seconds,
                "text_chars": settings.max_text_chars,
            },
        }

    # What pages send.

    async def on_text(self, sender: Sender, frame: TextFrame) -> View:
        command = parse_command(frame.text) if frame.text.startswith("/") else None
        message = Message(
            self._event(sender, frame.id), sender, self.chat(sender), frame.text, command=command
        )
        return self._reply_frame(
            frame.id, await self.handlers.on_message(message), sender, frame.text
        )

    async def on_upload(self, sender: Sender, upload: Upload) -> View:
        event = self._event(sender, upload.id)
        message = Message(event, sender, self.chat(sender), upload.caption, upload.media)
        reply = await self.handlers.on_message(message)
        return self._reply_frame(upload.id, reply, sender, upload.caption or "")

    async def on_press(self, sender: Sender, frame: PressFrame) -> View:
        if self.presses.admit(sender.user_id) is not Admission.ALLOWED:
            return {"type": "refused", "to": frame.id}
        press = Press(
            self._event(sender, frame.id), sender, self.chat(sender), frame.data, frame.buttons
        )
        outcome = await self.handlers.on_press(press)
        language = self.handlers.conversation.language(sender)
        return {"type": "outcome", "to": frame.id, "outcome": outcome_view(outcome, language)}

    def error(self, sender: Sender, key: str, to: str | None = None, **values: Any) -> View:
        return {"type": "error", "to": to, "text": self.handlers.say(sender, key, **values)}

    def _reply_frame(self, to: str, reply: Reply | None, sender: Sender, text: str) -> View:
        if reply is None:  # a flood or a repeated message: handled, nothing to say
            return {"type": "refused", "to": to}
        language = self.handlers.conversation.language(sender, text)
        return {"type": "reply", "to": to, "reply": reply_view(reply, language)}

    @staticmethod
    def _event(sender: Sender, page_id: str) -> str:
        return f"{sender.user_id}:{page_id}"  # a page's ids are unique for its person only

    # The bot writing first (check-ins): moodtune.handlers.outbound.Outbound.

    async def send(self, chat: Chat, reply: Reply) -> Delivery:
        """To every open page of the person; FAILED when none is open (try again later:
        a closed tab is not a person who left)."""
        pages = list(self._pages.get(chat.chat_id, {}).items())
        delivered = False
        for page, sender in pages:
            language = self.handlers.conversation.language(sender)
            frame = {"type": "message", "reply": reply_view(reply, language)}
            delivered = await send_frame(page, frame) or delivered
        return Delivery.DELIVERED if delivered else Delivery.FAILED


async def send_frame(page: web.WebSocketResponse, frame: View) -> bool:
    """Whether the frame went out. A page closed meanwhile (a tab shut mid-reply) is no
    error: what its message changed (a mood, the offers) is stored as on any platform."""
    if page.closed:
        return False
    try:
        await page.send_str(json.dumps(frame, ensure_ascii=False))
    except ConnectionError:
        return False
    return True
