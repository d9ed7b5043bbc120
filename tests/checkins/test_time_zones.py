"""Zones from what people type: IANA names, UTC offsets, cities in English and Chinese."""

from __future__ import annotations

import csv
import zoneinfo
from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest

from moodtune.handlers.time_zones import (
    MAX_ZONE_CHARS,
    ZoneError,
    cities,
    city_key,
    resolve_zone,
    zone_info,
)


def _table() -> list[dict[str, str]]:
    with resources.files("moodtune.handlers").joinpath("cities.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_city_table_is_big_valid_and_unambiguous() -> None:
    rows = _table()
    assert len(rows) >= 200
    known = zoneinfo.available_timezones()
    assert {row["zone"] for row in rows} <= known
    keys = [{city_key(name) for name in f"{row['city']}|{row['城市']}".split("|")} for row in rows]
    assert all(all(names) for names in keys)
    every = [name for names in keys for name in names]
    assert len(every) == len(set(every)), "a name belongs to two rows (so to two zones)"
    assert all(any("\u4e00" <= c <= "\u9fff" for c in row["城市"]) for row in rows)


@pytest.mark.parametrize(
    ("text", "zone"),
    [("Asia/Shanghai", "Asia/Shanghai"), ("asia/SHANGHAI", "Asia/Shanghai"),
     ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
     ("US/Eastern", "US/Eastern"), ("UTC", "UTC"), ("gmt", "UTC"), ("Z", "UTC"),
     ("+08:00", "+08:00"), ("+8", "+08:00"), ("UTC+8", "+08:00"), ("GMT-5", "-05:00"),
     ("-03:30", "-03:30"), ("+0545", "+05:45"), ("+14:00", "+14:00"), ("-12:00", "-12:00"),
     ("−05:00", "-05:00"), ("+00:00", "+00:00"),
     ("Beijing", "Asia/Shanghai"), ("北京", "Asia/Shanghai"), ("peking", "Asia/Shanghai"),
     ("New York", "America/New_York"), ("new_york", "America/New_York"),
     ("NEW-YORK", "America/New_York"), ("  new   york ", "America/New_York"),
     ("纽约", "America/New_York"), ("紐約", "America/New_York"),
     ("São Paulo", "America/Sao_Paulo"), ("sao paulo", "America/Sao_Paulo"),
     ("Xi'an", "Asia/Shanghai"), ("xian", "Asia/Shanghai"), ("St. Louis", "America/Chicago"),
     ("Zürich", "Europe/Zurich"), ("Kiev", "Europe/Kyiv"), ("悉尼", "Australia/Sydney"),
     ("柏林", "Europe/Berlin"), ("Kiritimati", "Pacific/Kiritimati"),
     ("Singapore", "Asia/Singapore"), ("Japan", "Japan")],  # cities before old IANA words
)  # fmt: skip
def test_zones_people_type(text: str, zone: str) -> None:
    assert resolve_zone(text).name == zone


@pytest.mark.parametrize("text", ["+15:00", "-13:00", "+14:30", "UTC+99", "+08:75", "-12:01"])
def test_offsets_outside_those_in_use_are_refused(text: str) -> None:
    with pytest.raises(ZoneError) as caught:
        resolve_zone(text)
    assert caught.value.reason == "offset_range"


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("Asia/Shangai", "Asia/Shanghai"), ("Europe/Berln", "Europe/Berlin"),
     ("america/new york", "America/New_York"), ("Bejing", "Beijing"), ("Londn", "London"),
     ("Syndey", "Sydney"), ("Shangai", "Shanghai")],
)  # fmt: skip
def test_a_typo_gets_a_suggestion(text: str, suggestion: str) -> None:
    with pytest.raises(ZoneError) as caught:
        resolve_zone(text)
    assert caught.value.reason == "unknown"
    assert caught.value.suggestions[0] == suggestion


@pytest.mark.parametrize("text", ["Narnia", "Mars/Olympus_Mons", "12345", "🌍", "火星"])
def test_unknown_places_have_no_suggestion(text: str) -> None:
    with pytest.raises(ZoneError) as caught:
        resolve_zone(text)
    assert caught.value.reason == "unknown" and caught.value.suggestions == ()


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "empty"), ("   ", "empty"), ("x" * (MAX_ZONE_CHARS + 1), "too_long"),
     ("../../etc/passwd", "unknown"), ("/etc/localtime", "unknown"), ("Asia/../UTC", "unknown"),
     ("Asia\x00Shanghai", "unknown"), ("+٠٨:٠٠", "unknown")],
)  # fmt: skip
def test_junk_and_paths_are_not_zones(text: str, reason: str) -> None:
    with pytest.raises(ZoneError) as caught:
        resolve_zone(text)
    assert caught.value.reason == reason
    assert len(caught.value.given) <= MAX_ZONE_CHARS + 1


def test_stored_names_turn_back_into_zones() -> None:
    noon = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert noon.astimezone(zone_info("Asia/Shanghai")).hour == 20
    assert noon.astimezone(zone_info("+05:45")).utcoffset() == timedelta(hours=5, minutes=45)
    assert noon.astimezone(zone_info("-03:30")).utcoffset() == timedelta(hours=-3, minutes=-30)
    assert zone_info("UTC") is UTC
    with pytest.raises(ZoneError):
        zone_info("Gone/Removed_Zone")


def test_every_city_resolves_to_its_own_zone() -> None:
    for key, zone in cities().items():
        assert resolve_zone(key).name == zone
