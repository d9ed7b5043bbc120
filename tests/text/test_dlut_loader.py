"""Loading the DLUT CSV: its irregular rows, broken files, caching.

The small files here are synthetic (invented words and values, same layout and the same
kinds of irregularity as the real release); the real file is only read in place.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from moodtune.config import Settings
from moodtune.emotion_engines.text import LexiconError, build_text_engine, dlut
from moodtune.emotion_engines.text.dlut import load_dlut

HEADER = "词语,词性种类,词义数,词义序号,情感分类,强度,极性,辅助情感分类,强度,极性"
IRREGULAR_ROWS = [
    "甲乐,adj,1,1,PA,5,1,,,",  # ordinary
    "乙辅,adj,1,1,NB,3,0,NE,6,0",  # auxiliary category with its own intensity
    "丙垃,noun,1,1,NG,7,1,5,0,",  # junk auxiliary "5"
    "丁废,noun,1,1,NN,5,2,已经不被使用,,",  # junk auxiliary, no intensity
    "戊空,noun,,,PH,,1,,,",  # empty intensity (and empty sense columns)
    "己零,verb,1,1,PF,0,0,,,",  # intensity 0
    "庚七,idiom,1,1,NN,5,7,,,",  # polarity 7
    "辛多,adj,2,1,PH,7,1,,,",  # two senses, different intensities
    "壬怪,adj,1,1,ZZ,5,1,,,",  # unknown category
    "辛多,adj,2,2,PH,3,1,,,",
    "癸缺,adj,1,1,PA,5,1,PB,,",  # auxiliary without intensity
    "子空格\u3000,idiom,1,1,PH,7,1,,,",  # word with a trailing ideographic space
    "寅两义,adj,2,1,PA,5,1,,,",  # two senses in different categories (as 开心)
    "寅两义,verb,2,2,NN,3,2,,,",
    "卯后先,adj,2,2,NE,5,0,,,",  # its second sense listed first in the file
    "卯后先,adj,2,1,NI,5,0,,,",
    "子空格,idiom,1,1,PH,3,1,,,",  # the same word without the space, in a later row
    "",  # blank line
    "丑短,adj",  # short row
]


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


@pytest.fixture
def irregular_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "dict.csv", [HEADER, *IRREGULAR_ROWS])


def weights(lexicon: dlut.ChineseLexicon, word: str) -> dict[str, float]:
    return dict(lexicon.entries[word])


def test_irregular_rows_are_survived_and_counted(irregular_csv: Path) -> None:
    lexicon = load_dlut(irregular_csv)
    assert lexicon.report == {
        "junk_auxiliary": 2,
        "auxiliary_without_intensity": 1,
        "rows_without_usable_primary": 3,  # empty intensity, intensity 0, unknown category
        "odd_polarity": 1,
        "short_rows": 1,
        "words_with_several_senses": 4,
    }
    assert weights(lexicon, "甲乐") == pytest.approx({"PA": 5 / 9})
    assert weights(lexicon, "乙辅") == pytest.approx({"NB": 3 / 9, "NE": 6 / 9})
    assert weights(lexicon, "丙垃") == pytest.approx({"NG": 7 / 9})
    assert weights(lexicon, "丁废") == pytest.approx({"NN": 5 / 9})
    assert weights(lexicon, "庚七") == pytest.approx({"NN": 5 / 9})
    assert weights(lexicon, "癸缺") == pytest.approx({"PA": 5 / 9})
    for unusable in ("戊空", "己零", "壬怪", "丑短"):
        assert unusable not in lexicon.entries


def test_the_first_sense_leads_and_rarer_ones_weigh_little(irregular_csv: Path) -> None:
    lexicon = load_dlut(irregular_csv)
    rare = dlut.RARER_SENSE_WEIGHT
    # sense 1 (intensity 7) weighs 1, sense 2 (intensity 3) weighs RARER_SENSE_WEIGHT
    assert weights(lexicon, "辛多") == pytest.approx({"PH": (7 + rare * 3) / (1 + rare) / 9})
    two = weights(lexicon, "寅两义")
    assert two["PA"] > 0.9 * sum(two.values())  # joy, with a trace of criticism
    assert two["NN"] == pytest.approx(rare * 3 / 9 / (1 + rare))
    late = weights(lexicon, "卯后先")  # the sense number decides, not the order in the file
    assert late["NI"] > 0.9 * sum(late.values())


def test_the_reference_table_is_what_the_published_code_finds(irregular_csv: Path) -> None:
    rows = load_dlut(irregular_csv).reference_rows
    assert rows["辛多"] == (("PH", 7),)  # one category: its first row only
    assert rows["寅两义"] == (("PA", 5), ("NN", 3))  # every category, canonical order
    assert rows["卯后先"] == (("NI", 5), ("NE", 5))  # first rows in file order, per category
    assert rows["乙辅"] == (("NB", 3),)  # primary categories only
    # Fields are stripped, so the two spellings are one word and its first row wins.
    assert rows["子空格"] == (("PH", 7),) and "子空格\u3000" not in rows
    # int(intensity or 1), held within 1..9: an empty or zero intensity counts as 1.
    assert rows["己零"] == (("PF", 1),)
    assert rows["戊空"] == (("PH", 1),)
    assert "壬怪" not in rows  # an unknown category is skipped


def test_utf8_with_bom_and_crlf_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(("\r\n".join([HEADER, *IRREGULAR_ROWS[:2]]) + "\r\n").encode("utf-8-sig"))
    assert set(load_dlut(path).entries) == {"甲乐", "乙辅"}


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "dict.csv"
    with pytest.raises(LexiconError, match=str(missing)):
        load_dlut(missing)


def test_directory_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match=f"{tmp_path}.*not a file"):
        load_dlut(tmp_path)


def test_binary_file_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(LexiconError, match=f"{path} is not UTF-8"):
        load_dlut(path)


def test_gbk_export_is_not_utf8(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", [HEADER, *IRREGULAR_ROWS[:3]], encoding="gbk")
    with pytest.raises(LexiconError, match="UTF-8"):
        load_dlut(path)


@pytest.mark.parametrize(
    "lines",
    [[], ["word,category,weight", "happy,PA,1"], ["just some prose, not a table"]],
    ids=["empty", "other-csv", "prose"],
)
def test_wrong_header_names_the_path(tmp_path: Path, lines: list[str]) -> None:
    path = write_csv(tmp_path / "other.csv", lines)
    with pytest.raises(LexiconError, match=f"{path} does not look like the DLUT"):
        load_dlut(path)


def test_header_without_usable_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hollow.csv", [HEADER, "戊空,noun,,,PH,,1,,,"])
    with pytest.raises(LexiconError, match="no usable rows"):
        load_dlut(path)


def test_oversized_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "big.csv", [HEADER, *IRREGULAR_ROWS])
    monkeypatch.setattr(dlut, "MAX_FILE_BYTES", 100)
    with pytest.raises(LexiconError, match="bytes"):
        load_dlut(path)


def test_loaded_once_and_again_when_the_file_changes(irregular_csv: Path) -> None:
    first = load_dlut(irregular_csv)
    assert load_dlut(irregular_csv) is first
    write_csv(irregular_csv, [HEADER, "新词,adj,1,1,PC,9,1,,,"])
    later = time.time() + 5
    os.utime(irregular_csv, (later, later))
    reloaded = load_dlut(irregular_csv)
    assert reloaded is not first
    assert set(reloaded.entries) == {"新词"}


def test_build_text_engine_reports_a_broken_configured_file(tmp_path: Path) -> None:
    missing = tmp_path / "dict.csv"
    with pytest.raises(LexiconError, match=str(missing)):
        build_text_engine(Settings(dlut_path=missing))


def test_reference_mode_needs_the_dlut_file() -> None:
    with pytest.raises(LexiconError, match="MOODTUNE_DLUT_PATH"):
        build_text_engine(Settings(dlut_reference_mode=True))


def test_real_file_loads_with_its_known_irregularities(dlut_path: Path) -> None:
    lexicon = load_dlut(dlut_path)
    assert len(lexicon) > 27_000
    assert lexicon.report["junk_auxiliary"] == 2
    assert lexicon.report["odd_polarity"] == 1
    assert lexicon.report["words_with_several_senses"] > 94
    assert all(0 < weight <= 1 for profile in lexicon.entries.values() for _, weight in profile)
