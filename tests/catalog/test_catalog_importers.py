"""Reading catalog files: every valid row kept, every bad one reported at its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moodtune.catalog.importers import (
    MAX_LINE_BYTES,
    Accepted,
    CatalogFileError,
    Rejected,
    open_catalog,
)

HEADER = b"title,artists,year,tags,lyrics,comments\n"


def read(path: Path) -> tuple[dict[int, str], dict[int, str]]:
    """{line: title} of the accepted rows and {line: reason} of the rejected ones."""
    accepted: dict[int, str] = {}
    rejected: dict[int, str] = {}
    for item in open_catalog(path, progress=False):
        if isinstance(item, Accepted):
            accepted[item.line] = item.record.title
        else:
            rejected[item.line] = item.reason
    return accepted, rejected


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_csv_rows_with_lists_json_comments_and_multiline_lyrics(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tracks.csv",
        HEADER
        + b'Hello,Adele,2015,sad|slow,"Hello, it\'s me\nI was wondering",'
        + b'"[{""text"": ""wow"", ""likes"": 5}]"\n'
        + b"\n"
        + b"Skyfall,Adele;Paul Epworth,2012,,,\n",
    )
    reader = open_catalog(path, progress=False)
    items = list(reader)
    assert [type(i) for i in items] == [Accepted, Accepted]
    first, second = items
    assert (first.line, second.line) == (2, 5)
    assert first.record.lyrics == "Hello, it's me\nI was wondering"
    assert first.record.comments[0].likes == 5
    assert second.record.artists == ("Adele", "Paul Epworth")
    assert reader.notes == []


def test_tsv_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "t.tsv", b"\xef\xbb\xbfTitle\tArtist\tmood\nCalm\tX\tquiet\n")
    reader = open_catalog(path, progress=False)
    assert [i.record.title for i in reader] == ["Calm"]  # type: ignore[union-attr]
    assert reader.notes == ["columns ignored: mood"]


def test_bad_csv_rows_are_reported_and_the_rest_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tracks.csv",
        HEADER
        + b"Good one,A,2000,,,\n"  # 2
        + b"Too,few\n"  # 3
        + b"Too,many,1,2,3,4,5\n"  # 4
        + b"Bad year,A,20000,,,\n"  # 5
        + b"Caf\xe9 latin-1,A,,,,\n"  # 6
        + b"Nul\x00byte,A,,,,\n"  # 7
        + b"Good two,B,,,,\n",  # 8
    )
    accepted, rejected = read(path)
    assert accepted == {2: "Good one", 8: "Good two"}
    assert rejected == {
        3: "expected 6 columns, found 2",
        4: "expected 6 columns, found 7",
        5: "year must be a whole number from 1000 to 2100, got 20000",
        6: "the line is not valid UTF-8 (byte 0xe9 at position 4)",
        7: "the line contains NUL bytes (binary data)",
    }


def test_a_bad_line_inside_quoted_lyrics_spoils_only_that_record(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tracks.csv",
        HEADER + b'First,A,,,"la la\n\xff\xfe broken\nla",\n' + b"Second,B,,,,\n",
    )
    accepted, rejected = read(path)
    assert accepted == {5: "Second"}
    assert list(rejected) == [2] and "not valid UTF-8" in rejected[2]


def test_a_huge_line_is_skipped_without_being_held(tmp_path: Path) -> None:
    huge = b"Huge," + b"x" * (MAX_LINE_BYTES + 10) + b",,,,\n"
    path = write(tmp_path, "tracks.csv", HEADER + b"Before,A,,,,\n" + huge + b"After,B,,,,\n")
    accepted, rejected = read(path)
    assert accepted == {2: "Before", 4: "After"}
    assert rejected == {3: f"the line is longer than {MAX_LINE_BYTES:,} bytes"}


def test_a_field_beyond_the_csv_limit_is_reported(tmp_path: Path) -> None:
    # One quoted field over many short lines: every line is fine, the field is not.
    runaway = b'Long,A,,,"' + b"la\n" * 50_000 + b'",\n'
    path = write(tmp_path, "tracks.csv", HEADER + runaway + b"Next,B,,,,\n")
    accepted, rejected = read(path)
    assert "malformed CSV" in rejected[2] and "field larger than field limit" in rejected[2]
    # An unbalanced quote makes the rest of a CSV ambiguous: what follows is reported
    # line by line (nothing silently lost), and nothing after it is taken as a track.
    assert accepted == {}
    assert len(rejected) > 1000


def test_the_header_must_name_title_and_artists_once(tmp_path: Path) -> None:
    missing = write(tmp_path, "a.csv", b"name,singer\nx,y\n")
    twice = write(tmp_path, "b.csv", b"title,artists,Title\nx,y,z\n")
    assert read(missing) == (
        {},
        {1: "the header lacks the columns title, artists (found: name, singer)"},
    )
    assert read(twice) == ({}, {1: "the header names title more than once"})


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\n\n   \n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file"),
        ("title,artists\n".encode("utf-16"), "UTF-16"),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_files_that_are_not_catalogs_at_all(
    tmp_path: Path, content: bytes, reason: str, suffix: str
) -> None:
    accepted, rejected = read(write(tmp_path, "x" + suffix, content))
    assert accepted == {}
    assert list(rejected) == [1] and reason in rejected[1]


def test_json_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "A", "artists": ["X"], "comments": [{"text": "hi", "likes": 2}]}),
        "",
        '{"title": "B", "artists": ',  # 3: truncated
        "[1, 2]",  # 4
        json.dumps({"title": "C"}),  # 5
        "[" * 100_000 + "]" * 100_000,  # 6
        '{"title": "D", "artists": "Y", "year": NaN}',  # 7: NaN is not a year
        json.dumps({"title": "E", "artists": "Z", "valence": 0.5}, ensure_ascii=False),
    ]
    path = write(tmp_path, "t.jsonl", "\n".join(lines).encode())
    accepted, rejected = read(path)
    assert accepted == {1: "A", 8: "E"}
    assert rejected[3].startswith("not valid JSON: Expecting value at column")
    assert rejected[4] == "expected a JSON object per line, found list"
    assert rejected[5] == "at least one artist is required"
    assert rejected[6] in ("the JSON is nested too deeply",) or "JSON" in rejected[6]
    assert rejected[7] == "year must be a finite number, got nan"


def test_json_lines_with_bad_bytes_and_a_huge_line(tmp_path: Path) -> None:
    good = b'{"title": "ok", "artists": "x"}\n'
    content = (
        good + b'{"title": "\xc3\x28"}\n' + b'{"a": "' + b"y" * MAX_LINE_BYTES + b'"}\n' + good
    )
    accepted, rejected = read(write(tmp_path, "t.ndjson", content))
    assert accepted == {1: "ok", 4: "ok"}
    assert "not valid UTF-8" in rejected[2] and "longer than" in rejected[3]


@pytest.mark.parametrize("name", ["tracks.xlsx", "tracks.json", "tracks"])
def test_unknown_formats_are_refused_by_extension(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"title,artists\nx,y\n")
    with pytest.raises(CatalogFileError, match=r"not one of \.csv, \.tsv, \.jsonl, \.ndjson"):
        open_catalog(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError, match="no catalog file"):
        open_catalog(tmp_path / "absent.csv")


def test_reading_streams_row_by_row(tmp_path: Path) -> None:
    rows = b"".join(b"Song %d,Artist,,,,\n" % i for i in range(20_000))
    path = write(tmp_path, "big.csv", HEADER + rows)
    items = open_catalog(path, progress=False).rows()
    first = next(items)
    assert isinstance(first, Accepted) and first.record.title == "Song 0"
    items.close()  # the file is closed without reading the rest


def test_the_progress_bar_goes_to_stderr_and_can_be_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "p.csv", HEADER + b"A,B,,,,\n")
    list(open_catalog(path, progress=False))
    assert capsys.readouterr() == ("", "")
    list(open_catalog(path, progress=True))
    captured = capsys.readouterr()
    assert captured.out == "" and "p.csv" in captured.err


def test_rows_of_empty_cells_are_skipped_like_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", HEADER + b",,,,,\n , ,,,,\n ,X,,,,\n")
    assert list(open_catalog(path, progress=False)) == [Rejected(4, "title is required")]
