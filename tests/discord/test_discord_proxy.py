"""The bot reaches Discord through a proxy (MOODTUNE_DISCORD_PROXY, else HTTPS_PROXY): the
REST API, the gateway and the attachment CDN, all through a real proxy on loopback that
wants credentials and alone knows where the fake Discord is."""

from __future__ import annotations

from pathlib import Path

import pytest
from discord_harness import start_harness, stop_harness
from fake_discord import FakeDiscord, Upload
from forward_proxy import ForwardProxy
from media_samples import astronaut_jpeg

from moodtune.bot.discord.endpoints import discord_proxy
from moodtune.config import Settings
from moodtune.errors import ConfigurationError

HIDDEN = "discord.test"  # only the proxy knows this name: nothing reaches the fake around it


async def test_rest_gateway_and_attachments_all_go_through_the_proxy(
    catalog_database: Path, tmp_path: Path
) -> None:
    proxy = ForwardProxy({HIDDEN: "127.0.0.1"}, credentials=("moodtune", "s3cret"))
    await proxy.start()
    fake = FakeDiscord(host=HIDDEN)
    await fake.start()
    bot = await start_harness(
        tmp_path, catalog_database, fake,
        discord_proxy=f"http://moodtune:s3cret@127.0.0.1:{proxy.port}",
    )  # fmt: skip
    try:
        ana = fake.add_user("ana")
        assert "Tracks for you:" in (await bot.ask(ana, "I feel happy and light")).text
        photo = Upload(astronaut_jpeg((320, 240)), "me.jpg", "image/jpeg")
        assert "🖼 photo" in (await bot.ask(ana, "so happy", files=[photo])).text
    finally:
        await stop_harness(bot)
        await proxy.stop()
    seen = "\n".join(proxy.seen)
    assert f"GET http://{fake.address}/api/v10/users/@me" in seen
    assert f"GET ws://{fake.address}/gateway?" in seen  # the WebSocket, upgraded through it
    assert f"GET http://{fake.address}/attachments/" in seen
    assert not proxy.refused


def test_the_setting_wins_then_the_environment_unless_no_proxy_exempts_discord(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)

    def chosen(**values: str) -> str | None:
        proxy = discord_proxy(Settings(_env_file=None, **values))  # type: ignore[call-arg]
        return proxy.url if proxy else None

    assert chosen() is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert chosen() == "http://proxy.example:3128"
    assert chosen(discord_proxy="mine:8080") == "http://mine:8080"
    monkeypatch.setenv("NO_PROXY", "discord.com")
    assert chosen() is None
    assert chosen(discord_api_url="https://relay.example/api/v10") == "http://proxy.example:3128"
    with pytest.raises(ConfigurationError, match="MOODTUNE_DISCORD_PROXY"):
        chosen(discord_proxy="socks5://127.0.0.1:1080")
