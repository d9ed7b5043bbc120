"""One catalog row as a `TrackRecord`, and the checks every row passes before it is kept.

Rows come from CSV (every value a string; lists split on `|` or `;`; comments as JSON in
a cell) or from JSON Lines (typed values). `parse_record` accepts both and refuses a row
with one human sentence naming the field, so an import report can say what to fix.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_TITLE = 300
MAX_NAME = 200  # one artist, an album
MAX_ARTISTS = 20
MAX_GENRE = 100
MAX_TAG = 50
MAX_TAGS = 50
MAX_LINK = 2000
MAX_LYRICS = 20_000
MAX_COMMENT = 2000
MAX_COMMENTS = 5000
MAX_LIKES = 10**12
YEARS = (1000, 2100)

FIELDS = (
    "title", "artists", "album", "language", "year", "genre", "tags", "link",
    "valence", "energy", "lyrics", "comments",
)  # fmt: skip
ALIASES = {"artist": "artists", "tag": "tags", "url": "link"}

_LIST_SEPARATOR = re.compile(r"[|;]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # keeps tab and newline
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


class RecordError(ValueError):
    """A row that cannot become a track; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    likes: int = 0


@dataclass(frozen=True, slots=True)
class TrackRecord:
    title: str
    artists: tuple[str, ...]
    album: str = ""
    language: str = ""
    year: int | None = None
    genre: str = ""
    tags: tuple[str, ...] = ()
    link: str = ""
    valence: float | None = None
    energy: float | None = None
    lyrics: str = ""
    comments: tuple[Comment, ...] = ()


def canonical_field(name: str) -> str:
    """A column or key name as the schema knows it: trimmed, lower case, aliases resolved."""
    key = name.strip().lower()
    return ALIASES.get(key, key)


def parse_record(raw: Mapping[str, Any]) -> TrackRecord:
    """Check and clean one row (unknown keys are ignored); RecordError says what is wrong."""
    row = {canonical_field(str(key)): value for key, value in raw.items()}
    title = _line(row.get("title"), "title", MAX_TITLE)
    if not title:
        raise RecordError("title is required")
    artists = _names(row.get("artists"), "artists", MAX_NAME, MAX_ARTISTS)
    if not artists:
        raise RecordError("at least one artist is required")
    return TrackRecord(
        title=title,
        artists=artists,
        album=_line(row.get("album"), "album", MAX_NAME),
        language=_language(row.get("language")),
        year=_year(row.get("year")),
        genre=_line(row.get("genre"), "genre", MAX_GENRE),
        tags=_names(row.get("tags"), "tags", MAX_TAG, MAX_TAGS),
        link=_link(row.get("link")),
        valence=_unit(row.get("valence"), "valence"),
        energy=_unit(row.get("energy"), "energy"),
        lyrics=_text(row.get("lyrics"), "lyrics", MAX_LYRICS),
        comments=_comments(row.get("comments")),
    )


def _string(value: Any, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordError(f"{field} must be text, not {_kind(value)}")
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from JSON such as "\ud800"
        raise RecordError(f"{field} contains an invalid character (a lone surrogate)") from None
    return text


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", bool: "true/false", int: "a number"}
    return names.get(type(value), "a number" if isinstance(value, float) else type(value).__name__)


def _line(value: Any, field: str, limit: int) -> str:
    """One line of text: control characters and runs of spaces become one space."""
    text = " ".join(_CONTROL.sub(" ", _string(value, field)).split())
    if len(text) > limit:
        raise RecordError(f"{field} is longer than {limit} characters ({len(text)})")
    return text


def _text(value: Any, field: str, limit: int) -> str:
    """Multi-line text (lyrics, a comment): line breaks kept, other control characters not."""
    text = _CONTROL.sub("", _string(value, field).replace("\r\n", "\n").replace("\r", "\n"))
    text = text.strip()
    if len(text) > limit:
        raise RecordError(f"{field} is longer than {limit} characters ({len(text)})")
    return text


def _names(value: Any, field: str, limit: int, count: int) -> tuple[str, ...]:
    """A list given as a JSON list or as one string separated by '|' or ';'."""
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = _LIST_SEPARATOR.split(value)
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise RecordError(f"{field} must be a list or text separated by '|' or ';'")
    names = [_line(item, f"each of {field}", limit) for item in items]
    unique = tuple(dict.fromkeys(name for name in names if name))
    if len(unique) > count:
        raise RecordError(f"{field} has {len(unique)} entries; at most {count} are allowed")
    return unique


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordError(f"{field} must be a number, not {_kind(value)}")
    try:
        number = float(value)
    except ValueError:
        raise RecordError(f"{field} must be a number, got {str(value)[:40]!r}") from None
    if not math.isfinite(number):
        raise RecordError(f"{field} must be a finite number, got {value!r}")
    return number


def _year(value: Any) -> int | None:
    if _blank(value):
        return None
    year = _number(value, "year")
    if not year.is_integer() or not YEARS[0] <= year <= YEARS[1]:
        raise RecordError(f"year must be a whole number from {YEARS[0]} to {YEARS[1]}, got {value}")
    return int(year)


def _unit(value: Any, field: str) -> float | None:
    if _blank(value):
        return None
    number = _number(value, field)
    if not 0.0 <= number <= 1.0:
        raise RecordError(f"{field} must be between 0 and 1, got {value}")
    return number


def _language(value: Any) -> str:
    """A short language code such as 'en', 'zh', 'zh-Hans' or 'pt-BR' ('zh_CN' is fine too)."""
    code = _line(value, "language", 16).replace("_", "-")
    if not code:
        return ""
    primary, _, rest = code.partition("-")
    code = primary.lower() + ("-" + rest if rest else "")
    if not _LANGUAGE.fullmatch(code):
        raise RecordError(f"language must be a short code such as 'en' or 'zh-Hans', got {code!r}")
    return code


def _link(value: Any) -> str:
    link = _string(value, "link").strip()
    if not link:
        return ""
    if len(link) > MAX_LINK:
        raise RecordError(f"link is longer than {MAX_LINK} characters")
    parts = urlsplit(link) if not any(c.isspace() or c < " " for c in link) else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RecordError(f"link must be an http(s) address, got {link[:60]!r}")
    return link


def _comments(value: Any) -> tuple[Comment, ...]:
    if _blank(value):
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            msg = f"comments must be JSON: {error.msg} at character {error.pos}"
            raise RecordError(msg) from None
        except RecursionError:
            raise RecordError("comments are nested too deeply to be JSON comments") from None
    if not isinstance(value, list):
        raise RecordError(f"comments must be a list of {{text, likes}}, not {_kind(value)}")
    if len(value) > MAX_COMMENTS:
        raise RecordError(f"there are {len(value)} comments; at most {MAX_COMMENTS} are allowed")
    comments = (_comment(item, n) for n, item in enumerate(value, 1))
    return tuple(c for c in comments if c.text)


def _comment(item: Any, number: int) -> Comment:
    where = f"comment {number}"
    if isinstance(item, str):
        return Comment(_text(item, where, MAX_COMMENT))
    if not isinstance(item, dict):
        raise RecordError(f"{where} must be an object {{text, likes}}, not {_kind(item)}")
    likes = 0.0 if _blank(item.get("likes")) else _number(item["likes"], f"{where} likes")
    if not likes.is_integer() or not 0 <= likes <= MAX_LIKES:
        raise RecordError(f"{where}: likes must be a whole number >= 0, got {item['likes']}")
    return Comment(_text(item.get("text"), where, MAX_COMMENT), int(likes))
