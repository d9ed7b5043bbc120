"""Messages the bot starts (check-ins) on Discord: the outbound interface of the core.

A private chat's id is the person's id: the DM channel is opened (or found) by Discord
itself (`POST /users/@me/channels`). A server chat's id is its channel's. Discord refusing
for good (the person does not accept DMs from the bot, the channel is gone, the bot lost
access) makes the chat unreachable; anything else is a passing failure.
"""

from __future__ import annotations

import logging

import aiohttp
import discord

from moodtune.bot.discord.render import render_reply
from moodtune.bot.discord.translate import PLATFORM
from moodtune.handlers.outbound import Delivery
from moodtune.handlers.replies import Chat, Reply

log = logging.getLogger(__name__)

# Discord's JSON error codes that mean "never here": unknown channel, unknown user,
# missing access, cannot send messages to this user, missing permissions.
FOR_GOOD = {10003, 10013, 50001, 50007, 50013}


class DiscordOutbound:
    platform = PLATFORM

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send(self, chat: Chat, reply: Reply) -> Delivery:
        if self.client.is_closed() or self.client.user is None:
            return Delivery.FAILED
        try:
            channel: discord.abc.Messageable
            if chat.kind == "private":
                channel = await self.client.create_dm(discord.Object(int(chat.chat_id)))
            else:
                channel = self.client.get_partial_messageable(int(chat.chat_id))
            await channel.send(**render_reply(reply).send_kwargs())
        except (discord.Forbidden, discord.NotFound) as error:
            log.info("Discord will not deliver to a chat: %s %s", error.status, error.code)
            return Delivery.UNREACHABLE
        except discord.HTTPException as error:
            if error.code in FOR_GOOD:
                return Delivery.UNREACHABLE
            log.warning("a message the bot started was not delivered: %s", error.status)
            return Delivery.FAILED
        except (aiohttp.ClientError, OSError, ValueError) as error:
            log.warning("a message the bot started was not delivered: %s", error)
            return Delivery.FAILED
        return Delivery.DELIVERED
