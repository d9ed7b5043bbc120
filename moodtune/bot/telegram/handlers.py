"""python-telegram-bot callbacks: a Telegram update in, a neutral Message or Press to the
conversation core (moodtune.handlers.dispatch), what it returns rendered as Telegram
messages, edits and callback answers out.

Nothing here decides what to say or which buttons to show: it translates and renders.
"""

from __future__ import annotations

import dataclasses
import logging
from functools import partial
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    MessageEntity,
    ReplyParameters,
    Update,
    User,
)
from telegram import (
    Chat as TelegramChat,
)
from telegram import (
    Message as TelegramMessage,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from moodtune.bot.telegram.delivery import deliver, reply_target, send_text
from moodtune.bot.telegram.media import download
from moodtune.bot.telegram.render import (
    MAX_CAPTION,
    MAX_TEXT,
    fit,
    keyboard_json,
    keyboard_of,
    markup_of,
    reply_html,
)
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.incoming import Media, Message, Press, parse_command
from moodtune.handlers.outbound import Delivery
from moodtune.handlers.replies import Chat, PressOutcome, Reply, Sender
from moodtune.storage.models import InboxEvent

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
ANSWER_CHARS = 200  # Telegram's limit for a callback answer's text
GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)
ADMIN_COMMANDS = ("checkin",)  # in a group, only an admin sets the room's check-in


def sender_of(user: User) -> Sender:
    return Sender("telegram", str(user.id), user.full_name, user.language_code)


def chat_of(chat: TelegramChat) -> Chat | None:
    """The neutral chat; None for a kind the bot does not talk in (channels)."""
    if chat.type == ChatType.PRIVATE:
        return Chat("telegram", str(chat.id), "private", chat.full_name or "")
    if chat.type in GROUP_TYPES:
        return Chat("telegram", str(chat.id), "group", chat.title or "")
    return None


class TelegramBot:
    """The Telegram connector's callbacks; `attach` the core once the app is open."""

    platform = "telegram"

    def __init__(self, handlers: Handlers | None = None) -> None:
        self._handlers = handlers
        self._refused_kinds: set[str] = set()
        self.application: Application[Any, Any, Any, Any, Any, Any] | None = None

    def attach(self, handlers: Handlers) -> None:
        self._handlers = handlers
        handlers.messenger.connect(self)

    @property
    def attached(self) -> Handlers | None:
        return self._handlers

    @property
    def handlers(self) -> Handlers:
        if self._handlers is None:
            raise RuntimeError("the Telegram bot got an update before the app was opened")
        return self._handlers

    def register(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self.application = application
        new = filters.UpdateType.MESSAGE  # edits of old messages are not new feelings
        application.add_handlers(
            [MessageHandler(new, self.on_message), CallbackQueryHandler(self.on_button)]
        )
        application.add_error_handler(self.on_error)
        if self._handlers is not None:
            self._handlers.messenger.connect(self)

    # Messages.

    async def on_message(self, update: Update, context: Context) -> None:
        message = update.message
        if message is None:
            return
        chat = chat_of(message.chat)
        if message.left_chat_member is not None and chat is not None:
            await self.handlers.member_left(chat, str(message.left_chat_member.id))
            self.handlers.delivered(self.platform, str(update.update_id))
            return
        incoming = self.translate(update.update_id, message, context.bot.username, context.bot.id)
        if incoming is None:
            return
        if incoming.chat.is_group and incoming.command and incoming.command[0] in ADMIN_COMMANDS:
            incoming = dataclasses.replace(incoming, is_admin=await self._is_admin(message))
        reply = await self.handlers.on_message(incoming)
        if reply is not None:
            await self._reply(message, reply)
        self.handlers.delivered(self.platform, incoming.event_id)

    async def finish_interrupted(self, event: InboxEvent, update: Update) -> None:
        """An update answered before the last stop whose answer may not have gone out: that
        answer again when one was stored, else the update handled as if new."""
        assert self.application is not None
        message = update.message
        stored = None
        if message is not None and message.from_user is not None:
            stored = await self.handlers.stored_answer(event, sender_of(message.from_user))
        if stored is None:
            await self.application.process_update(update)
            return
        assert message is not None
        await self._reply(message, stored)
        self.handlers.delivered(self.platform, event.event_id)

    def translate(
        self, update_id: int, message: TelegramMessage, bot_username: str | None, bot_id: int
    ) -> Message | None:
        """The neutral message; None (logged once per kind) for one without a sender or in
        a chat the bot does not talk in."""
        chat = chat_of(message.chat)
        if message.from_user is None or chat is None:
            self._refuse(f"a message from {'no sender' if chat else message.chat.type}")
            return None
        text = message.text if message.text is not None else message.caption
        command = parse_command(message.text, bot_username) if message.text else None
        if message.text and message.text.startswith("/") and command is None:
            return None  # "/start@another_bot": for another bot in the group
        return Message(
            event_id=str(update_id),
            sender=sender_of(message.from_user),
            chat=chat,
            text=text,
            media=_media(message),
            addressed=chat.kind == "private"
            or command is not None
            or _mentions(message, bot_username)
            or _replies_to(message, bot_id),
            command=command,
        )

    async def apologise_for_delay(self, update: Update) -> None:
        """An update from before a restart, too old to answer as if it had just come."""
        message = update.message
        if message is None or self.application is None:
            return
        bot = self.application.bot
        incoming = self.translate(update.update_id, message, bot.username, bot.id)
        if incoming is not None:
            await self._reply(message, await self.handlers.too_late(incoming))
            self.handlers.delivered(self.platform, incoming.event_id)

    async def _is_admin(self, message: TelegramMessage) -> bool:
        """Whether the sender administers the group (asked of Telegram when it matters)."""
        assert message.from_user is not None
        try:
            member = await message.chat.get_member(message.from_user.id)
        except TelegramError as error:
            log.info("could not ask whether someone is an admin: %s", error)
            return False
        return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)

    def _refuse(self, what: str) -> None:
        if what not in self._refused_kinds:
            self._refused_kinds.add(what)
            log.warning("refused %s (logged once)", what)

    async def _reply(self, message: TelegramMessage, reply: Reply) -> None:
        """Answer `message`, always quoting it: updates are handled concurrently, so answers
        can arrive out of order (a photo takes longer than words), and in a group the quote
        says whom it answers."""
        attachment = reply.attachment
        if attachment is None:
            html, buttons = reply_html(reply), keyboard_json(reply.buttons)
            target = reply_target(message)  # quotes it
            await deliver(lambda: send_text(message.get_bot(), target, html, buttons), "reply")
            return
        quote = ReplyParameters(message.message_id, allow_sending_without_reply=True)
        markup = markup_of(reply.buttons)
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

    # Messages the bot starts (check-ins): the outbound interface.

    async def send(self, chat: Chat, reply: Reply) -> Delivery:
        if self.application is None:
            return Delivery.FAILED
        bot = self.application.bot
        try:
            if reply.attachment is not None and reply.attachment.is_image:
                await bot.send_photo(
                    int(chat.chat_id), reply.attachment.data,
                    caption=reply_html(reply, MAX_CAPTION), parse_mode=ParseMode.HTML,
                    reply_markup=markup_of(reply.buttons),
                )  # fmt: skip
            else:
                target = {"chat_id": int(chat.chat_id)}
                await send_text(bot, target, reply_html(reply), keyboard_json(reply.buttons))
        except Forbidden as error:  # blocked by the person, or removed from the group
            log.info("Telegram refused a message to a chat: %s", error)
            return Delivery.UNREACHABLE
        except TelegramError as error:
            if "chat not found" in str(error).lower():
                return Delivery.UNREACHABLE
            log.warning("a message the bot started was not delivered: %s", error)
            return Delivery.FAILED
        return Delivery.DELIVERED

    # Buttons.

    async def on_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        message = query.message if isinstance(query.message, TelegramMessage) else None
        chat = chat_of(message.chat) if message else None
        sender = sender_of(query.from_user)
        press = Press(
            event_id=str(update.update_id),
            sender=sender,
            chat=chat or Chat("telegram", sender.user_id),
            data=query.data,
            buttons=keyboard_of(message.reply_markup if message else None),
        )
        outcome = await self.handlers.on_press(press)
        await self._show(query, message, outcome)
        self.handlers.delivered(self.platform, press.event_id)

    async def _show(
        self, query: CallbackQuery, message: TelegramMessage | None, outcome: PressOutcome
    ) -> None:
        await _answer(query, outcome.notice, outcome.alert)
        if outcome.text is not None:
            text = fit(outcome.text, MAX_TEXT)
            markup = markup_of(outcome.buttons or ())
            edit = partial(query.edit_message_text, text, parse_mode=ParseMode.HTML,
                           reply_markup=markup)  # fmt: skip
            await deliver(edit, "edited answer")
        elif outcome.buttons is not None and query.message is not None:
            markup = markup_of(outcome.buttons) or InlineKeyboardMarkup([])
            await deliver(lambda: query.edit_message_reply_markup(markup), "button update")
        if outcome.follow_up is not None:
            follow_up = outcome.follow_up
            target = {"chat_id": message.chat_id if message else query.from_user.id}
            html, buttons = reply_html(follow_up), keyboard_json(follow_up.buttons)
            await deliver(lambda: send_text(query.get_bot(), target, html, buttons), "follow-up")

    # Whatever escaped: logged (tokens redacted, see bot/redaction.py), and an apology.

    async def on_error(self, update: object, context: Context) -> None:
        log.error("an update failed", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_user is None:
            return
        sender = sender_of(update.effective_user)
        text = self.handlers.say(sender, "server_error") if self._handlers else "Sorry!"
        if update.callback_query:
            await _answer(update.callback_query, text)
        elif update.message:
            await self._reply(update.message, Reply(text, ok=False))


def _media(message: TelegramMessage) -> Media | None:
    bot = message.get_bot()

    def fetcher(file_id: str, size: int | None) -> Any:
        return lambda limit: download(bot, file_id, size, limit)

    if message.photo:
        largest = message.photo[-1]
        return Media("photo", largest.file_size, fetcher(largest.file_id, largest.file_size))
    sound = message.voice or message.audio
    if sound is not None:
        return Media("voice", sound.file_size, fetcher(sound.file_id, sound.file_size),
                     media_type=sound.mime_type)  # fmt: skip
    if message.document is not None:
        document = message.document
        return Media(
            "document", document.file_size, fetcher(document.file_id, document.file_size),
            media_type=document.mime_type, filename=document.file_name,
        )  # fmt: skip
    if message.sticker is not None:
        return Media("sticker", emoji=message.sticker.emoji)
    return None


def _mentions(message: TelegramMessage, bot_username: str | None) -> bool:
    if not bot_username:
        return False
    wanted = f"@{bot_username}".lower()
    entities = message.parse_entities([MessageEntity.MENTION]) or message.parse_caption_entities(
        [MessageEntity.MENTION]
    )
    return any(text.lower() == wanted for text in entities.values())


def _replies_to(message: TelegramMessage, bot_id: int) -> bool:
    original = message.reply_to_message
    return (
        original is not None and original.from_user is not None and original.from_user.id == bot_id
    )


async def _answer(query: CallbackQuery, text: str | None = None, alert: bool = False) -> None:
    shown = text[: ANSWER_CHARS - 1] + "…" if text and len(text) > ANSWER_CHARS else text
    await deliver(lambda: query.answer(shown, show_alert=alert), "button answer")
