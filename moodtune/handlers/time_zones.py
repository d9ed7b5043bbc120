"""Where someone is, from what they type: an IANA zone, a UTC offset, or a city.

    resolve_zone("Asia/Shanghai")   → Zone("Asia/Shanghai")
    resolve_zone("+05:30")          → Zone("+05:30")
    resolve_zone("北京") / ("beijing") → Zone("Asia/Shanghai")

A zone is stored by its name (the IANA key, or a normalised offset such as "+08:00") and
turned back into a tzinfo with `zone_info`. Cities come from `cities.csv`, a table written
for this project (English names, Chinese names, each with its IANA zone; `|` separates
other names of the same city). What cannot be resolved raises ZoneError with a message
for the person, naming the closest known names when the input looks like a typo.
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, timedelta, timezone, tzinfo
from importlib import resources

MAX_ZONE_CHARS = 64  # the longest IANA key is 32 characters; a city name is shorter still
MAX_OFFSET = timedelta(hours=14)  # Kiritimati, the easternmost offset in use
MIN_OFFSET = timedelta(hours=-12)  # Baker Island, the westernmost
CUTOFF = 0.75  # how alike a typo and a name must be (difflib's ratio) to suggest it
NEARLY = 0.05  # other names are suggested too when this close to the closest
UTC_NAMES = frozenset({"utc", "gmt", "z", "zulu"})
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+\-−])\s*(\d{1,2})(?:[:：]?(\d{2}))?", re.I | re.A)


class ZoneError(ValueError):
    """A zone that cannot be used; `suggestions` are known names close to what was typed."""

    def __init__(self, given: str, reason: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.given = given
        self.reason = reason  # "unknown", "offset_range", "too_long", "empty"
        self.suggestions = suggestions


@dataclass(frozen=True, slots=True)
class Zone:
    """A resolved zone: `name` as stored ("Asia/Shanghai", "+08:00", "UTC")."""

    name: str

    @property
    def info(self) -> tzinfo:
        return zone_info(self.name)


def resolve_zone(text: str) -> Zone:
    """The zone meant by `text`: an IANA name (any case), an offset, or a known city."""
    given = " ".join(text.split())
    if not given:
        raise ZoneError(given, "empty")
    if len(given) > MAX_ZONE_CHARS:
        raise ZoneError(given[:MAX_ZONE_CHARS] + "…", "too_long")
    if given.casefold() in UTC_NAMES:
        return Zone("UTC")
    offset = _OFFSET.fullmatch(given)
    if offset is not None:
        return Zone(_offset_name(given, *offset.groups()))
    iana = _iana_names().get(given.casefold())
    if iana is not None and "/" in iana:
        return Zone(iana)
    city = cities().get(city_key(given))
    if city is not None:  # before the old single-word keys ("Singapore", "Japan")
        return Zone(city)
    if iana is not None:
        return Zone(iana)
    raise ZoneError(given, "unknown", suggest(given))


def _offset_name(given: str, sign: str, hours: str, minutes: str | None) -> str:
    """'+8' / 'UTC+08:00' / '-0530' → '+08:00', '-05:30'; refused beyond -12:00…+14:00."""
    minute = int(minutes or 0)
    span = timedelta(hours=int(hours), minutes=minute)
    if sign in "-−":
        span = -span
    if minute > 59 or not MIN_OFFSET <= span <= MAX_OFFSET:
        raise ZoneError(given, "offset_range")
    total = int(abs(span).total_seconds()) // 60
    return f"{'-' if span < timedelta(0) else '+'}{total // 60:02d}:{total % 60:02d}"


def zone_info(name: str) -> tzinfo:
    """The tzinfo of a stored zone name; ZoneError for a name that no longer resolves (a
    zone removed from the system's tz database)."""
    if name == "UTC":
        return UTC
    if name[:1] in "+-":
        sign = -1 if name[0] == "-" else 1
        hours, _, minutes = name[1:].partition(":")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ZoneError(name, "unknown") from None


def city_key(name: str) -> str:
    """How a city name is looked up: accents, case, punctuation and spacing do not matter
    ('São Paulo', 'sao-paulo' and 'SAO PAULO' are one city; "Xi'an" is 'xian')."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"['’.]", "", plain)
    return " ".join(re.sub(r"[-_,]", " ", plain).split())


def cities() -> dict[str, str]:
    """Every known city name (English and Chinese, each spelling) → its IANA zone."""
    return _city_table()[0]


def city_names() -> dict[str, str]:
    """Lookup key → the name as the table spells it, for suggestions."""
    return _city_table()[1]


@functools.cache
def _city_table() -> tuple[dict[str, str], dict[str, str]]:
    table = resources.files("moodtune.handlers").joinpath("cities.csv")
    zones: dict[str, str] = {}
    spelled: dict[str, str] = {}
    with table.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            for name in (*row["city"].split("|"), *row["城市"].split("|")):
                zones[city_key(name)] = row["zone"]
                spelled[city_key(name)] = name
    return zones, spelled


@functools.cache
def _iana_names() -> dict[str, str]:
    """Every IANA key the system knows, by its case-folded spelling."""
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def suggest(given: str, n: int = 3) -> tuple[str, ...]:
    """Known names (IANA keys or cities) that look like a typo of `given`: the closest,
    and up to `n` - 1 others nearly as close."""
    if "/" in given:
        spelled, typed = _iana_names(), given.casefold()
    else:
        spelled, typed = city_names(), city_key(given)
    matcher = difflib.SequenceMatcher(b=typed)
    scored = []
    for key in spelled:
        matcher.set_seq1(key)
        # The quick upper bounds first, as difflib.get_close_matches does.
        if matcher.real_quick_ratio() < CUTOFF or matcher.quick_ratio() < CUTOFF:
            continue
        if (ratio := matcher.ratio()) >= CUTOFF:
            scored.append((ratio, key))
    scored.sort(reverse=True)
    close = [key for ratio, key in scored[:n] if ratio >= scored[0][0] - NEARLY]
    return tuple(dict.fromkeys(spelled[key] for key in close))
