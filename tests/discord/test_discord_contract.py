"""The parts of discord.py that are not public API and that moodtune relies on: where its
REST requests and its gateway connections go (moodtune/bot/discord/endpoints.py). If a
discord.py release changes one of them, these fail and say what to look at.

Behind them, tests/discord/test_fake_discord.py shows the whole path working: the client
logs in, connects, resumes and identifies again against the fake only."""

from __future__ import annotations

import inspect

import discord
import yarl
from discord.gateway import DiscordWebSocket

from moodtune.bot.discord.endpoints import DISCORD_API, use_api


def test_every_rest_route_is_built_on_the_class_attribute_route_base(
    discord_defaults: tuple[str, object],
) -> None:
    base = inspect.getattr_static(discord.http.Route, "BASE", None)
    assert isinstance(base, str), "discord.http.Route.BASE is gone: REST cannot be redirected"
    assert discord_defaults[0] == DISCORD_API, f"discord.py talks to {discord_defaults[0]}"
    use_api("http://relay.example/api/v10/")
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=42)
    assert route.url == "http://relay.example/api/v10/channels/42/messages"
    callback = discord.http.Route(
        "POST",
        "/interactions/{webhook_id}/{webhook_token}/callback",
        webhook_id=1,
        webhook_token="t",
    )
    assert callback.url.startswith("http://relay.example/api/v10/"), "webhooks take another base"


def test_a_connection_handed_no_gateway_dials_the_class_attribute_default_gateway(
    discord_defaults: tuple[str, object],
) -> None:
    default = inspect.getattr_static(DiscordWebSocket, "DEFAULT_GATEWAY", None)
    assert isinstance(default, yarl.URL), "DiscordWebSocket.DEFAULT_GATEWAY is gone"
    assert discord_defaults[1] == yarl.URL("wss://gateway.discord.gg/")
    from_client = inspect.signature(DiscordWebSocket.from_client)
    assert from_client.parameters["gateway"].default is None
    source = inspect.getsource(DiscordWebSocket)
    assert "gateway or cls.DEFAULT_GATEWAY" in source, "from_client no longer falls back to it"
    assert "self.gateway = self.DEFAULT_GATEWAY" in source, "INVALID_SESSION no longer resets to it"


def test_the_bot_gateway_is_asked_through_the_clients_http_client() -> None:
    get_bot_gateway = inspect.getattr_static(discord.http.HTTPClient, "get_bot_gateway", None)
    assert inspect.iscoroutinefunction(get_bot_gateway), "HTTPClient.get_bot_gateway is gone"
    assert "/gateway/bot" in inspect.getsource(get_bot_gateway)
