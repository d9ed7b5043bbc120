"""Bad input through the real server, without a browser: a clear message where one is
due, nothing stored wrongly, no crash, and the server still answering afterwards."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
from pathlib import Path

import aiohttp
import pytest
from media_samples import require, spoken_note
from web_harness import ScriptedPage, WebHarness, start_web, stop_web
from yarl import URL

from moodtune.bot.web.chat import PRESSES_PER_MINUTE
from moodtune.bot.web.identity import COOKIE

pytestmark = pytest.mark.asyncio(loop_scope="module")
MB = 1024 * 1024
NOTHING = {"person": 0, "moods": 0, "offers": 0, "thumbs": 0}


async def still_answers(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        assert (await page.reply("I feel calm"))["tracks"]


# Files.


async def test_a_file_that_is_no_image_sent_as_a_photo(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        fake_png = b"this is a shopping list, not a picture\n" * 50
        status, frame = await page.upload(fake_png, "photo", "cat.png", "image/png")
        assert status == 200 and not frame["reply"]["ok"]
        assert "not an image I can read" in frame["reply"]["text"]
        status, frame = await page.upload(b"%PDF-1.7 ...", "file", "notes.pdf", "application/pdf")
        assert not frame["reply"]["ok"] and "I can't read notes.pdf" in frame["reply"]["text"]
        assert await web.rows_of(page.person) == NOTHING


async def test_an_empty_recording(web: WebHarness, tmp_path: Path) -> None:
    require("ffmpeg")
    header_only = tmp_path / "empty.webm"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         "anullsrc=r=48000:cl=mono", "-t", "0", "-c:a", "libopus", "-f", "webm", str(header_only)],
        check=True,
    )  # fmt: skip
    async with ScriptedPage(web) as page:
        status, frame = await page.upload(b"", "voice", "voice-note.webm", "audio/webm")
        assert status == 200 and frame["reply"]["text"] == "The voice note is empty."
        _, frame = await page.upload(header_only.read_bytes(), "voice", "v.webm", "audio/webm")
        assert not frame["reply"]["ok"] and frame["reply"]["text"]
        assert await web.rows_of(page.person) == NOTHING


async def test_a_thirty_minute_recording_is_heard_for_its_first_two(
    web: WebHarness, tmp_path: Path
) -> None:
    """WebM/Opus as Chromium records it: ten seconds of speech repeated for 30 minutes
    (by stream copy, so making it takes a second)."""
    require("ffmpeg", "espeak-ng")
    ten = tmp_path / "ten.webm"
    long = tmp_path / "thirty-minutes.webm"
    ogg = spoken_note("I am so happy today, what a wonderful day")
    ffmpeg = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
    subprocess.run(
        [*ffmpeg, "-i", "pipe:0", "-af", "apad=whole_dur=10", "-c:a", "libopus", str(ten)],
        input=ogg, check=True,
    )  # fmt: skip
    subprocess.run([*ffmpeg, "-stream_loop", "179", "-i", str(ten), "-c", "copy", str(long)],
                   check=True)  # fmt: skip
    async with ScriptedPage(web) as page:
        status, frame = await page.upload(long.read_bytes(), "voice", "long.webm", "audio/webm")
        assert status == 200 and frame["reply"]["ok"], frame
        parts = frame["reply"]["mood"]["parts"]
        assert "ℹ️ I listened to the first 120 s." in parts
        assert any(part.startswith("🎙 I heard: “I am so happy") for part in parts)
        assert (await web.rows_of(page.person))["moods"] == 1


async def test_a_50_mb_upload_is_refused_with_the_limit(web: WebHarness) -> None:
    big = b"\xff\xd8\xff" + bytes(50 * MB)
    async with ScriptedPage(web) as page:
        # The page announces the size: refused before a byte of the file is read.
        status, frame = await page.upload(big, "photo", "huge.jpg", "image/jpeg")
        assert status == 200 and not frame["reply"]["ok"]
        assert "50.0 MB" in frame["reply"]["text"] and "up to 20 MB" in frame["reply"]["text"]
        # A script that does not say: read up to the limit, and refused there.
        _, frame = await page.upload(big, "voice", "huge.ogg", "audio/ogg", announce_size=False)
        assert "too big" in frame["reply"]["text"] and "up to 20 MB" in frame["reply"]["text"]
        assert await web.rows_of(page.person) == NOTHING
    await still_answers(web)


async def test_malformed_uploads_get_a_400_saying_why(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        url, headers = web.url + "upload", {"Origin": web.origin}
        cases = [
            (multipart({"id": "x1", "kind": "photo"}), "no file"),
            (multipart({"id": "x2", "kind": "video"}, b"..."), "kind is"),
            (multipart({"id": "bad id!", "kind": "photo"}, b"..."), "message id"),
            (multipart({"id": "x3", "kind": "photo", "size": "-4"}, b"."), "size"),
            (multipart({"id": "x4", "kind": "photo", "oops": "1"}, b"."), "unexpected field"),
            (multipart({"id": "x5", "caption": "a" * 70_000}, b"."), "too long"),
            (b"just some bytes", "multipart"),
        ]
        for body, reason in cases:
            async with page.session.post(url, data=body, headers=headers) as response:
                frame = await response.json()
            assert response.status == 400, reason
            assert frame["type"] == "error" and reason in frame["text"], frame


async def test_an_upload_cut_off_midway_stores_nothing(
    web: WebHarness, caplog: pytest.LogCaptureFixture
) -> None:
    async with ScriptedPage(web) as page:
        cookie = page.session.cookie_jar.filter_cookies(URL(web.url))[COOKIE]
        boundary = "cutoff"
        head = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="id"\r\n\r\ncut1\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
                "Content-Type: image/jpeg\r\n\r\n"
            ).encode()
            + b"\xff\xd8\xff"
            + bytes(100_000)
        )
        host, port = web.url.split("//")[1].rstrip("/").split(":")
        request = (
            f"POST /upload HTTP/1.1\r\nHost: {host}:{port}\r\nOrigin: {web.origin}\r\n"
            f"Cookie: {COOKIE}={cookie.value}\r\nContent-Length: {len(head) + 5_000_000}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n"
        ).encode()
        _, writer = await asyncio.open_connection(host, int(port))
        writer.write(request + head)
        await writer.drain()
        await asyncio.sleep(0.3)
        writer.transport.abort()  # the tab is closed halfway through the upload
        await asyncio.sleep(0.5)
        assert await web.rows_of(page.person) == NOTHING
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    await still_answers(web)


def multipart(fields: dict[str, str], file: bytes | None = None) -> aiohttp.FormData:
    form = aiohttp.FormData(default_to_multipart=True)
    for name, value in fields.items():
        form.add_field(name, value)
    if file is not None:
        form.add_field("file", file, filename="f.jpg", content_type="image/jpeg")
    return form


# Who is asking.


async def test_no_cookie_or_a_forged_one_is_told_to_reload(web: WebHarness) -> None:
    forged = [
        None,
        "1234567890123456.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "1234567890123456",
        "<script>alert(1)</script>",
    ]
    async with ScriptedPage(web) as real:  # a genuine cookie, with another person's id
        value = real.session.cookie_jar.filter_cookies(URL(web.url))[COOKIE].value
        person, signature = value.split(".")
        other = str(int(person) + 1)
        forged.append(f"{other}.{signature}")
    for cookie in forged:
        cookies = {COOKIE: cookie} if cookie else {}
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar, cookies=cookies) as session:
            async with session.ws_connect(web.url + "ws", origin=web.origin) as socket_:
                frame = json.loads((await socket_.receive()).data)
                assert frame["type"] == "error" and "Reload the page" in frame["text"]
                closing = await socket_.receive()
                assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 4401
            form = multipart({"id": "f1", "kind": "photo"}, b"...")
            headers = {"Origin": web.origin}
            async with session.post(web.url + "upload", data=form, headers=headers) as response:
                assert response.status == 401
                assert "cookie is missing or was changed" in (await response.json())["text"]
        async with (
            aiohttp.ClientSession(cookies=cookies) as session,
            session.get(web.url) as response,  # the page gives a new person
        ):
            assert response.status == 200 and COOKIE in response.cookies
            assert response.cookies[COOKIE].value.split(".")[0] != other
            assert response.cookies[COOKIE]["httponly"]
            assert response.cookies[COOKIE]["samesite"] == "Strict"


async def test_a_refusal_speaks_the_browser_language(web: WebHarness) -> None:
    headers = {"Origin": web.origin, "Accept-Language": "zh-CN,zh;q=0.9"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(web.url + "upload", data=multipart({"id": "z"}, b"."), headers=headers) as r,
    ):
        assert r.status == 401 and "cookie 丢失或被改动了" in (await r.json())["text"]


async def test_a_websocket_or_upload_from_another_origin_is_refused(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        for origin in ("http://evil.example", "null", web.origin.replace("http", "https") + "1"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await page.session.ws_connect(web.url + "ws", origin=origin)
            assert refused.value.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await page.session.ws_connect(web.url + "ws")  # no Origin at all: not a page
        form = multipart({"id": "o1", "kind": "photo"}, b"...")
        headers = {"Origin": "http://evil.example"}
        async with page.session.post(web.url + "upload", data=form, headers=headers) as response:
            assert response.status == 403
            assert (await response.json())["text"] == "This chat answers its own page only."
        assert await web.rows_of(page.person) == NOTHING


async def test_a_host_name_that_is_not_loopback_is_turned_away(web: WebHarness) -> None:
    """DNS rebinding: a site whose name resolves to 127.0.0.1 gets nothing from the chat."""
    port = web.url.rstrip("/").rsplit(":", 1)[1]
    async with aiohttp.ClientSession() as session:
        for host in (f"evil.example:{port}", f"127.0.0.1.nip.io:{port}"):
            async with session.get(web.url, headers={"Host": host}) as response:
                assert response.status == 421 and COOKIE not in response.cookies
        async with session.get(web.url, headers={"Host": f"localhost:{port}"}) as response:
            assert response.status == 200


# Frames.


async def test_malformed_frames_are_answered_and_the_page_keeps_working(web: WebHarness) -> None:
    bad = [
        "not json",
        "[1, 2]",
        '"text"',
        "{}",
        '{"type": "shout", "id": "a"}',
        '{"type": "text", "id": "a"}',
        '{"type": "text", "text": "hi"}',
        '{"type": "text", "id": "no spaces", "text": "hi"}',
        '{"type": "text", "id": "a", "text": 42}',
        '{"type": "press", "id": "a", "data": ""}',
        '{"type": "press", "id": "a", "data": "' + "v" * 200 + '"}',
        '{"type": "press", "id": "a", "data": "v:1:1:u", "buttons": "all"}',
        '{"type": "press", "id": "a", "data": "v:1:1:u", "buttons": [[{"label": 1}]]}',
        '{"type": "press", "id": "a", "data": "v:1:1:u", "buttons": [[[]]]}',
    ]
    async with ScriptedPage(web) as page:
        assert page.socket is not None
        for raw in bad:
            await page.socket.send_str(raw)
            frame = await page.frame()
            assert frame["type"] == "error", raw
            assert frame["text"].startswith("The page sent something I could not read ("), raw
        await page.socket.send_bytes(b"\x00\x01")
        assert "binary" in (await page.frame())["text"]
        forged = await page.answer_to(
            await page.send({"type": "press", "data": "v:1:1:u", "buttons": []})
        )
        assert forged["outcome"]["notice"] == "That button is for the person I answered."
        made_up = await page.answer_to(
            await page.send({"type": "press", "data": "x:<script>", "buttons": []})
        )
        assert made_up["outcome"]["notice"].startswith("That button no longer works.")
        assert (await page.reply("I feel calm"))["tracks"]  # still answering
        assert await web.rows_of(page.person) == {**NOTHING, "person": 1, "moods": 1,
                                                  "offers": 5}  # fmt: skip


async def test_a_page_sending_junk_on_and_on_is_disconnected(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        assert page.socket is not None
        for _ in range(30):
            await page.socket.send_str("junk")
        errors = 0
        while True:
            message = await page.socket.receive(timeout=10)
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            errors += 1
        assert errors == 21 and message.type is aiohttp.WSMsgType.CLOSE and message.data == 1008


async def test_an_oversized_frame_closes_the_socket_and_the_page_can_reconnect(
    web: WebHarness,
) -> None:
    async with ScriptedPage(web) as page:
        assert page.socket is not None
        await page.socket.send_str(json.dumps({"type": "text", "id": "a", "text": "x" * 100_000}))
        message = await page.socket.receive(timeout=10)
        assert message.type is aiohttp.WSMsgType.CLOSE and message.data == 1009  # too big
        reopened = await page.session.ws_connect(web.url + "ws", origin=web.origin)
        assert json.loads((await reopened.receive()).data)["type"] == "hello"
        await reopened.close()


async def test_long_and_empty_words_get_a_clear_reply(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        empty = await page.reply("   ")
        assert not empty["ok"] and "Tell me how you feel" in empty["text"]
        long = await page.reply("sad " * 2000)
        assert not long["ok"] and "I read at most 4,000" in long["text"]
        assert (await web.rows_of(page.person))["moods"] == 0


# Floods and closed tabs.


async def test_100_messages_a_second_from_one_page(web: WebHarness) -> None:
    async with ScriptedPage(web) as flood, ScriptedPage(web) as bystander:
        ids = []
        for number in range(100):
            ids.append(await flood.send({"type": "text", "text": f"I feel calm {number}"}))
            await asyncio.sleep(0.01)
        calm = await bystander.reply("I feel happy")  # one person's flood holds no one else
        answers = [await flood.answer_to(frame_id) for frame_id in ids]
        kinds = [a["type"] for a in answers]
        assert kinds[:21] == ["reply"] * 21 and kinds[21:] == ["refused"] * 79
        assert all(a["reply"]["tracks"] for a in answers[:20])
        assert "faster than I can listen (20 a minute)" in answers[20]["reply"]["text"]
        assert calm["tracks"]
        assert (await web.rows_of(flood.person))["moods"] == 20


async def test_a_page_pressing_buttons_in_a_loop_is_held_back(web: WebHarness) -> None:
    async with ScriptedPage(web) as page:
        reply = await page.reply("I feel calm")
        keyboard = reply["buttons"]["keyboard"]
        thumbs = [b["data"] for row in keyboard for b in row if "👍" in b["label"]]
        ids = [
            await page.send({"type": "press", "data": thumbs[n % 5], "buttons": keyboard})
            for n in range(PRESSES_PER_MINUTE + 30)
        ]
        kinds = [(await page.answer_to(frame_id))["type"] for frame_id in ids]
        assert kinds == ["outcome"] * PRESSES_PER_MINUTE + ["refused"] * 30
        assert (await web.rows_of(page.person))["thumbs"] == 5
        assert (await page.reply("I feel calm again"))["tracks"]  # words still go through


async def test_a_tab_closed_mid_reply(web: WebHarness, caplog: pytest.LogCaptureFixture) -> None:
    chat = web.connector.chat
    before = chat.open_pages
    page = ScriptedPage(web)
    await page.open()
    person = page.person
    await page.send({"type": "text", "text": "I feel lonely tonight"})
    await page.send({"type": "text", "text": "/mood"})
    await page.session.close()  # the tab is gone, the connection with it, replies unsent
    for _ in range(100):
        await asyncio.sleep(0.1)
        if chat.open_pages == before and (await web.rows_of(person))["moods"] == 1:
            break
    assert chat.open_pages == before
    assert await web.rows_of(person) == {**NOTHING, "person": 1, "moods": 1, "offers": 5}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    await still_answers(web)


async def test_the_open_sockets_are_bounded(web: WebHarness, tmp_path: Path) -> None:
    async with ScriptedPage(web) as page:
        tabs = [
            await page.session.ws_connect(web.url + "ws", origin=web.origin) for _ in range(7)
        ]  # 8 with the page's own
        extra = await page.session.ws_connect(web.url + "ws", origin=web.origin)
        frame = json.loads((await extra.receive()).data)
        assert "too many tabs" in frame["text"]
        assert (await extra.receive()).data == 4503
        for tab in tabs:
            await tab.close()
    small = await start_web(tmp_path / "small", None, web_max_sockets=2, catalog_autoload=False)
    try:
        async with ScriptedPage(small), ScriptedPage(small) as second:
            third = await second.session.ws_connect(small.url + "ws", origin=small.origin)
            frame = json.loads((await third.receive()).data)
            assert "Too many people are chatting" in frame["text"]
            assert (await third.receive()).data == 4503
            # Stopping closes the open pages ("going away") instead of waiting them out.
            await asyncio.wait_for(stop_web(small), timeout=4)  # aiohttp would wait 5 s
            assert second.socket is not None
            closing = await second.socket.receive(timeout=1)
            assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 1001
    finally:
        if small.connector.runner is not None:
            await stop_web(small)
