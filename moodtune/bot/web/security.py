"""Who may reach the web chat, and what the browser may do with its page.

- Listening on anything but loopback needs MOODTUNE_WEB_ALLOW_REMOTE=true.
- On loopback, a request must name a loopback host: a site whose DNS name points at
  127.0.0.1 (DNS rebinding) is turned away.
- The WebSocket and uploads need an Origin: the page's own (same host), or exactly
  MOODTUNE_WEB_ORIGIN behind a proxy; any other site's script is refused.
- Every response carries a strict Content Security Policy: the page runs its own script
  and nothing else, not even inline, so text that slipped into the DOM could not run.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from moodtune.config import Settings
from moodtune.errors import ConfigurationError

POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "microphone=(self), camera=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_listen(settings: Settings) -> None:
    """Refuse to listen beyond this machine unless that was asked for explicitly."""
    if not is_loopback(settings.web_host) and not settings.web_allow_remote:
        raise ConfigurationError(
            f"MOODTUNE_WEB_HOST={settings.web_host} would let anyone who can reach this machine "
            "chat with moodtune, as many people as they like; set MOODTUNE_WEB_ALLOW_REMOTE=true "
            "if that is what you want (see the README's web chat section)"
        )


class Guard:
    def __init__(self, settings: Settings) -> None:
        self.origin = settings.web_origin
        self.loopback_only = is_loopback(settings.web_host) and self.origin is None

    def host_allowed(self, request: web.Request) -> bool:
        if not self.loopback_only:
            return True
        hostname = urlsplit(f"//{request.host}").hostname or ""
        return is_loopback(hostname)

    def origin_allowed(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin", "").lower()
        if self.origin is not None:
            return origin == self.origin
        host = request.host.lower()
        return origin in (f"http://{host}", f"https://{host}")

    def secure_cookie(self, request: web.Request) -> bool:
        return request.secure or (self.origin or "").startswith("https://")


def middleware(guard: Guard) -> Middleware:
    """Requests for a host this chat does not answer at are turned away; every answer
    carries the headers above."""

    @web.middleware
    async def guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not guard.host_allowed(request):
            response: web.StreamResponse = web.json_response(
                {"type": "error", "text": "This chat answers at 127.0.0.1 or localhost only."},
                status=421,
            )
        else:
            response = await handler(request)
        if not response.prepared:  # a WebSocket has sent its headers already
            response.headers.update(HEADERS)
        return response

    return guarded
