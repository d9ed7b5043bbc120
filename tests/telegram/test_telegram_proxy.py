"""Reaching Telegram through a proxy: which proxy is chosen (MOODTUNE_TELEGRAM_PROXY, then
HTTPS_PROXY / HTTP_PROXY, NO_PROXY honoured), and the bot at work through a real one on
127.0.0.1 (forward_proxy.py) with the fake Bot API behind it, under a host name only the
proxy knows: a request that went around the proxy could not have arrived."""

from __future__ import annotations

import asyncio
import shutil
import signal
import ssl
from collections import Counter
from pathlib import Path

import pytest
import trustme
from fake_bot_api import FakeBotApi
from forward_proxy import ForwardProxy
from media_samples import astronaut_jpeg
from telegram_harness import MOODTUNE, command_env, start_harness, stop_harness

from moodtune.bot.proxy import Proxy, bypassed, choose_proxy
from moodtune.errors import ConfigurationError

HIDDEN = "telegram.test"  # a reserved name that resolves nowhere; the proxy knows it
API = "https://api.telegram.org/bot"
SETTING = "MOODTUNE_TELEGRAM_PROXY"


@pytest.mark.parametrize(
    ("env", "url", "expected"),
    [
        ({"HTTPS_PROXY": "http://proxy:3128"}, API, Proxy("http://proxy:3128", "HTTPS_PROXY")),
        ({"https_proxy": "http://low:1", "HTTPS_PROXY": "http://up:1"}, API,
         Proxy("http://low:1", "https_proxy")),
        ({"HTTPS_PROXY": "127.0.0.1:7890"}, API, Proxy("http://127.0.0.1:7890", "HTTPS_PROXY")),
        ({"HTTP_PROXY": "http://proxy:3128"}, API, None),  # for http:// URLs only
        ({"HTTP_PROXY": "http://proxy:3128"}, "http://localhost:8081/bot",
         Proxy("http://proxy:3128", "HTTP_PROXY")),
        ({"HTTPS_PROXY": "  "}, API, None),
        ({}, API, None),
    ],
)  # fmt: skip
def test_the_environment_names_the_proxy_for_the_url(
    env: dict[str, str], url: str, expected: Proxy | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert choose_proxy(url, None, SETTING) == expected


def test_the_setting_comes_before_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://from-env:1")
    monkeypatch.setenv("NO_PROXY", "*")  # exempts the environment's proxy, not the setting's
    assert choose_proxy(API, "http://mine:2", SETTING) == Proxy("http://mine:2", SETTING)
    assert choose_proxy(API, "", SETTING) is None


@pytest.mark.parametrize(
    ("no_proxy", "host", "port", "exempt"),
    [
        ("*", "api.telegram.org", 443, True),
        ("telegram.org", "api.telegram.org", 443, True),
        (".telegram.org", "api.telegram.org", 443, True),
        ("telegram.org", "telegram.org", 443, True),
        ("API.Telegram.org.", "api.telegram.org", 443, True),
        ("gram.org", "api.telegram.org", 443, False),
        ("localhost, api.telegram.org ,", "api.telegram.org", 443, True),
        ("api.telegram.org:8443", "api.telegram.org", 443, False),
        ("api.telegram.org:443", "api.telegram.org", 443, True),
        ("127.0.0.0/8", "127.0.0.1", 8081, True),
        ("10.0.0.0/8", "127.0.0.1", 8081, False),
        ("127.0.0.1", "127.0.0.1", 8081, True),
        ("::1", "::1", 8081, True),
        ("[::1]:8081", "::1", 8081, True),
        ("[::1]:8082", "::1", 8081, False),
        ("", "api.telegram.org", 443, False),
    ],
)
def test_no_proxy(no_proxy: str, host: str, port: int, exempt: bool) -> None:
    assert bypassed(host, port, no_proxy) is exempt


def test_no_proxy_exempts_the_bot_api_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy:3128")
    monkeypatch.setenv("no_proxy", "example.org,telegram.org")
    assert choose_proxy(API, None, SETTING) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("socks5://me:hunter2@127.0.0.1:1080", "socks5:// proxies are not supported"),
        ("http://me:hunter2@127.0.0.1:port", "has a bad port"),
        ("http://me:hunter2@:8080", "names no host"),
    ],
)
def test_a_proxy_that_cannot_be_used_is_named_without_its_password(
    value: str, message: str
) -> None:
    with pytest.raises(ConfigurationError) as refused:
        choose_proxy(API, value, SETTING)
    assert str(refused.value).startswith(f"{SETTING}: ") and message in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_a_proxy_is_shown_without_its_credentials() -> None:
    proxy = Proxy("http://me:hunter2@127.0.0.1:3128", SETTING)
    assert proxy.shown == "http://127.0.0.1:3128" and proxy.password == "hunter2"


async def test_the_bot_works_through_the_configured_proxy(
    catalog_database: Path, tmp_path: Path
) -> None:
    """Polling, replies and file downloads, through a proxy that wants credentials."""
    proxy = ForwardProxy({HIDDEN: "127.0.0.1"}, credentials=("moodtune", "s3cret"))
    await proxy.start()
    bot = await start_harness(
        tmp_path, catalog_database, FakeBotApi(host=HIDDEN),
        telegram_proxy=f"http://moodtune:s3cret@127.0.0.1:{proxy.port}",
    )  # fmt: skip
    try:
        text = await bot.fake.reply_to(bot.fake.push_text(601, "I feel happy and light"))
        assert "Tracks for you:" in text["text"]
        photo = await bot.fake.reply_to(bot.fake.push_photo(602, astronaut_jpeg((320, 240))))
        assert len(photo["reply_markup"]["inline_keyboard"]) == 6  # five tracks, a correction
    finally:
        await stop_harness(bot)
        await proxy.stop()
    answered = Counter(call.method for call in bot.fake.calls)
    answered["file"] = len(bot.fake.downloads)
    assert answered <= Counter(proxy.methods())  # every request the server had, came through
    assert {"getUpdates", "sendMessage", "getFile", "file"} <= answered.keys()
    assert not proxy.refused


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "MOODTUNE_TELEGRAM_PROXY"])
async def test_moodtune_run_tunnels_https_through_the_proxy(
    variable: str, catalog_database: Path, tmp_path: Path
) -> None:
    """The real command, HTTPS to the fake server (its certificate from a test CA the
    command is told to trust), tunnelled through the proxy HTTPS_PROXY names; the one
    MOODTUNE_TELEGRAM_PROXY names is an https:// proxy (TLS to the proxy, then inside)."""
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    shutil.copyfile(catalog_database, tmp_path / "moodtune.db")
    fake = FakeBotApi(host=HIDDEN)
    await fake.start(server_tls(ca, HIDDEN))
    proxy = ForwardProxy({HIDDEN: "127.0.0.1"})
    await proxy.start(server_tls(ca, "127.0.0.1") if variable == SETTING else None)
    env = command_env(
        tmp_path,
        MOODTUNE_TELEGRAM_TOKEN=fake.token,
        MOODTUNE_TELEGRAM_BASE_URL=fake.base_url,
        MOODTUNE_TELEGRAM_BASE_FILE_URL=fake.base_file_url,
        SSL_CERT_FILE=str(tmp_path / "ca.pem"),
        **{variable: proxy.url},
    )
    process = await asyncio.create_subprocess_exec(
        *MOODTUNE, "run", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    try:
        reply = await fake.reply_to(fake.push_text(603, "so calm and grateful"), timeout=90)
        assert "Tracks for you:" in reply["text"]
    finally:
        if process.returncode is None:  # it may have ended already, saying why
            process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
        await proxy.stop()
        await fake.stop()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert f"reached Telegram through the proxy {proxy.url} ({variable})" in log
    assert "Traceback" not in log
    assert proxy.seen and set(proxy.seen) == {f"CONNECT {HIDDEN}:{fake.port}"}


def server_tls(ca: trustme.CA, host: str) -> ssl.SSLContext:
    """A server's TLS context with a certificate for `host` from the test CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(host).configure_cert(context)
    return context
