"""Read a catalog file (CSV, TSV or JSON Lines) row by row, keeping every valid row.

    reader = open_catalog(Path("tracks.csv"))
    for item in reader:                 # streamed: memory stays flat at 100k+ rows
        match item:
            case Accepted(line, record): ...
            case Rejected(line, reason): ...
    reader.notes                        # file-level remarks, e.g. ignored columns

Whatever is in the file (bad JSON, wrong column counts, undecodable bytes, binary data,
a line of gigabytes) becomes a `Rejected` with its line number; the rows around it are
still read. Only an unknown extension or an unreadable path raises `CatalogFileError`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tqdm import tqdm

from moodtune.catalog.schema import FIELDS, RecordError, TrackRecord, canonical_field, parse_record
from moodtune.errors import InputError

MAX_LINE_BYTES = 1 << 20  # lyrics and a few hundred comments fit; a runaway line does not
SNIFF_BYTES = 8192
FORMATS = {".csv": ",", ".tsv": "\t", ".jsonl": None, ".ndjson": None}  # delimiter, or JSON
REQUIRED_COLUMNS = ("title", "artists")


class CatalogFileError(InputError):
    """A catalog file that cannot be read at all: unknown format, missing, or unreadable."""


@dataclass(frozen=True, slots=True)
class Accepted:
    line: int
    record: TrackRecord


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str


Item = Accepted | Rejected


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str | None  # None when the line could not be used
    problem: str = ""


@dataclass
class CatalogReader:
    """An iterable over one catalog file's rows; `notes` fills in as it is read."""

    path: Path
    progress: bool = True
    notes: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Item]:
        return self.rows()

    def rows(self) -> Generator[Item, None, None]:
        """The rows in file order; close the generator to close the file early."""
        delimiter = FORMATS[self.path.suffix.lower()]
        try:
            stream = self.path.open("rb")
        except OSError as error:
            raise CatalogFileError(f"cannot open {self.path}: {error.strerror}") from None
        with stream, _progress_bar(self.path, self.progress) as bar:
            refusal = _refuse_whole_file(stream)
            if refusal:
                yield Rejected(1, refusal)
                return
            lines = _lines(stream, bar)
            if delimiter is None:
                yield from _json_lines(lines)
            else:
                yield from _csv_rows(lines, delimiter, self.notes)


def open_catalog(path: str | Path, progress: bool = True) -> CatalogReader:
    """A reader for a .csv, .tsv, .jsonl or .ndjson file (the extension decides)."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        known = ", ".join(FORMATS)
        shown = path.suffix or "no extension"
        raise CatalogFileError(f"cannot import {path.name}: {shown} is not one of {known}")
    if not path.is_file():
        raise CatalogFileError(f"there is no catalog file at {path}")
    return CatalogReader(path, progress)


def _progress_bar(path: Path, enabled: bool) -> tqdm:
    size = path.stat().st_size
    return tqdm(
        total=size, unit="B", unit_scale=True, desc=path.name, file=sys.stderr,
        disable=not enabled, mininterval=0.5, leave=False,
    )  # fmt: skip


def _refuse_whole_file(stream: BinaryIO) -> str:
    """A reason to read no further (empty, binary, UTF-16), or '' to go on."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if not head.strip():
        return "the file is empty"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "the file is UTF-16 text; save it as UTF-8"
    if _looks_binary(head):
        return "this is a binary file, not UTF-8 text"
    return ""


def _looks_binary(head: bytes) -> bool:
    # A stray NUL in a text file spoils one line; a file full of them is not text.
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\f")
    return head.count(0) > len(head) // 100 or controls > len(head) // 10


def _lines(stream: BinaryIO, bar: tqdm) -> Iterator[_Line]:
    """Physical lines, decoded one by one so a bad byte spoils only its own line."""
    number = 0
    while raw := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        bar.update(len(raw))
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            bar.update(_skip_rest_of_line(stream))
            yield _Line(number, None, f"the line is longer than {MAX_LINE_BYTES:,} bytes")
            continue
        if b"\x00" in raw:
            yield _Line(number, None, "the line contains NUL bytes (binary data)")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = raw[error.start]
            where = f"byte 0x{bad:02x} at position {error.start + 1}"
            yield _Line(number, None, f"the line is not valid UTF-8 ({where})")
            continue
        yield _Line(number, text.removeprefix("\ufeff") if number == 1 else text)


def _skip_rest_of_line(stream: BinaryIO) -> int:
    skipped = 0
    while chunk := stream.readline(MAX_LINE_BYTES):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _parse(line: int, row: dict[str, object]) -> Item:
    try:
        return Accepted(line, parse_record(row))
    except RecordError as error:
        return Rejected(line, str(error))


def _json_lines(lines: Iterator[_Line]) -> Iterator[Item]:
    for line in lines:
        if line.text is None:
            yield Rejected(line.number, line.problem)
        elif line.text.strip():
            yield _json_line(line.number, line.text)


def _json_line(number: int, text: str) -> Item:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return Rejected(number, f"not valid JSON: {error.msg} at column {error.colno}")
    except RecursionError:
        return Rejected(number, "the JSON is nested too deeply")
    if not isinstance(value, dict):
        return Rejected(number, f"expected a JSON object per line, found {type(value).__name__}")
    return _parse(number, value)


def _csv_rows(lines: Iterator[_Line], delimiter: str, notes: list[str]) -> Iterator[Item]:
    """CSV records, which may span lines (lyrics): each reported at its first line."""
    problems: dict[int, str] = {}

    def texts() -> Iterator[str]:
        for line in lines:
            if line.text is None:
                problems[line.number] = line.problem
                yield "\n"  # keeps csv's line count equal to the file's
            else:
                yield line.text

    reader = csv.reader(texts(), delimiter=delimiter)
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            for number in range(start, reader.line_num + 1):
                problems.pop(number, None)
            yield Rejected(start, f"malformed CSV up to line {reader.line_num}: {error}")
            continue
        spoiled = [problems.pop(n) for n in range(start, reader.line_num + 1) if n in problems]
        if spoiled:
            yield Rejected(start, spoiled[0])
        elif not row or not any(cell.strip() for cell in row):
            continue  # a blank line
        elif header is None:
            header, refusal = _header(row, notes)
            if refusal:
                yield Rejected(start, refusal)
                return
        elif len(row) != len(header):
            yield Rejected(start, f"expected {len(header)} columns, found {len(row)}")
        else:
            yield _parse(start, dict(zip(header, row, strict=True)))


def _header(row: list[str], notes: list[str]) -> tuple[list[str], str]:
    """The column names, and a reason to stop when the header cannot be used."""
    names = [canonical_field(cell) for cell in row]
    repeated = sorted({n for n in names if names.count(n) > 1 and n})
    if repeated:
        return names, f"the header names {', '.join(repeated)} more than once"
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        found = ", ".join(n for n in names if n)[:200]
        return names, f"the header lacks the columns {', '.join(missing)} (found: {found})"
    ignored = [n for n in names if n not in FIELDS]
    if ignored:
        notes.append(f"columns ignored: {', '.join(ignored)[:200]}")
    return names, ""
