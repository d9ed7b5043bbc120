"""Row validation: every field's rules, with a clear reason for each refusal."""

from __future__ import annotations

from typing import Any

import pytest

from moodtune.catalog.schema import Comment, RecordError, TrackRecord, parse_record


def parse(**fields: Any) -> TrackRecord:
    return parse_record({"title": "Song", "artists": "Someone", **fields})


def test_a_full_csv_row_of_strings() -> None:
    record = parse_record(
        {
            "Title": "  Someone   Like You ",
            "Artist": "Adele | Dan Wilson;Adele",
            "album": "21", "language": "EN", "year": " 2011 ", "genre": "pop",
            "tags": "sad|piano||", "url": "https://example.org/track/1",
            "valence": "0.2", "energy": "0.35", "lyrics": "I heard\r\nthat you're\rsettled",
            "comments": '[{"text": "cried", "likes": "12"}, {"text": "  "}, "so good"]',
            "unknown column": "ignored",
        }
    )  # fmt: skip
    assert record == TrackRecord(
        title="Someone Like You",
        artists=("Adele", "Dan Wilson"),
        album="21", language="en", year=2011, genre="pop", tags=("sad", "piano"),
        link="https://example.org/track/1", valence=0.2, energy=0.35,
        lyrics="I heard\nthat you're\nsettled",
        comments=(Comment("cried", 12), Comment("so good", 0)),
    )  # fmt: skip


def test_a_typed_json_row() -> None:
    record = parse_record(
        {
            "title": "晴天", "artists": ["周杰伦"], "year": 2003.0, "valence": 1,
            "energy": 0, "tags": ["nostalgic"], "language": "zh_CN",
            "comments": [{"text": "青春", "likes": 1000}],
        }
    )  # fmt: skip
    assert (record.year, record.valence, record.energy) == (2003, 1.0, 0.0)
    assert (record.language, record.artists, record.comments) == (
        "zh-CN", ("周杰伦",), (Comment("青春", 1000),)
    )  # fmt: skip


def test_empty_optional_fields_are_fine() -> None:
    record = parse(year="", valence=" ", energy=None, link="", comments="", language="")
    assert (record.year, record.valence, record.energy, record.link, record.comments) == (
        None, None, None, "", ()
    )  # fmt: skip


def test_control_characters_never_reach_the_database() -> None:
    record = parse(title="A\x00B\tC\x1b", lyrics="la\x00la\n\tla\x07")
    assert (record.title, record.lyrics) == ("A B C", "lala\n\tla")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": ""}, "title is required"),
        ({"title": "\x00\x01 "}, "title is required"),
        ({"artists": " | ; "}, "at least one artist"),
        ({"artists": None}, "at least one artist"),
        ({"artists": {"name": "x"}}, "artists must be a list"),
        ({"artists": ["ok", 3.5, ["nested"]]}, "each of artists must be text, not a list"),
        ({"title": "x" * 301}, "title is longer than 300 characters"),
        ({"lyrics": "la " * 7000}, "lyrics is longer than 20000"),
        ({"artists": "|".join(f"a{i}" for i in range(21))}, "at most 20"),
        ({"tags": [f"t{i}" for i in range(51)]}, "tags has 51 entries"),
        ({"year": "999"}, "year must be a whole number from 1000 to 2100"),
        ({"year": 2101}, "from 1000 to 2100"),
        ({"year": "1999.5"}, "whole number"),
        ({"year": "nineteen"}, "year must be a number"),
        ({"year": True}, "year must be a number, not true/false"),
        ({"valence": "1.2"}, "valence must be between 0 and 1"),
        ({"energy": -0.1}, "energy must be between 0 and 1"),
        ({"energy": "nan"}, "energy must be a finite number"),
        ({"valence": float("inf")}, "finite"),
        ({"language": "English please"}, "language must be a short code"),
        ({"language": "e"}, "short code"),
        ({"link": "javascript:alert(1)"}, "link must be an http(s) address"),
        ({"link": "ftp://example.org/x"}, "http(s)"),
        ({"link": "https://"}, "http(s)"),
        ({"link": "https://exa mple.org"}, "http(s)"),
        ({"link": "https://x.org/" + "a" * 2000}, "longer than 2000"),
        ({"comments": "[{"}, "comments must be JSON"),
        ({"comments": "[" * 100_000}, "comments"),
        ({"comments": '{"text": "x"}'}, "comments must be a list"),
        (
            {"comments": [{"text": "x", "likes": -1}]},
            "comment 1: likes must be a whole number >= 0",
        ),
        ({"comments": [{"text": "x", "likes": 1.5}]}, "likes must be a whole number"),
        ({"comments": [{"text": "x", "likes": "many"}]}, "comment 1 likes must be a number"),
        ({"comments": [{"text": "ok"}, 7]}, "comment 2 must be an object"),
        ({"comments": [{"text": "x" * 2001}]}, "comment 1 is longer than 2000"),
        ({"comments": [{"text": "x"}] * 5001}, "at most 5000"),
        ({"title": "bad \ud800 surrogate"}, "lone surrogate"),
        ({"album": ["a", "b"]}, "album must be text, not a list"),
    ],
)
def test_bad_fields_are_refused_with_a_reason(fields: dict[str, Any], reason: str) -> None:
    with pytest.raises(RecordError) as caught:
        parse(**fields)
    assert reason in str(caught.value)


def test_numbers_given_for_text_fields_are_kept_as_text() -> None:
    assert parse(title=1999, album=21).title == "1999"
