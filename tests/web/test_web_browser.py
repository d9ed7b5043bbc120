"""The web chat in a real browser: Debian's Chromium driven by Playwright, against the real
server, core and catalog. A fake microphone (Chromium's fake capture device, fed a WAV that
espeak-ng speaks) records voice notes in the page. Screenshots of the main states are saved
under build/screenshots/ for the docs.

The page's Content Security Policy stays on: Playwright's own script evaluation bypasses
it, the page's cannot.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from PIL import Image
from web_harness import WebHarness, start_web, stop_web, web_settings

from moodtune.bot.app import import_catalog
from moodtune.bot.web.identity import COOKIE

playwright = pytest.importorskip(
    "playwright.async_api", reason="needs playwright (pip install -e '.[dev]')"
)

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
VOICE_SECONDS = 4.0  # the module's server stops a recording after this long
PHOTO_LIMIT = 2 * 1024 * 1024
TIMEOUT_MS = 60_000
NOTHING = {"person": 0, "moods": 0, "offers": 0, "thumbs": 0}

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """What the fake microphone hears: espeak-ng saying something happy, over and over."""
    if shutil.which("espeak-ng") is None:
        return None
    path = tmp_path_factory.mktemp("microphone") / "speech.wav"
    words = "I am so happy today, what a wonderful day, I love it"
    subprocess.run(["espeak-ng", "-v", "en", "-w", str(path), words], check=True, timeout=60)
    return path


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser(speech_wav: Path | None) -> AsyncIterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium; "
            "make setup installs it where it can)"
        )
    args = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    if speech_wav is not None:
        args.append(f"--use-file-for-fake-audio-capture={speech_wav}")
    async with playwright.async_playwright() as driver:
        launched = await driver.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield launched
        await launched.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def chat(
    web_catalog_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[WebHarness]:
    harness = await start_web(
        tmp_path_factory.mktemp("web-browser"), web_catalog_database,
        max_voice_seconds=VOICE_SECONDS, max_photo_bytes=PHOTO_LIMIT,
    )  # fmt: skip
    yield harness
    await stop_web(harness)


class Tab:
    """One browser tab on the chat: a person of its own (a fresh cookie jar)."""

    def __init__(self, context: Any, page: Any, harness: WebHarness) -> None:
        self.context = context
        self.page = page
        self.harness = harness
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )

    async def person(self) -> str:
        cookies = {c["name"]: c for c in await self.context.cookies()}
        cookie = cookies[COOKIE]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        return cookie["value"].split(".")[0]

    def bot(self, nth: int = -1) -> Any:
        """The nth answer (the welcome is not one)."""
        answers = self.page.locator(".msg.bot:not(.welcome)")
        return answers.last if nth == -1 else answers.nth(nth)

    async def say(self, words: str) -> Any:
        """Type `words`, press Enter, and wait for the answer."""
        count = await self.page.locator(".msg.bot:not(.welcome)").count()
        await self.page.fill("#text", words)
        await self.page.press("#text", "Enter")
        return await self.answer(count)

    async def answer(self, count_before: int) -> Any:
        answer = self.page.locator(".msg.bot:not(.welcome)").nth(count_before)
        await answer.wait_for(timeout=TIMEOUT_MS)
        return answer

    async def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest_asyncio.fixture(loop_scope="module")
async def tab(browser: Any, chat: WebHarness) -> AsyncIterator[Tab]:
    async with open_tab(browser, chat) as opened:
        yield opened


class open_tab:  # lower case: used as `async with open_tab(...)`, like open()
    def __init__(self, browser: Any, harness: WebHarness, locale: str = "en-US") -> None:
        self.browser, self.harness, self.locale = browser, harness, locale

    async def __aenter__(self) -> Tab:
        self.context = await self.browser.new_context(
            locale=self.locale, viewport={"width": 860, "height": 900}, accept_downloads=True
        )
        await self.context.grant_permissions(["microphone"], origin=self.harness.origin)
        page = await self.context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        opened = Tab(self.context, page, self.harness)
        await page.goto(self.harness.url)
        await page.locator(".status.online").wait_for()
        await page.locator("#commands button").first.wait_for()  # the hello has arrived
        return opened

    async def __aexit__(self, *exc: object) -> None:
        await self.context.close()


def expect(locator: Any) -> Any:
    return playwright.expect(locator)


playwright.expect.set_options(timeout=30_000)  # the machine running the tests may be busy


# A feeling, its tracks, and the buttons under them.


async def test_type_a_feeling_get_tracks_and_vote(tab: Tab) -> None:
    answer = await tab.say("I feel lonely and sad tonight")
    await expect(answer.locator(".track")).to_have_count(5)
    await expect(answer.locator(".bar-label").first).to_have_text("😢 sorrow")
    await expect(answer.locator(".confidence-value")).to_have_text(re.compile(r"^\d{1,3}%$"))
    first = answer.locator(".track").first
    await expect(first.locator("a.title")).to_have_attribute("href", re.compile("^https://"))
    await first.locator("button.vote", has_text="👍").click()
    await expect(first.locator("button.vote.chosen")).to_have_text("👍 1 ✓")
    await expect(tab.page.locator("#toast")).to_contain_text("Noted 👍")
    await tab.shot("tracks-and-vote")
    await first.locator("button.vote", has_text="👎").click()
    await expect(first.locator("button.vote.chosen")).to_have_text("👎 1 ✓")
    rows = await tab.harness.rows_of(await tab.person())
    assert rows == {"person": 1, "moods": 1, "offers": 5, "thumbs": 1}
    assert not tab.errors


async def test_correct_the_mood(tab: Tab) -> None:
    answer = await tab.say("I am furious about work")
    await answer.locator("button.groups").click()
    await expect(answer.locator("button.correct")).to_have_count(7)
    await tab.shot("not-how-i-feel")
    await answer.locator("button.correct", has_text="happiness").click()
    follow_up = await tab.answer(1)
    await expect(follow_up.locator(".text")).to_contain_text(
        "Thanks for telling me: you feel happiness."
    )
    await expect(follow_up.locator(".track")).to_have_count(5)
    await expect(answer.locator("button.correct, button.groups")).to_have_count(0)
    kinds = [m.kind for m in await tab.harness.moods_of(await tab.person())]
    assert kinds == ["reading", "correction"]


# Photos and voice notes.


def astronaut_png(size: int | None = None) -> bytes:
    from skimage import data

    image = Image.fromarray(data.astronaut())
    if size:
        image = image.resize((size, size))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


async def test_upload_a_photo_with_a_caption(tab: Tab, tmp_path: Path) -> None:
    photo = tmp_path / "astronaut.png"
    photo.write_bytes(astronaut_png())
    await tab.page.set_input_files("#file", str(photo))
    await expect(tab.page.locator("#chosen-name")).to_contain_text("astronaut.png")
    await expect(tab.page.locator("#text")).to_have_attribute(
        "placeholder", "Add a caption (optional)"
    )
    answer = await tab.say("what a lovely day")
    mine = tab.page.locator(".msg.mine").last
    await expect(mine.locator("img.photo")).to_be_visible()
    await expect(mine.locator(".text")).to_have_text("what a lovely day")
    parts = answer.locator(".part")
    await expect(parts).to_have_count(2)
    await expect(parts.nth(0)).to_contain_text("📝 words")
    await expect(parts.nth(1)).to_contain_text("🖼 photo")
    await expect(answer.locator(".track")).to_have_count(5)
    await tab.shot("photo-with-caption")
    moods = await tab.harness.moods_of(await tab.person())
    assert [m.modality for m in moods] == ["fused"]


async def test_each_answer_goes_under_its_own_message(tab: Tab, tmp_path: Path) -> None:
    """A photo is slower to read than words: sent first, it may be answered second."""
    photo = tmp_path / "astronaut.png"
    photo.write_bytes(astronaut_png())
    await tab.page.set_input_files("#file", str(photo))
    await tab.page.fill("#text", "me today")
    await tab.page.press("#text", "Enter")
    await tab.page.fill("#text", "I feel calm")
    await tab.page.press("#text", "Enter")
    await expect(tab.page.locator(".msg.bot:not(.welcome)")).to_have_count(2)
    log = tab.page.locator("#log > .msg:not(.welcome)")
    classes = [await log.nth(i).get_attribute("class") for i in range(4)]
    assert [c.split()[1] for c in classes if c] == ["mine", "bot", "mine", "bot"]
    await expect(log.nth(1).locator(".part")).to_have_count(2)  # words and photo
    await expect(log.nth(3).locator(".part")).to_have_count(0)  # words alone


async def test_drop_a_photo_on_the_page(tab: Tab) -> None:
    transfer = await tab.page.evaluate_handle(
        """(bytes) => {
            const transfer = new DataTransfer();
            const file = new File([new Uint8Array(bytes)], "dropped.png", {type: "image/png"});
            transfer.items.add(file);
            return transfer;
        }""",
        list(astronaut_png(256)),
    )
    await tab.page.dispatch_event("main", "dragenter", {"dataTransfer": transfer})
    await expect(tab.page.locator("#drop")).to_be_visible()
    await tab.page.dispatch_event("main", "drop", {"dataTransfer": transfer})
    await expect(tab.page.locator("#drop")).to_be_hidden()
    await expect(tab.page.locator("#chosen-name")).to_contain_text("dropped.png")
    answer = await tab.say("")  # no caption
    await expect(tab.page.locator(".msg.mine img.photo")).to_have_attribute("alt", "dropped.png")
    await expect(answer.locator(".track")).to_have_count(5)
    moods = await tab.harness.moods_of(await tab.person())
    assert [m.modality for m in moods] == ["photo"]


async def test_a_photo_over_the_limit_is_refused_before_upload(tab: Tab, tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(3 * 1024 * 1024))
    uploads: list[str] = []
    tab.page.on("request", lambda r: uploads.append(r.url) if r.url.endswith("/upload") else None)
    await tab.page.set_input_files("#file", str(big))
    await expect(tab.page.locator("#toast")).to_have_text("That file is 3.0 MB; the limit is 2 MB.")
    await expect(tab.page.locator("#chosen")).to_be_hidden()
    assert uploads == []


async def test_record_a_voice_note(tab: Tab, speech_wav: Path | None) -> None:
    if speech_wav is None:
        pytest.skip("needs espeak-ng for the fake microphone's speech")
    record = tab.page.locator("#record")
    await record.click()
    await expect(record).to_have_text(re.compile(r"⏹ 0:0[2-9]"))
    count = await tab.page.locator(".msg.bot:not(.welcome)").count()
    await record.click()
    answer = await tab.answer(count)
    mine = tab.page.locator(".msg.mine").last
    await expect(mine.locator("audio.voice")).to_have_count(1)
    await expect(mine.locator(".label")).to_contain_text("🎙 voice note 0:0")
    await expect(answer.locator(".track")).to_have_count(5)
    await expect(record).to_have_text("🎙")
    moods = await tab.harness.moods_of(await tab.person())
    assert [m.modality for m in moods] == ["voice"]


async def test_a_recording_stops_itself_at_the_limit(tab: Tab, speech_wav: Path | None) -> None:
    if speech_wav is None:
        pytest.skip("needs espeak-ng for the fake microphone's speech")
    await tab.page.locator("#record").click()
    answer = await tab.answer(0)  # nobody pressed stop: the page did, after VOICE_SECONDS
    await expect(answer.locator(".track")).to_have_count(5)
    label = await tab.page.locator(".msg.mine .label").text_content()
    assert label is not None and label.endswith(f"0:0{int(VOICE_SECONDS)}")


# Commands.


async def test_mood_shows_an_image_and_export_downloads(tab: Tab) -> None:
    await tab.say("feeling calm and grateful 😌")
    await tab.page.locator("button[data-command=mood]").click()
    chart = tab.bot().locator("img.chart")
    await expect(chart).to_be_visible()
    width = await chart.evaluate("image => image.naturalWidth")
    assert width > 300
    await tab.shot("mood-chart")
    await tab.page.locator("button[data-command=export]").click()
    link = tab.bot().locator("a.download")
    await expect(link).to_have_text("⬇ Download moodtune-export.json")
    async with tab.page.expect_download() as download_info:
        await link.click()
    download = await download_info.value
    assert download.suggested_filename == "moodtune-export.json"
    exported = json.loads(Path(await download.path()).read_text())
    assert exported["person"]["user_id"] == await tab.person()
    assert len(exported["moods"]) == 1


async def test_forget_empties_the_person(tab: Tab) -> None:
    await tab.say("I feel calm")
    person = await tab.person()
    assert (await tab.harness.rows_of(person))["offers"] == 5
    await tab.page.locator("button[data-command=forget]").click()
    question = tab.bot()
    await expect(question.locator("button.forget")).to_have_count(2)
    await tab.shot("forget-confirmation")
    await question.locator("button.forget").first.click()
    await expect(question.locator(".text")).to_contain_text("Done: I erased everything")
    await expect(question.locator("button")).to_have_count(0)
    assert await tab.harness.rows_of(person) == NOTHING


async def test_mode_menu(tab: Tab) -> None:
    await tab.page.locator("button[data-command=mode]").click()
    await tab.page.locator("button[data-command='mode lift']").click()
    await expect(tab.bot().locator(".text")).to_have_text("Mode set to lift.")


async def test_a_chinese_browser_gets_chinese(browser: Any, chat: WebHarness) -> None:
    async with open_tab(browser, chat, locale="zh-CN") as tab:
        await expect(tab.page.locator("#text")).to_have_attribute(
            "placeholder", "你现在感觉怎么样？"
        )
        await expect(tab.page.locator("html")).to_have_attribute("lang", "zh-CN")
        answer = await tab.say("今天好累，有点想家")
        await expect(answer.locator(".text")).to_contain_text("按你此刻的心情：")
        await expect(answer.locator(".text")).to_contain_text("给你的歌：")
        await expect(answer.locator("button.groups")).to_have_text("🙅 不是这种感觉")
        await tab.shot("chinese")


# Nothing from the catalog or a person runs as HTML.

HOSTILE = [
    {"title": "<script>window.pwned = 'title'</script>", "artists": "Mallory", "link": ""},
    {"title": "<img src=x onerror=\"window.pwned='img'\">", "artists": "<b>Eve</b>",
     "link": "https://example.org/?q=<script>"},
    {"title": "Sad & Lonely", "artists": "</li><script>window.pwned=1</script>", "link": ""},
    {"title": "Plain sorrow", "artists": "Ann", "link": "https://example.org/1"},
    {"title": "Tears", "artists": "Bob", "link": "https://example.org/2"},
]  # fmt: skip


@pytest_asyncio.fixture(loop_scope="module")
async def hostile_chat(tmp_path: Path) -> AsyncIterator[WebHarness]:
    """Five sad tracks (all five in every answer), some with markup in their names. (A
    javascript: link never gets this far: the catalog import refuses it.)"""
    rows = [{**row, "tags": "sad|lonely|heartbroken", "language": "en"} for row in HOSTILE]
    path = tmp_path / "hostile.csv"
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, ["title", "artists", "tags", "language", "link"])
        writer.writeheader()
        writer.writerows(rows)
    settings = web_settings(tmp_path / "data", catalog_autoload=False)
    await import_catalog(settings, path, progress=False)
    harness = await start_web(tmp_path / "data", None, catalog_autoload=False)
    yield harness
    await stop_web(harness)


async def test_markup_in_a_track_or_a_message_shows_as_text(
    browser: Any, hostile_chat: WebHarness
) -> None:
    async with open_tab(browser, hostile_chat) as tab:
        said = "<img src=x onerror=\"window.pwned='message'\"> I feel so sad and lonely"
        answer = await tab.say(said)
        await expect(answer.locator(".track")).to_have_count(5)
        titles = await answer.locator(".track .title").all_text_contents()
        assert "<script>window.pwned = 'title'</script>" in titles
        assert "<img src=x onerror=\"window.pwned='img'\">" in titles
        artists = await answer.locator(".track .artists").all_text_contents()
        assert " — </li><script>window.pwned=1</script>" in artists
        await expect(tab.page.locator(".msg.mine .text").last).to_have_text(said)
        await asyncio.sleep(0.5)  # an onerror would have fired by now
        assert await tab.page.evaluate("() => window.pwned") is None
        assert await tab.page.locator("#log script, #log img:not(.chart):not(.photo)").count() == 0
        hrefs = await answer.locator(".track a").evaluate_all("links => links.map(a => a.href)")
        assert hrefs and all(h.startswith("https://") for h in hrefs)
        await tab.shot("markup-as-text")
        assert not tab.errors
