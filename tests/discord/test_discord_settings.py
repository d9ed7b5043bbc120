"""The Discord settings that change what the bot reads: the message-content intent (asked
for, and granted in the portal: replies to the bot are read without a mention) and the
attachment size limit."""

from __future__ import annotations

from pathlib import Path

from discord_harness import start_harness, stop_harness
from fake_discord import Upload
from media_samples import astronaut_jpeg

MB = 1024 * 1024


async def test_with_the_content_intent_a_reply_without_a_mention_is_read(
    catalog_database: Path, tmp_path: Path
) -> None:
    bot = await start_harness(tmp_path, catalog_database, discord_message_content=True)
    try:
        fake, server = bot.fake, bot.server
        assert fake.gateway.identifies[-1]["intents"] & (1 << 15)  # asked for, and granted
        uma = fake.add_user("uma")
        first = await bot.ask(uma, "I feel hopeful", guild=server, mention=True)
        reply = await bot.ask(uma, "now a little sad", guild=server,
                              reply_to=first.message, ping=False)  # fmt: skip
        assert "Tracks for you:" in reply.text
        chatter = fake.push_message(uma, "just chatting with friends", guild=server)
        await bot.ask(uma, "and in my DMs?")
        assert fake.replies_to(chatter) == []  # read, but not meant for the bot
    finally:
        await stop_harness(bot)


async def test_the_attachment_limit_is_a_setting(catalog_database: Path, tmp_path: Path) -> None:
    bot = await start_harness(tmp_path, catalog_database, discord_max_file_bytes=1 * MB)
    try:
        fake = bot.fake
        photo = Upload(astronaut_jpeg() + b"\0" * (2 * MB), "big.jpg", "image/jpeg")
        pushed = fake.push_message(fake.add_user("val"), files=[photo])
        reply = await fake.reply_to(pushed)
        assert "up to 1 MB" in reply.text
        assert fake.messages[pushed]["attachments"][0]["id"] not in fake.downloads
    finally:
        await stop_harness(bot)
