"""The bundled demo catalog: real songs, well-formed rows, the whole emotion space covered."""

from __future__ import annotations

import csv
import datetime
import unicodedata
from collections import Counter
from importlib import resources
from urllib.parse import parse_qs, urlsplit

import pytest

from moodtune.catalog.mood_tags import known_tags, normalise_tag, tags_vector
from moodtune.emotion import GROUPS, EmotionVector

COLUMNS = ["title", "artists", "album", "year", "language", "genre", "tags", "link"]
REQUIRED = ["title", "artists", "year", "language", "genre", "tags", "link"]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    path = resources.files("moodtune.catalog").joinpath("demo", "tracks.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def first_artist(row: dict[str, str]) -> str:
    return row["artists"].split("|")[0]


def test_at_least_a_thousand_songs(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 1000


def test_required_fields_are_present_and_sane(rows: list[dict[str, str]]) -> None:
    this_year = datetime.date.today().year
    for row in rows:
        assert all(row[field] and row[field].strip() == row[field] for field in REQUIRED), row
        assert 1900 <= int(row["year"]) <= this_year, row
        assert all(name and name.strip() == name for name in row["artists"].split("|")), row
        assert row["language"].isascii() and row["language"].islower(), row
        # Facts and tags only: no field is long enough to carry lyrics.
        assert all(len(row[field]) <= 120 for field in COLUMNS if field != "link"), row


def test_no_song_appears_twice(rows: list[dict[str, str]]) -> None:
    keys = Counter((normalised(row["title"]), normalised(first_artist(row))) for row in rows)
    assert [key for key, count in keys.items() if count > 1] == []


def test_languages_are_spread(rows: list[dict[str, str]]) -> None:
    languages = Counter(row["language"] for row in rows)
    assert len(languages) >= 3
    assert languages["zh"] >= 300
    assert languages["en"] >= 300
    assert sum(count for code, count in languages.items() if code not in {"zh", "en"}) >= 100


def test_every_song_has_two_to_five_known_mood_tags(rows: list[dict[str, str]]) -> None:
    vocabulary = known_tags()
    for row in rows:
        tags = row["tags"].split("|")
        assert 2 <= len(tags) <= 5, row
        assert len(set(tags)) == len(tags), row
        assert all(normalise_tag(tag) in vocabulary for tag in tags), row
        assert tags_vector(tags)[1], row


def test_every_link_is_an_https_search_for_the_song(rows: list[dict[str, str]]) -> None:
    for row in rows:
        parts = urlsplit(row["link"])
        assert parts.scheme == "https" and parts.netloc, row
        assert parse_qs(parts.query)["q"] == [f"{row['title']} {first_artist(row)}"], row


def test_every_emotion_group_leads_at_least_twenty_songs(rows: list[dict[str, str]]) -> None:
    leaders: Counter[str] = Counter()
    for row in rows:
        groups = EmotionVector.from_array(tags_vector(row["tags"].split("|"))[0]).groups()
        leaders[max(groups, key=groups.__getitem__)] += 1
    assert set(leaders) == set(GROUPS)
    assert min(leaders.values()) >= 20, leaders
