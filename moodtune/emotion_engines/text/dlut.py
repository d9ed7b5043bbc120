"""Loading the DLUT affective lexicon ontology (大连理工大学情感词汇本体) from its CSV export.

Source: Information Retrieval Lab, Dalian University of Technology,
http://ir.dlut.edu.cn/info/1013/1142.htm; cite 徐琳宏, 林鸿飞, 潘宇 等, 情感词汇本体的构造,
情报学报 2008, 27(2): 180-185. It is third-party data: moodtune never ships it, it reads
the file a user points `MOODTUNE_DLUT_PATH` at.

Format: a header and one row per (word, sense): 词语, 词性种类, 词义数, 词义序号, 情感分类,
强度, 极性, 辅助情感分类, 强度, 极性 — a primary category with an intensity 1..9, and an
optional auxiliary category with its own intensity.

How rows become weights (the reference algorithm is in `reference.py`):

- each row (sense) gives its primary category intensity/9 and, when present, its
  auxiliary category intensity/9 (the published reference ignores auxiliaries; reading
  them is deliberate);
- a word with several rows (senses) gets the weighted mean over its senses: its first
  sense (词义序号 1) weighs 1 and every later one `RARER_SENSE_WEIGHT`. The dictionary
  lists the commonest sense first, and in a chat message the first sense is nearly always
  the one meant: 开心 (1: joy 5, 2: "make fun of", criticism 3) reads as joy with a trace
  (3 %) of criticism, not the 23 % an even-handed mean gave it. The 94 words whose senses
  disagree in intensity get mostly their first sense's intensity;
- words are stripped (a few end in spaces or U+3000);
- irregular rows are survived and counted in `ChineseLexicon.report`: junk auxiliary
  categories (`5`, `已经不被使用`) and auxiliaries without intensity are ignored; a row
  whose intensity is empty or 0 contributes nothing; the polarity columns are not
  needed (the category already says which side a word is on), so the one polarity `7`
  is only counted.

For the reference mode the loader also keeps what the published code reads (see
`reference.py`): for each word and category, the first row in file order that lists the
word under that category as its primary one, every field stripped, the intensity read as
`int(cell or 1)` held within 1..9.

The file is parsed once per (path, modification time, size).
"""

from __future__ import annotations

import csv
import io
import threading
from collections import Counter, defaultdict
from pathlib import Path
from typing import Final

from moodtune.emotion import INDEX
from moodtune.emotion_engines.text.chinese_lexicon import ChineseLexicon, LexiconError
from moodtune.emotion_engines.text.negation import Profile

HEADER: Final = (
    "词语", "词性种类", "词义数", "词义序号", "情感分类", "强度", "极性",
    "辅助情感分类", "强度", "极性",
)  # fmt: skip
MAX_FILE_BYTES: Final = 64 * 1024 * 1024  # the real file is ~1.3 MB
MAX_INTENSITY: Final = 9
POLARITIES: Final = frozenset({"0", "1", "2", "3"})
RARER_SENSE_WEIGHT: Final = 0.05  # a word's second, third ... sense, against its first's 1

_cache: dict[str, tuple[tuple[int, int], ChineseLexicon]] = {}
_lock = threading.Lock()

Sense = dict[str, float]
RankedSense = tuple[int, Sense]  # (sense number, weights)


def load_dlut(path: str | Path) -> ChineseLexicon:
    """The lexicon at `path`; raises `LexiconError` naming the path when it is unusable."""
    path = Path(path).expanduser()
    try:
        stat = path.stat()
    except OSError as error:
        reason = error.strerror or "cannot be opened"
        raise LexiconError(f"The DLUT lexicon file {path} cannot be used: {reason}.") from None
    if not path.is_file():
        raise LexiconError(f"The DLUT lexicon path {path} is not a file.")
    key = str(path.resolve())
    version = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached[0] != version:
            cached = (version, _parse(path, _read_text(path, stat.st_size)))
            _cache[key] = cached
        return cached[1]


def _read_text(path: Path, size: int) -> str:
    if size > MAX_FILE_BYTES:
        raise LexiconError(
            f"{path} is {size:,} bytes; the DLUT lexicon is about 1.3 MB, so this is not it."
        )
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LexiconError(
            f"{path} is not UTF-8 text (bad byte at offset {error.start}); "
            "export the DLUT lexicon as a UTF-8 CSV."
        ) from None
    except OSError as error:
        raise LexiconError(f"{path} cannot be read: {error.strerror}.") from None


def _parse(path: Path, text: str) -> ChineseLexicon:
    senses: dict[str, list[RankedSense]] = defaultdict(list)
    reference_rows: dict[str, dict[str, int]] = defaultdict(dict)
    report: Counter[str] = Counter()
    reader = csv.reader(io.StringIO(text))
    try:
        header = tuple(name.strip() for name in next(reader, ()))
        if header != HEADER:
            raise LexiconError(
                f"{path} does not look like the DLUT lexicon CSV: its header is "
                f"{','.join(header)[:120]!r}, expected {','.join(HEADER)!r}."
            )
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(HEADER) - 3:
                report["short_rows"] += 1
                continue
            _read_row(row, senses, report)
            _remember_reference_row(row, reference_rows, report)
    except csv.Error as error:
        raise LexiconError(f"{path} line {reader.line_num} is not valid CSV: {error}.") from None
    entries = {word: _mean_over_senses(rows) for word, rows in senses.items()}
    report["words_with_several_senses"] = sum(len(rows) > 1 for rows in senses.values())
    if not entries:
        raise LexiconError(f"{path} has the DLUT header but no usable rows.")
    reference = {
        word: tuple(sorted(by_category.items(), key=_canonical))
        for word, by_category in reference_rows.items()
    }
    return ChineseLexicon(f"DLUT ({path})", entries, reference_rows=reference, report=dict(report))


def _intensity(cell: str) -> float | None:
    """Intensity as a 0..1 weight; None when empty, not a number, or outside 1..9."""
    cell = cell.strip()
    if not cell.isdigit() or not 1 <= int(cell) <= MAX_INTENSITY:
        return None
    return int(cell) / MAX_INTENSITY


def _read_row(row: list[str], senses: dict[str, list[RankedSense]], report: Counter[str]) -> None:
    word = row[0].strip()
    if not word:
        report["rows_without_word"] += 1
        return
    sense: Sense = {}
    category, intensity = row[4].strip(), _intensity(row[5])
    if category in INDEX and intensity is not None:
        sense[category] = intensity
    else:
        report["rows_without_usable_primary"] += 1
    if row[6].strip() not in POLARITIES:
        report["odd_polarity"] += 1
    auxiliary = row[7].strip() if len(row) > 7 else ""
    if auxiliary:
        aux_intensity = _intensity(row[8]) if len(row) > 8 else None
        if auxiliary not in INDEX:
            report["junk_auxiliary"] += 1
        elif aux_intensity is None:
            report["auxiliary_without_intensity"] += 1
        else:
            sense[auxiliary] = max(sense.get(auxiliary, 0.0), aux_intensity)
    if sense:
        number = row[3].strip()
        rank = int(number) if number.isdigit() and int(number) >= 1 else len(senses[word]) + 1
        senses[word].append((rank, sense))


def _remember_reference_row(
    row: list[str], reference_rows: dict[str, dict[str, int]], report: Counter[str]
) -> None:
    """What the published code keeps of a row: its primary category and intensity, under
    the stripped word, unless an earlier row listed the word under that category already.
    (Its auxiliary categories are filed where they are never found: see reference.py.)"""
    word, category = row[0].strip(), row[4].strip()
    if not word or category not in INDEX:
        return
    cell = row[5].strip() or "1"  # the published code reads int(intensity or 1)
    if not cell.isdigit():  # the published code would stop on it; the real file has none
        report["reference_rows_without_intensity"] += 1
        return
    reference_rows[word].setdefault(category, min(max(int(cell), 1), MAX_INTENSITY))


def _canonical(pair: tuple[str, int]) -> int:
    return INDEX[pair[0]]


def _mean_over_senses(rows: list[RankedSense]) -> Profile:
    """The first sense weighs 1, each rarer one RARER_SENSE_WEIGHT (see the docstring)."""
    totals: dict[str, float] = defaultdict(float)
    norm = 0.0
    for rank, sense in rows:
        weight = 1.0 if rank == 1 else RARER_SENSE_WEIGHT
        norm += weight
        for category, value in sense.items():
            totals[category] += weight * value
    return tuple((category, total / norm) for category, total in totals.items())
