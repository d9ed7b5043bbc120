"""The command line, run in-process with typer's runner on a fresh SQLite database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_runner import run

HAN = re.compile(r"[\u4e00-\u9fff]")
REFERENCE_SENTENCE = "后悔也都没有用 还不如一切没有发生过 不过就是又少一个诗人 换一个人沉迷你的笑"
REFERENCE_VECTOR = {"PG": 0.2428551306, "NJ": 0.4126081997, "NH": 0.1752025717, "NE": 0.1693340980}


def top(result) -> str:
    return json.loads(result.stdout)["top"][0]["category"]


def test_analyze_english_chinese_emoji_and_mixed() -> None:
    assert top(run("analyze", "--json", "I am so happy today")) == "PA"
    assert top(run("analyze", "--json", "我今天非常开心")) == "PA"
    assert top(run("analyze", "--json", "😭😭")) in {"NB", "NJ"}
    mixed = json.loads(run("analyze", "--json", "今天好难过 and I feel lonely 😢").stdout)
    assert mixed["top"][0]["category"] in {"NB", "NJ", "PF"}
    assert {e["label"] for e in mixed["evidence"]} >= {"😢"}


def test_analyze_prints_a_readable_mood() -> None:
    result = run("analyze", "I am furious about this")
    assert result.exit_code == 0, result.output
    assert "anger" in result.stdout and "confidence" in result.stdout


def test_reference_mode_reproduces_the_published_vector(
    dlut_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODTUNE_DLUT_PATH", str(dlut_path))
    monkeypatch.setenv("MOODTUNE_DLUT_REFERENCE_MODE", "true")
    result = run("analyze", "--json", REFERENCE_SENTENCE)
    vector = json.loads(result.stdout)["vector"]
    for code, share in vector.items():
        assert share == pytest.approx(REFERENCE_VECTOR.get(code, 0.0), abs=1e-4)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("analyze",), None, "give a feeling"),
        (("analyze", ""), None, "empty"),
        (("analyze", "   \t "), None, "empty"),
        (("analyze", "-"), "x" * 1_000_000, "long"),
        (("analyze", "-"), bytes(range(256)) * 8, "text"),
        (("analyze", "--photo", "missing.jpg"), None, "no such file"),
        (("recommend", "--voice", "missing.ogg"), None, "no such file"),
        (("analyze", "--annotate", "out.png", "happy"), None, "--annotate needs --photo"),
        (("recommend", "-k", "0", "happy"), None, ""),
    ],
)
def test_bad_input_is_a_clear_usage_error(
    args: tuple[str, ...], stdin: str | bytes | None, message: str
) -> None:
    result = run(*args, stdin=stdin)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert message.lower() in result.output.lower()


def test_control_characters_are_stripped_not_fatal() -> None:
    result = run("analyze", "--json", "I am\x07 so\x1b happy\x00")
    assert result.exit_code == 0, result.output
    assert top(result) == "PA"


def test_unknown_language_gives_no_reading_and_recommend_says_why() -> None:
    analysed = json.loads(run("analyze", "--json", "Привет, как дела у тебя сегодня").stdout)
    assert analysed["confidence"] == 0 and analysed["top"] == []
    assert analysed["note"]
    result = run("recommend", "Привет, как дела у тебя сегодня")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_missing_lexicon_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "dict.csv"
    monkeypatch.setenv("MOODTUNE_DLUT_PATH", str(missing))
    result = run("analyze", "我很开心")
    assert result.exit_code == 1
    assert str(missing) in result.output and "Traceback" not in result.output


def test_recommend_lists_real_tracks_with_links() -> None:
    result = run("recommend", "I feel lonely and sad tonight", "-k", "3")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line[:2] in {"1.", "2.", "3."}]
    assert len(lines) == 3
    assert result.stdout.count("https://") == 3
    payload = json.loads(run("recommend", "--json", "我好想你", "-k", "4").stdout)
    assert len(payload["tracks"]) == 4
    assert all(t["why"] and t["link"].startswith("https://") for t in payload["tracks"])


def test_recommend_picks_as_the_bot_answers_a_newcomer() -> None:
    """The message's language leads, as in the bot (the catalog mixes a dozen languages)."""
    for text in ("我今天很难过，一个人在家", "今天超级开心"):
        tracks = json.loads(run("recommend", "--json", text, "-k", "5").stdout)["tracks"]
        chinese = [t for t in tracks if HAN.search(t["title"] + "".join(t["artists"]))]
        assert len(chinese) >= 4, [t["title"] for t in tracks]
        assert all(HAN.search(t["why"]) for t in tracks)  # told in the message's language


def test_catalog_import_reports_bad_rows_and_keeps_good_ones(tmp_path: Path) -> None:
    catalog = tmp_path / "mine.csv"
    catalog.write_text(
        "title,artists,tags,valence,energy\n"
        "Bright Morning,Someone New,happy|upbeat,,\n"
        ",Nobody,sad,,\n"
        "Slow River,Other Person,,0.2,0.1\n"
        "Too Loud,Loud Band,,7,0.5\n",
        encoding="utf-8",
    )
    result = run("catalog", "import", "--quiet", str(catalog))
    assert result.exit_code == 0, result.output
    assert "imported 2 of 4 rows" in result.output.lower()
    assert "line 3" in result.output.lower() and "line 5" in result.output.lower()


def test_db_upgrade_is_idempotent() -> None:
    first = run("db", "upgrade")
    assert first.exit_code == 0, first.output
    assert run("db", "upgrade").exit_code == 0


@pytest.mark.parametrize("option", ["--photo", "--voice"])
def test_huge_files_are_refused_from_their_size(tmp_path: Path, option: str) -> None:
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as f:
        f.truncate(60 * 1024 * 1024)  # sparse: 60 MB on paper, nothing on disk
    result = run("analyze", option, str(huge))
    assert result.exit_code == 2
    assert "60.0 MB" in result.output and "at most 20 MB" in result.output


def test_endless_stdin_is_cut_and_refused() -> None:
    result = run("analyze", "-", stdin="我" * 50_000)
    assert result.exit_code == 2 and "at most 4,000" in result.output


def test_a_bad_setting_is_named_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOODTUNE_RECOMMEND_K", "lots")
    result = run("recommend", "happy")
    assert result.exit_code == 1
    assert "MOODTUNE_RECOMMEND_K" in result.output and "Traceback" not in result.output
