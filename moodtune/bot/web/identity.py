"""Who a browser is, with no login: a random numeric person id in a signed cookie.

The cookie is HTTP-only (no script on the page can read it), SameSite=Strict (no other
site's page sends it along) and signed with HMAC-SHA256, so a changed or invented id is
refused. Ids are numbers so that button data stays within the owner pattern of
moodtune.handlers.buttons. The secret comes from MOODTUNE_WEB_COOKIE_SECRET, or is made
once and kept in the data dir (readable by its owner only), so people survive restarts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from moodtune.config import Settings
from moodtune.errors import ConfigurationError

COOKIE = "moodtune_person"
MAX_AGE_SECONDS = 400 * 24 * 3600  # the most browsers keep a cookie
SECRET_FILE = "web-cookie-secret"
MIN_SECRET_CHARS = 32
_ID_LOW, _ID_SPAN = 10**15, 9 * 10**15  # 16 digits: ~53 bits, never guessed by chance
_VALUE = re.compile(r"(?P<id>[1-9][0-9]{15})\.(?P<signature>[A-Za-z0-9_-]{43})")


class PersonCookie:
    """Mints person ids and signs and checks the cookie that carries them."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_CHARS:
            raise ConfigurationError(
                f"MOODTUNE_WEB_COOKIE_SECRET must be at least {MIN_SECRET_CHARS} characters"
            )
        self._secret = secret

    @staticmethod
    def new_person() -> str:
        return str(_ID_LOW + secrets.randbelow(_ID_SPAN))

    def value_for(self, person: str) -> str:
        return f"{person}.{self._signature(person)}"

    def person_of(self, value: str | None) -> str | None:
        """The person id a cookie value carries, None when missing, malformed or forged."""
        match = _VALUE.fullmatch(value or "")
        if match is None:
            return None
        if not hmac.compare_digest(match["signature"], self._signature(match["id"])):
            return None
        return match["id"]

    def _signature(self, person: str) -> str:
        digest = hmac.new(self._secret, f"moodtune-web-person:{person}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def cookie_secret(settings: Settings) -> bytes:
    """The configured secret, else the one kept in the data dir (made on first use)."""
    if settings.web_cookie_secret is not None:
        return settings.web_cookie_secret.get_secret_value().encode()
    return _kept_secret(settings.data_dir / SECRET_FILE)


def _kept_secret(path: Path) -> bytes:
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(draft, path)  # atomic, and refused when another process made one first
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    secret = path.read_text(encoding="ascii").strip().encode()
    if len(secret) < MIN_SECRET_CHARS:
        raise ConfigurationError(f"{path} holds no usable cookie secret: delete it to make one")
    return secret
