"""python-telegram-bot callbacks: an update in, the platform-neutral handlers, a reply out.

Nothing here decides what to say; it fetches media into memory, guards against duplicate
updates and floods, checks button presses, and renders Replies.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from moodtune.bot.telegram.callbacks import CallbackDataError, ShowGroups, decode
from moodtune.bot.telegram.delivery import deliver, reply_target, send_text
from moodtune.bot.telegram.media import MB, FileTooBigError, download
from moodtune.bot.telegram.render import (
    MAX_CAPTION,
    MAX_TEXT,
    fit,
    keyboard,
    reply_html,
    reply_markup,
    with_groups,
    with_vote,
    without_corrections,
)
from moodtune.handlers.actions import Correct, Forget, Vote
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.documents import document_kind
from moodtune.handlers.rate_limit import Admission
from moodtune.handlers.replies import Reply, Sender

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
SEEN_UPDATES = 50_000  # update ids remembered to drop redeliveries
ANSWER_CHARS = 200  # Telegram's limit for a callback answer's text


class SeenUpdates:
    """The last `size` update ids: Telegram may deliver an update again (webhook retries)."""

    def __init__(self, size: int = SEEN_UPDATES) -> None:
        self._order: deque[int] = deque()
        self._ids: set[int] = set()
        self._size = size

    def first_time(self, update_id: int) -> bool:
        if update_id in self._ids:
            return False
        self._ids.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self._size:
            self._ids.discard(self._order.popleft())
        return True


def sender_of(user: User) -> Sender:
    return Sender("telegram", str(user.id), user.full_name, user.language_code)


def _chat_id(message: Message) -> str:
    return str(message.chat_id)


class TelegramBot:
    """The Telegram adapter's callbacks; `attach` the handlers once the app is open."""

    def __init__(self, handlers: Handlers | None = None) -> None:
        self._handlers = handlers
        self.seen = SeenUpdates()

    def attach(self, handlers: Handlers) -> None:
        self._handlers = handlers

    @property
    def attached(self) -> Handlers | None:
        return self._handlers

    @property
    def handlers(self) -> Handlers:
        if self._handlers is None:
            raise RuntimeError("the Telegram bot got an update before the app was opened")
        return self._handlers

    def register(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        new = filters.UpdateType.MESSAGE  # edits of old messages are not new feelings
        application.add_handler(TypeHandler(Update, self.guard), group=-1)
        application.add_handlers(
            [
                MessageHandler(new & filters.COMMAND, self.on_command),
                MessageHandler(new & filters.TEXT, self.on_text),
                MessageHandler(new & filters.PHOTO, self.on_photo),
                MessageHandler(new & (filters.VOICE | filters.AUDIO), self.on_voice),
                MessageHandler(new & filters.Sticker.ALL, self.on_sticker),
                MessageHandler(new & filters.Document.ALL, self.on_document),
                MessageHandler(new, self.on_other),
                CallbackQueryHandler(self.on_button),
            ]
        )
        application.add_error_handler(self.on_error)

    # Before anything else: each update once, and no one person flooding the bot.

    async def guard(self, update: Update, context: Context) -> None:
        if not self.seen.first_time(update.update_id):
            log.info("update %d delivered again; handled once", update.update_id)
            raise ApplicationHandlerStop
        message = update.message
        if message is None or message.from_user is None:
            return
        sender = sender_of(message.from_user)
        admission = self.handlers.admit(sender)
        if admission is Admission.REFUSED_TELL:
            await self._reply(message, sender, self.handlers.too_fast(sender))
        if admission is not Admission.ALLOWED:
            raise ApplicationHandlerStop

    # Messages.

    async def on_text(self, update: Update, context: Context) -> None:
        message, sender = _message(update)
        reply = await self.handlers.conversation.on_text(
            sender, message.text or "", _chat_id(message)
        )
        await self._reply(message, sender, reply)

    async def on_photo(self, update: Update, context: Context) -> None:
        message, sender = _message(update)
        largest = message.photo[-1]
        limit = self.handlers.app.settings.max_photo_bytes
        data = await self._fetch(message, sender, largest.file_id, largest.file_size, limit)
        if data is not None:
            reply = await self.handlers.conversation.on_photo(
                sender, data, message.caption, _chat_id(message)
            )
            await self._reply(message, sender, reply)

    async def on_voice(self, update: Update, context: Context) -> None:
        message, sender = _message(update)
        sound = message.voice or message.audio
        assert sound is not None  # the filter let only voice notes and audio through
        limit = self.handlers.app.settings.max_voice_bytes
        data = await self._fetch(message, sender, sound.file_id, sound.file_size, limit)
        if data is not None:
            reply = await self.handlers.conversation.on_voice(
                sender, data, message.caption, _chat_id(message)
            )
            await self._reply(message, sender, reply)

    async def on_sticker(self, update: Update, context: Context) -> None:
        message, sender = _message(update)
        emoji = message.sticker.emoji if message.sticker else None
        reply = await self.handlers.conversation.on_sticker(sender, emoji, _chat_id(message))
        await self._reply(message, sender, reply)

    async def on_document(self, update: Update, context: Context) -> None:
        """Photos and sound sent as files are read; anything else is refused unread."""
        message, sender = _message(update)
        document = message.document
        assert document is not None
        conversation = self.handlers.conversation
        kind = document_kind(document.mime_type, document.file_name)
        if kind is None:
            name = document.file_name or document.mime_type or ""
            await self._reply(message, sender, conversation.unsupported_document(sender, name))
            return
        settings = self.handlers.app.settings
        limit = settings.max_photo_bytes if kind == "photo" else settings.max_voice_bytes
        data = await self._fetch(message, sender, document.file_id, document.file_size, limit)
        if data is not None:
            reply = await conversation.on_document(
                sender, data, document.mime_type, document.file_name, message.caption,
                _chat_id(message),
            )  # fmt: skip
            await self._reply(message, sender, reply)

    async def on_command(self, update: Update, context: Context) -> None:
        message, sender = _message(update)
        words = (message.text or "").split()
        name, _, addressee = words[0].removeprefix("/").partition("@")
        if addressee and addressee.lower() != (context.bot.username or "").lower():
            return  # "/start@another_bot" in a group
        reply = await self.handlers.commands.run(sender, name, words[1:])
        await self._reply(message, sender, reply)

    async def on_other(self, update: Update, context: Context) -> None:
        message, sender = _message(update)
        if message.chat.type != ChatType.PRIVATE:
            return  # service messages in groups (joins, pins...) need no answer
        text = self.handlers.say(sender, "unsupported_message")
        await self._reply(message, sender, Reply(text, ok=False))

    async def _fetch(
        self, message: Message, sender: Sender, file_id: str, size: int | None, limit: int
    ) -> bytes | None:
        """The file's bytes, or None after telling the person why they cannot be read."""
        try:
            return await download(message.get_bot(), file_id, size, limit)
        except FileTooBigError as error:
            limit = f"{error.limit / MB:.0f}"
            if error.size is None:
                text = self.handlers.say(sender, "file_too_big_unknown", limit=limit)
            else:
                size = f"{error.size / MB:.1f}"
                text = self.handlers.say(sender, "file_too_big", size=size, limit=limit)
        except TelegramError as error:
            log.warning("could not download a file: %s", error)
            text = self.handlers.say(sender, "download_failed")
        await self._reply(message, sender, Reply(text, ok=False))
        return None

    async def _reply(self, message: Message, sender: Sender, reply: Reply) -> None:
        """Answer `message`, always quoting it: updates are handled concurrently, so answers
        can arrive out of order (a photo takes longer than words), and in a group the quote
        says whom it answers."""
        language = self.handlers.conversation.language(sender)
        owner = int(sender.user_id)
        attachment = reply.attachment
        if attachment is None:
            html, buttons = reply_html(reply), keyboard(reply, owner, language)
            target = reply_target(message)  # quotes it
            await deliver(lambda: send_text(message.get_bot(), target, html, buttons), "reply")
            return
        quote = ReplyParameters(message.message_id, allow_sending_without_reply=True)
        markup = reply_markup(reply, owner, language)
        caption = reply_html(reply, MAX_CAPTION)
        if attachment.is_image:
            await deliver(
                lambda: message.reply_photo(
                    attachment.data, caption=caption, parse_mode=ParseMode.HTML,
                    reply_markup=markup, reply_parameters=quote,
                ),
                "chart",
            )  # fmt: skip
            return
        await deliver(
            lambda: message.reply_document(
                attachment.data, filename=attachment.filename, caption=caption,
                parse_mode=ParseMode.HTML, reply_markup=markup, reply_parameters=quote,
            ),
            "export",
        )  # fmt: skip

    # Buttons.

    async def on_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        sender = sender_of(query.from_user)
        try:
            press = decode(query.data)
        except CallbackDataError as error:
            log.info("refused a button press: %s", error)
            await _answer(query, self.handlers.say(sender, "button_expired"))
            return
        if press.owner != query.from_user.id:
            await _answer(query, self.handlers.say(sender, "not_yours"), alert=True)
            return
        message = query.message if isinstance(query.message, Message) else None
        markup = message.reply_markup if message else None
        if isinstance(press.action, ShowGroups):
            language = self.handlers.conversation.language(sender)
            opened = with_groups(markup, press.owner, press.action.recommendation_id, language)
            await _answer(query)
            await _edit_markup(query, opened)
            return
        chat_id = str(message.chat_id) if message else None
        reply = await self.handlers.on_action(sender, press.action, chat_id)
        action = press.action
        if isinstance(action, Vote):
            await _answer(query, reply.text)
            if reply.ok:
                await _edit_markup(query, with_vote(markup, action.recommendation_id, action.value))
        elif isinstance(action, Correct):
            await _answer(query, None if reply.ok else reply.text)
            if reply.ok:
                await _edit_markup(query, without_corrections(markup))
                await self._send(context, message, query.from_user.id, sender, reply)
        elif isinstance(action, Forget):
            await _answer(query)
            answer = fit(reply.text, MAX_TEXT)
            await deliver(
                lambda: query.edit_message_text(answer, parse_mode=ParseMode.HTML), "forget answer"
            )

    async def _send(
        self, context: Context, near: Message | None, user_id: int, sender: Sender, reply: Reply
    ) -> None:
        """A new message (not a reply to one): into the chat of `near`, else to the person."""
        target = {"chat_id": near.chat_id if near else user_id}
        buttons = keyboard(reply, user_id, self.handlers.conversation.language(sender))
        html = reply_html(reply)
        await deliver(lambda: send_text(context.bot, target, html, buttons), "correction reply")

    # Whatever escaped: logged (token redacted by telegram_logging), and an apology.

    async def on_error(self, update: object, context: Context) -> None:
        log.error("an update failed", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_user is None:
            return
        sender = sender_of(update.effective_user)
        text = self.handlers.say(sender, "server_error") if self._handlers else "Sorry!"
        if update.callback_query:
            await _answer(update.callback_query, text)
        elif update.message:
            await self._reply(update.message, sender, Reply(text, ok=False))


def _message(update: Update) -> tuple[Message, Sender]:
    message = update.message
    assert message is not None and message.from_user is not None
    return message, sender_of(message.from_user)


async def _answer(query: CallbackQuery, text: str | None = None, alert: bool = False) -> None:
    shown = text[: ANSWER_CHARS - 1] + "…" if text and len(text) > ANSWER_CHARS else text
    await deliver(lambda: query.answer(shown, show_alert=alert), "button answer")


async def _edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup) -> None:
    if query.message is not None:
        await deliver(lambda: query.edit_message_reply_markup(markup), "button update")
