"""The real discord.py client on the fake Discord: it finds the gateway through the fake's
`GET /gateway/bot`, gets READY over zlib-stream frames, receives messages and interactions,
answers them, honours 429 and retries 500, and comes back after the gateway closes."""

from __future__ import annotations

import asyncio
import time

import discord
import pytest
from discord import app_commands
from fake_discord import FakeDiscord, Upload
from fake_gateway import CLOSE_AUTHENTICATION_FAILED, CLOSE_SESSION_TIMED_OUT, CLOSE_UNKNOWN_ERROR
from plain_client import PlainClient, running

MESSAGES = "POST /channels/{channel.id}/messages"


async def test_connects_to_the_gateway_the_api_names_with_zlib_stream(fake: FakeDiscord) -> None:
    ana = fake.add_user("ana")
    server = fake.add_guild("the server", [ana])
    client = PlainClient()
    async with running(client, fake):
        assert client.is_ready()
        assert client.user is not None and str(client.user.id) == fake.application_id
        assert [g.id for g in client.guilds] == [int(server.id)]
        assert client.get_channel(int(server.channel_id)) is not None
    assert fake.calls_to("GET /gateway/bot"), "the gateway URL came from the API"
    first = fake.gateway.connections[0]
    assert first.path == "/gateway"
    assert first.query == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
    assert first.compressor is not None
    assert fake.gateway.identifies[0]["intents"] == client.intents.value


async def test_a_dm_and_a_mention_in_a_server_are_received_and_answered(fake: FakeDiscord) -> None:
    ana = fake.add_user("ana")
    server = fake.add_guild("the server", [ana])
    client = PlainClient()
    async with running(client, fake):
        in_dm = fake.push_message(ana, "hello")
        in_server = fake.push_message(ana, "hi there", guild=server, mention=True)
        dm_reply = await fake.reply_to(in_dm)
        server_reply = await fake.reply_to(in_server)
    assert dm_reply.message["content"] == "echo: hello"
    assert dm_reply.message["channel_id"] == fake.dm_channel(ana)
    assert server_reply.message["channel_id"] == server.channel_id
    assert server_reply.message["content"].endswith("hi there")
    assert isinstance(client.received[0].channel, discord.DMChannel)
    assert client.received[1].guild is not None and client.user in client.received[1].mentions


async def test_without_the_content_intent_a_server_message_arrives_empty_unless_it_mentions_the_bot(
    fake: FakeDiscord,
) -> None:
    ana = fake.add_user("ana")
    server = fake.add_guild("the server", [ana])
    client = PlainClient(message_content=False)
    async with running(client, fake):
        unaddressed = fake.push_message(ana, "talking to friends", guild=server)
        mentioning = fake.push_message(ana, "hey bot", guild=server, mention=True)
        in_dm = fake.push_message(ana, "a secret")
        await fake.wait_for(lambda: len(client.received) == 3)
    by_id = {str(m.id): m for m in client.received}
    assert by_id[unaddressed].content == ""
    assert by_id[mentioning].content.endswith("hey bot")
    assert by_id[in_dm].content == "a secret"


async def test_a_privileged_intent_the_portal_did_not_grant_ends_the_connection() -> None:
    fake = FakeDiscord(message_content=False)
    await fake.start()
    try:
        client = PlainClient(message_content=True)
        async with running(client, fake) as connecting:
            with pytest.raises(discord.PrivilegedIntentsRequired):
                await asyncio.wait_for(connecting, 10)
    finally:
        await fake.stop()


async def test_a_wrong_token_is_refused_at_login(fake: FakeDiscord) -> None:
    from moodtune.bot.discord.endpoints import use_api

    use_api(fake.api_url)
    client = PlainClient()
    with pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()


async def test_attachments_are_downloaded_from_the_cdn(fake: FakeDiscord) -> None:
    ana = fake.add_user("ana")
    client = PlainClient()
    voice = Upload(b"OggS" + bytes(200), "voice-message.ogg", "audio/ogg", voice_seconds=2.5)
    photo = Upload(b"\xff\xd8\xff" + bytes(100), "me.jpg", "image/jpeg", dimensions=(10, 10))
    async with running(client, fake):
        fake.push_message(ana, "", files=[voice, photo])
        await fake.wait_for(lambda: client.received)
        first, second = client.received[0].attachments
        assert first.is_voice_message() and not second.is_voice_message()
        assert first.size == len(voice.data) and first.content_type == "audio/ogg"
        assert await first.read() == voice.data
        assert await second.read() == photo.data
    assert fake.downloads == [str(first.id), str(second.id)]


async def test_a_dm_channel_is_opened_to_write_first_and_a_blocked_person_refuses(
    fake: FakeDiscord,
) -> None:
    ana, bo = fake.add_user("ana"), fake.add_user("bo")
    fake.block_dms(bo)
    client = PlainClient()
    async with running(client, fake):
        sent = await (await client.fetch_user(int(ana))).send("good morning")
        assert str(sent.channel.id) == fake.dm_channel(ana)
        with pytest.raises(discord.Forbidden) as refused:
            await (await client.fetch_user(int(bo))).send("good morning")
    assert refused.value.code == 50007
    assert len(fake.calls_to("POST /users/@me/channels")) == 2


async def test_commands_sync_globally_and_per_server_and_a_slash_command_is_answered(
    fake: FakeDiscord,
) -> None:
    ana = fake.add_user("ana", locale="zh-CN")
    server = fake.add_guild("the server", [ana])
    client = PlainClient()
    seen: list[tuple[str, str | None, bool]] = []

    @client.tree.command(description="Say it back")
    @app_commands.describe(text="what to say", photo="a photo")
    async def say(
        interaction: discord.Interaction, text: str, photo: discord.Attachment | None = None
    ) -> None:
        seen.append((text, photo.filename if photo else None, interaction.guild is not None))
        await interaction.response.send_message(f"you said {text}", ephemeral=True)

    async with running(client, fake):
        synced = await client.tree.sync()
        client.tree.copy_global_to(guild=discord.Object(int(server.id)))
        await client.tree.sync(guild=discord.Object(int(server.id)))
        in_dm = fake.push_command(ana, "say", {"text": "hello"})
        in_server = fake.push_command(
            ana, "say", {"text": "look", "photo": Upload(b"jpeg", "me.jpg", "image/jpeg")},
            guild=server,
        )  # fmt: skip
        answer = await fake.answer_to(in_dm)
        await fake.answer_to(in_server)
    assert [c.name for c in synced] == ["say"]
    assert [c["name"] for c in fake.commands[server.id]] == ["say"]
    assert answer.message["content"] == "you said hello" and answer.ephemeral
    assert seen == [("hello", None, False), ("look", "me.jpg", True)]


async def test_a_deferred_answer_is_filled_in_by_the_first_follow_up(fake: FakeDiscord) -> None:
    ana = fake.add_user("ana")
    client = PlainClient()

    @client.tree.command(description="Think first")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.1)
        await interaction.followup.send("done thinking")
        await interaction.followup.send("and one more")

    async with running(client, fake):
        await client.tree.sync()
        pressed = fake.push_command(ana, "slow")
        await fake.wait_for(lambda: len(fake.interactions[pressed].follow_ups) == 1)
    state = fake.interactions[pressed]
    assert state.callback_type == 5 and state.callback_at is not None
    assert state.original is not None and state.original["content"] == "done thinking"
    assert state.follow_ups[0]["content"] == "and one more"
    assert (await fake.answer_to(pressed)).message["id"] == state.original["id"]


async def test_an_interaction_answered_late_or_twice_is_refused_as_discord_does(
    fake: FakeDiscord,
) -> None:
    ana = fake.add_user("ana")
    fake.interaction_window = 0.2
    client = PlainClient()
    errors: list[int] = []

    @client.tree.command(description="Answer late")
    async def late(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.4)
        try:
            await interaction.response.send_message("too late")
        except discord.NotFound as error:
            errors.append(error.code)

    @client.tree.command(description="Answer twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("once")
        # A second answer through the raw route (discord.py itself refuses to send one).
        route = discord.http.Route(
            "POST", "/interactions/{webhook_id}/{webhook_token}/callback",
            webhook_id=interaction.id, webhook_token=interaction.token,
        )  # fmt: skip
        try:
            await client.http.request(route, json={"type": 4, "data": {"content": "twice"}})
        except discord.HTTPException as error:
            errors.append(error.code)

    async with running(client, fake):
        await client.tree.sync()
        fake.push_command(ana, "late")
        fake.push_command(ana, "twice")
        await fake.wait_for(lambda: len(errors) == 2)
    assert sorted(errors) == [10062, 40060]


async def test_a_press_on_a_button_reaches_the_client_with_its_message(fake: FakeDiscord) -> None:
    ana = fake.add_user("ana")
    client = PlainClient()
    presses: list[tuple[str, str]] = []

    class Thumbs(discord.ui.View):
        @discord.ui.button(label="👍", custom_id="v:1:2:u")
        async def up(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
            assert interaction.message is not None
            presses.append((button.custom_id or "", str(interaction.message.id)))
            button.label = "👍 ✓"
            await interaction.response.edit_message(view=self)

    async with running(client, fake):
        client.add_view(Thumbs(timeout=None))
        channel = await (await client.fetch_user(int(ana))).create_dm()
        sent = await channel.send("a track", view=Thumbs(timeout=None))
        fake.push_press(ana, str(sent.id), "v:1:2:u")
        await fake.wait_for(lambda: any(s.kind == "edit" for s in fake.sent))
    assert presses == [("v:1:2:u", str(sent.id))]
    edited = fake.messages[str(sent.id)]["components"][0]["components"][0]
    assert edited["label"] == "👍 ✓"


async def test_a_429_is_waited_out_as_its_retry_after_says(fake: FakeDiscord) -> None:
    ana = fake.add_user("ana")
    client = PlainClient()
    async with running(client, fake):
        fake.fail_next(MESSAGES, 429, retry_after=0.5)
        pushed = fake.push_message(ana, "hello")
        reply = await fake.reply_to(pushed)
    first, second = fake.calls_to(MESSAGES)
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.5
    assert reply.message["content"] == "echo: hello"


async def test_a_500_is_retried(fake: FakeDiscord) -> None:
    ana = fake.add_user("ana")
    client = PlainClient()
    async with running(client, fake):
        fake.fail_next(MESSAGES, 500)
        reply = await fake.reply_to(fake.push_message(ana, "hello"))
    assert [c.status for c in fake.calls_to(MESSAGES)] == [500, 200]
    assert reply.message["content"] == "echo: hello"


async def test_after_a_resumable_close_the_client_resumes_and_gets_what_it_missed(
    fake: FakeDiscord,
) -> None:
    ana = fake.add_user("ana")
    client = PlainClient()
    async with running(client, fake):
        await fake.gateway.close(CLOSE_UNKNOWN_ERROR)
        missed = [fake.push_message(ana, f"while away {n}") for n in range(3)]
        replies = [await fake.reply_to(m) for m in missed]
    assert [r.message["content"] for r in replies] == [f"echo: while away {n}" for n in range(3)]
    assert len(fake.gateway.identifies) == 1 and len(fake.gateway.resumes) == 1
    assert fake.gateway.connections[-1].path == "/gateway-resume"
    assert [m.content for m in client.received] == [f"while away {n}" for n in range(3)]


async def test_a_reconnect_request_is_followed_by_a_resume(fake: FakeDiscord) -> None:
    ana = fake.add_user("ana")
    client = PlainClient()
    async with running(client, fake):
        fake.gateway.request_reconnect()
        await fake.wait_for(lambda: fake.gateway.resumes)
        reply = await fake.reply_to(fake.push_message(ana, "still there?"))
    assert reply.message["content"] == "echo: still there?"
    assert len(fake.gateway.identifies) == 1


@pytest.mark.parametrize("how", ["close 4009", "invalid session"])
async def test_a_session_that_cannot_be_resumed_is_identified_again(
    fake: FakeDiscord, how: str
) -> None:
    ana = fake.add_user("ana")
    client = PlainClient()
    async with running(client, fake):
        if how == "close 4009":
            await fake.gateway.close(CLOSE_SESSION_TIMED_OUT)
        else:
            fake.gateway.invalidate_session(resumable=False)
        pushed = fake.push_message(ana, "after a new session")
        reply = await fake.reply_to(pushed, timeout=20)  # discord.py waits 5 s to IDENTIFY
    assert reply.message["content"] == "echo: after a new session"
    assert len(fake.gateway.identifies) == 2
    assert len(fake.gateway.sessions) == 2


async def test_heartbeats_are_acknowledged_and_carry_the_last_sequence() -> None:
    fake = FakeDiscord(heartbeat_interval_ms=150)
    await fake.start()
    try:
        ana = fake.add_user("ana")
        client = PlainClient()
        async with running(client, fake):
            await fake.reply_to(fake.push_message(ana, "hello"))
            connection = fake.gateway.connections[0]
            await fake.wait_for(lambda: len(connection.heartbeats) >= 4, timeout=5)
            fake.gateway.ask_heartbeat()
            count = len(connection.heartbeats)
            started = time.perf_counter()
            await fake.wait_for(lambda: len(connection.heartbeats) > count, timeout=5)
            assert time.perf_counter() - started < 0.14  # answered, not the next beat
            assert client.latency < 1.0
        assert (
            connection.heartbeats[-1]
            == fake.gateway.sessions[
                connection.session.session_id  # type: ignore[union-attr]
            ].sequence
        )
    finally:
        await fake.stop()


async def test_frames_split_across_websocket_messages_are_put_back_together(
    fake: FakeDiscord,
) -> None:
    fake.gateway.split_frames = True
    ana = fake.add_user("ana")
    client = PlainClient()
    async with running(client, fake):
        reply = await fake.reply_to(fake.push_message(ana, "in two halves"))
    assert reply.message["content"] == "echo: in two halves"


async def test_an_authentication_failure_close_stops_the_client(fake: FakeDiscord) -> None:
    client = PlainClient()
    async with running(client, fake) as connecting:
        await fake.gateway.close(CLOSE_AUTHENTICATION_FAILED)
        with pytest.raises(discord.ConnectionClosed) as closed:
            await asyncio.wait_for(connecting, 10)
    assert closed.value.code == CLOSE_AUTHENTICATION_FAILED


async def test_a_message_sent_twice_with_the_same_nonce_is_made_once(fake: FakeDiscord) -> None:
    ana = fake.add_user("ana")
    client = PlainClient()
    async with running(client, fake):
        channel = await (await client.fetch_user(int(ana))).create_dm()
        first = await channel.send("only once", nonce="event-1")
        again = await channel.send("only once", nonce="event-1")
        other = await channel.send("another", nonce="event-2")
    assert again.id == first.id != other.id
    assert [s.message["content"] for s in fake.sent_in(str(channel.id))] == ["only once", "another"]
    assert fake.nonce_hits == 1
