"""Which proxy a connector reaches its platform through: its setting (MOODTUNE_TELEGRAM_PROXY,
MOODTUNE_DISCORD_PROXY), else the one the environment names for the API URL's scheme
(https_proxy / HTTPS_PROXY, http_proxy / HTTP_PROXY), unless no_proxy / NO_PROXY exempts
its host. Chosen once, at start.

Not aiohttp's own `trust_env`: that looks the environment up again, in a thread, for every
request (and reads ~/.netrc for each), on the path every reply takes.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from moodtune.errors import ConfigurationError

PROXY_SCHEMES = ("http", "https")  # what aiohttp can send requests and tunnels through


@dataclass(frozen=True)
class Proxy:
    """An HTTP(S) proxy: its URL (credentials included) and where it was configured."""

    url: str
    source: str  # the setting or environment variable that named it

    @property
    def shown(self) -> str:
        """The URL without its credentials, fit for a log line or an error message."""
        return without_credentials(self.url)

    @property
    def password(self) -> str | None:
        return urlsplit(self.url).password


def without_credentials(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def choose_proxy(url: str, configured: str | None, setting: str) -> Proxy | None:
    """The proxy for requests to `url`: `configured` (named `setting` in messages) when
    set, else the environment's for the URL's scheme, unless NO_PROXY exempts its host.

    A proxy without a scheme is taken as http://, as curl does. ConfigurationError for a
    proxy that cannot be used (another scheme, no host, a bad port)."""
    if configured and configured.strip():
        return _checked(configured.strip(), setting)
    parts = urlsplit(url)
    found = _environment(f"{parts.scheme}_proxy")
    no_proxy = _environment("no_proxy")
    if found is None or (no_proxy and bypassed(parts.hostname or "", parts.port, no_proxy[0])):
        return None
    return _checked(*found)


def _environment(name: str) -> tuple[str, str] | None:
    """(value, variable) of `name` in lower case, else in upper case, as curl reads them."""
    for variable in (name.lower(), name.upper()):
        value = os.environ.get(variable, "").strip()
        if value:
            return value, variable
    return None


def bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    """Whether `no_proxy` (NO_PROXY's value) exempts `host`. Its entries: "*"; a name or
    domain ("example.org" or ".example.org", either covering subdomains too); an IP
    address or network ("10.0.0.0/8"); each optionally with ":port"."""
    host = host.lower().rstrip(".")
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if entry == "*":
            return True
        name, entry_port = _split_port(entry)
        if not name or (entry_port is not None and entry_port != port):
            continue
        try:
            if ipaddress.ip_address(host) in ipaddress.ip_network(name, strict=False):
                return True
        except ValueError:  # a name, not an address within a network
            name = name.strip(".")
            if host == name or host.endswith("." + name):
                return True
    return False


def _split_port(entry: str) -> tuple[str, int | None]:
    """("host", port) of "host:port", "[::1]:port"; a bare IPv6 address has no port."""
    name, colon, port = entry.rpartition(":")
    if colon and port.isdigit() and (":" not in name or name.endswith("]")):
        return name.strip("[]"), int(port)
    return entry.strip("[]"), None


def _checked(url: str, source: str) -> Proxy:
    if "://" not in url:
        url = f"http://{url}"
    parts = urlsplit(url)
    shown = without_credentials(url)
    if parts.scheme.lower() not in PROXY_SCHEMES:
        raise ConfigurationError(
            f"{source}: {parts.scheme}:// proxies are not supported ({shown}); "
            "use an HTTP proxy, e.g. http://127.0.0.1:8080"
        )
    try:
        parts.port  # noqa: B018 (urlsplit checks the port only when it is read)
    except ValueError:
        raise ConfigurationError(f"{source}: {shown} has a bad port") from None
    if not parts.hostname:
        raise ConfigurationError(f"{source}: {shown} names no host; e.g. http://127.0.0.1:8080")
    return Proxy(url, source)
