"""The Telegram connector, on python-telegram-bot 22: Telegram updates in, neutral calls to
the conversation core (moodtune.handlers), Replies rendered as Telegram messages out.

python-telegram-bot is imported nowhere else in moodtune.
"""

from moodtune.bot.telegram.application import build_application
from moodtune.bot.telegram.intake import ALLOWED_UPDATES

__all__ = ["ALLOWED_UPDATES", "build_application"]
