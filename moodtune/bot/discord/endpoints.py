"""Where discord.py connects: Discord itself, or another Discord-compatible API (a relay, the
tests' fake), and through which proxy.

discord.py has no per-client setting for either address. Its REST base is the class
attribute `discord.http.Route.BASE`, read each time a request is built; its gateway is the
URL handed to each connection, and where none is handed (a plain Client's first IDENTIFY,
and every new session after an INVALID_SESSION) the class attribute
`DiscordWebSocket.DEFAULT_GATEWAY`. `AutoShardedClient` asks `GET /gateway/bot` for its
first connection but falls back to that same constant after an invalidated session, so
the connector asks the API itself, once logged in, and sets the constant: every path then
leads to the configured API's gateway. Both attributes are process-wide (one Discord API
per process) and pinned by tests/discord/test_discord_contract.py.

The proxy is chosen once, at start, like every connector's (moodtune/bot/proxy.py), and
handed to discord.py (`proxy=`) and to the connector's own attachment downloads.
"""

from __future__ import annotations

import logging

import discord
import yarl
from discord.gateway import DiscordWebSocket

from moodtune.bot.proxy import Proxy, choose_proxy
from moodtune.config import Settings

log = logging.getLogger(__name__)

DISCORD_API = "https://discord.com/api/v10"


def use_api(api_url: str) -> None:
    """Send every REST request (and interaction callbacks, follow-ups) to `api_url`."""
    discord.http.Route.BASE = api_url.rstrip("/")


async def use_gateway_of(client: discord.Client) -> yarl.URL:
    """Ask the API (`GET /gateway/bot`, through the client's own session and proxy) where
    its gateway is, and make that the gateway of every connection. Call once logged in."""
    _shards, url, _limits = await client.http.get_bot_gateway()
    gateway = yarl.URL(url)
    if gateway.scheme not in ("ws", "wss"):
        raise discord.GatewayNotFound()
    DiscordWebSocket.DEFAULT_GATEWAY = gateway
    log.info("Discord gateway: %s", gateway)
    return gateway


def discord_proxy(settings: Settings) -> Proxy | None:
    """The proxy to Discord (REST, gateway, attachments): MOODTUNE_DISCORD_PROXY, else the
    environment's for the API's scheme (HTTPS_PROXY for Discord's), unless NO_PROXY exempts
    it. ConfigurationError for one that cannot be used."""
    configured = settings.discord_proxy.get_secret_value() if settings.discord_proxy else None
    return choose_proxy(settings.discord_api_url, configured, "MOODTUNE_DISCORD_PROXY")
