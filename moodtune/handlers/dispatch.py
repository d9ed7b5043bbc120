"""Everything an adapter calls: messages, commands, button presses, and the flood guard."""

from __future__ import annotations

from moodtune.handlers.actions import Action, CheckinAnswer, Correct, Forget, Vote
from moodtune.handlers.commands import Commands
from moodtune.handlers.conversation import Conversation, Services
from moodtune.handlers.messages import say
from moodtune.handlers.rate_limit import Admission, PersonRateLimit
from moodtune.handlers.replies import Reply, Sender


class Handlers:
    def __init__(self, app: Services) -> None:
        self.app = app
        self.conversation = Conversation(app)
        self.commands = Commands(app)
        self.checkins = self.commands.checkins
        self.limit = PersonRateLimit(app.settings.messages_per_minute)

    async def on_action(self, sender: Sender, action: Action, chat_id: str | None = None) -> Reply:
        """A button press, already checked to come from the person the reply was for."""
        match action:
            case Vote(recommendation_id, value):
                return await self.conversation.on_feedback(sender, recommendation_id, value)
            case Correct(recommendation_id, group):
                return await self.conversation.on_correction(
                    sender, recommendation_id, group, chat_id
                )
            case Forget():
                return await self.commands.on_forget(sender, action)
            case CheckinAnswer():
                return await self.checkins.on_answer(sender, action, chat_id)

    def admit(self, sender: Sender) -> Admission:
        """Whether to handle this person's next message (see PersonRateLimit)."""
        return self.limit.admit(f"{sender.platform}:{sender.user_id}")

    def too_fast(self, sender: Sender) -> Reply:
        language = self.conversation.language(sender)
        return Reply(say("too_fast", language, limit=self.limit.per_minute), ok=False)

    def say(self, sender: Sender, key: str, **values: object) -> str:
        """One of the bot's sentences, in this person's language."""
        return say(key, self.conversation.language(sender), **values)
