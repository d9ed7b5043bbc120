"""The bot reaches Discord through a proxy (MOODTUNE_DISCORD_PROXY, else HTTPS_PROXY): the
REST API, the gateway and the attachment CDN all go through a real proxy on loopback."""

from __future__ import annotations

import pytest
from fake_discord import FakeDiscord, Upload
from loopback_proxy import LoopbackProxy
from plain_client import PlainClient, running

from moodtune.bot.discord.endpoints import DISCORD_API, proxy_for


async def test_rest_gateway_and_cdn_all_go_through_the_proxy(fake: FakeDiscord) -> None:
    proxy = LoopbackProxy()
    await proxy.start()
    try:
        ana = fake.add_user("ana")
        client = PlainClient(proxy=proxy_for(fake.api_url, proxy.url))
        async with running(client, fake):
            pushed = fake.push_message(ana, "hi", files=[Upload(b"bytes", "a.txt", "text/plain")])
            await fake.reply_to(pushed)
            assert await client.received[0].attachments[0].read() == b"bytes"
    finally:
        await proxy.stop()
    # The proxy sees the first request of each connection; the fake, where every request
    # (REST, CDN, the gateway's upgrade) came from: always a connection the proxy opened.
    assert proxy.requests[0] == f"GET {fake.api_url}/users/@me"
    assert fake.gateway.connections[0].remote_port in proxy.upstream_ports
    assert fake.peer_ports and fake.peer_ports <= proxy.upstream_ports, "a request went around it"


def test_the_proxy_setting_wins_then_https_proxy_unless_no_proxy_exempts_the_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert proxy_for(DISCORD_API, None) is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert proxy_for(DISCORD_API, None) == "http://proxy.example:3128"
    assert proxy_for(DISCORD_API, "http://mine:8080") == "http://mine:8080"
    monkeypatch.setenv("NO_PROXY", "discord.com")
    assert proxy_for(DISCORD_API, None) is None
    assert proxy_for("https://relay.example/api/v10", None) == "http://proxy.example:3128"
