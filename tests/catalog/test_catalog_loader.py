"""Importing a file into the database: counts, line numbers, duplicates, all or nothing."""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from moodtune.catalog import loader
from moodtune.catalog.importers import CatalogFileError
from moodtune.catalog.loader import ensure_demo_catalog, import_file
from moodtune.config import Settings
from moodtune.emotion import INDEX
from moodtune.emotion_engines.text import build_text_engine
from moodtune.storage import tracks
from moodtune.storage.models import Track

CATALOG = (
    "title,artists,tags,valence,energy,comments\n"
    'Joy Ride,Ann,,,,"[{""text"": ""happy happy"", ""likes"": 10}]"\n'  # 2
    ",Nobody,,,,\n"  # 3: no title
    "Sorrow,Bo|Cy,,,,\n"  # 4
    "joy ride!,ANN,,,,\n"  # 5: duplicate of line 2
    "Opus 9,Dee,,,,\n"  # 6: nothing to read: zero vector
    "Night Drive,Eve,,0.9,0.8,\n"  # 7: valence/energy only
    "Old Song,Fay,,1.5,,\n"  # 8: valence out of range
    "Blue,Gus,melancholy,,,\n"  # 9: a mood tag
)


def write(tmp_path: Path, text: str, name: str = "catalog.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def test_import_reports_every_row_and_stores_the_good_ones(
    tmp_path: Path, session_factory, keyword_engine
) -> None:
    report = await import_file(write(tmp_path, CATALOG), session_factory, keyword_engine, False)
    assert (report.read, report.imported, report.rejected_count) == (8, 5, 2)
    assert [(r.line, r.reason) for r in report.rejected] == [
        (3, "title is required"),
        (8, "valence must be between 0 and 1, got 1.5"),
    ]
    assert (report.duplicates, report.unannotated) == ([5], [6])
    async with session_factory() as session:
        stored = {t.title: t for t in (await session.scalars(select(Track))).all()}
        ids, matrix = await tracks.load_matrix(session)
    assert set(stored) == {"Joy Ride", "Sorrow", "Opus 9", "Night Drive", "Blue"}
    assert stored["Sorrow"].artists == ["Bo", "Cy"] and stored["Sorrow"].source == "catalog.csv"
    assert stored["Joy Ride"].vector[INDEX["PA"]] == pytest.approx(1.0)
    assert not stored["Opus 9"].vector.any()
    assert stored["Night Drive"].valence == 0.9 and stored["Blue"].tags == ["melancholy"]
    assert len(ids) == 4 and stored["Opus 9"].id not in ids  # not recommendable
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0, rtol=1e-5)
    summary = report.summary()
    assert "imported 5 of 8 rows" in summary and "line 8: valence must be" in summary


async def test_importing_again_finds_only_duplicates(
    tmp_path: Path, session_factory, keyword_engine
) -> None:
    path = write(tmp_path, CATALOG)
    await import_file(path, session_factory, keyword_engine, progress=False)
    again = await import_file(path, session_factory, keyword_engine, progress=False)
    assert (again.imported, again.duplicates) == (0, [2, 4, 5, 6, 7, 9])
    async with session_factory() as session:
        assert await tracks.count(session) == 5


async def test_a_crash_mid_import_leaves_the_database_as_it_was(
    tmp_path: Path, session_factory, make_keyword_engine
) -> None:
    rows = "".join(f"Song {i},Artist {i},,,,\n" for i in range(50))
    path = write(tmp_path, "title,artists,a,b,c,d\n" + rows + "Boom,X,,,,\n")
    engine = make_keyword_engine()
    read = engine.analyze_sync

    def crash_on_boom(text: str):
        if text == "Boom":
            raise RuntimeError("the engine crashed")
        return read(text)

    engine.analyze_sync = crash_on_boom
    with pytest.raises(RuntimeError, match="crashed"):
        await import_file(path, session_factory, engine, progress=False, batch_size=10)
    assert len(engine.calls) == 50  # five batches were read and inserted before the crash
    async with session_factory() as session:
        assert await tracks.count(session) == 0


async def test_json_lines_import_with_the_real_text_engine(tmp_path: Path, session_factory) -> None:
    lines = [
        {
            "title": "Tears",
            "artists": ["Ann"],
            "comments": [{"text": "so sad, I cried", "likes": 9}],
        },
        {
            "title": "晴天",
            "artists": "周杰伦",
            "lyrics": "刮风这天 我试过握着你手\n但偏偏 雨渐渐 大到我看你不见",
        },
        {"title": "Broken", "artists": []},
        "not an object",
    ]
    text = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines)
    engine = build_text_engine(Settings())
    report = await import_file(write(tmp_path, text, "t.jsonl"), session_factory, engine, False)
    assert (report.imported, [r.line for r in report.rejected]) == (2, [3, 4])
    async with session_factory() as session:
        tears = (await session.scalars(select(Track).where(Track.title == "Tears"))).one()
    assert tears.vector.any() and tears.has_lyrics is False


async def test_an_unreadable_file_is_refused_before_anything_happens(
    tmp_path: Path, session_factory, keyword_engine
) -> None:
    with pytest.raises(CatalogFileError, match="not one of"):
        await import_file(write(tmp_path, CATALOG, "c.xlsx"), session_factory, keyword_engine)
    binary = tmp_path / "b.csv"
    binary.write_bytes(bytes(range(256)) * 64)
    report = await import_file(binary, session_factory, keyword_engine, progress=False)
    assert report.imported == 0 and "binary" in report.rejected[0].reason


async def test_the_list_of_rejections_is_capped_but_all_are_counted(
    tmp_path: Path, session_factory, keyword_engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "MAX_LISTED", 3)
    path = write(tmp_path, "title,artists\n" + ",x\n" * 10 + "Fine,Y\n")
    report = await import_file(path, session_factory, keyword_engine, progress=False)
    assert (report.imported, report.rejected_count, len(report.rejected)) == (1, 10, 3)
    assert "and 7 more rejected rows" in report.summary(listed=3)


@pytest.fixture
def demo_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the bundled demo package, so the mechanism is tested on its own."""
    name = f"fake_demo_{uuid.uuid4().hex}"  # a new module each time: imports are cached
    package = tmp_path / "site" / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(loader, "DEMO_PACKAGE", name)
    return package


async def test_the_demo_catalog_fills_an_empty_database_once(
    demo_package: Path, session_factory, keyword_engine
) -> None:
    (demo_package / "tracks.csv").write_text("title,artists,tags\nCalm,Ann,calm\nUp,Bo,happy\n")
    first = await ensure_demo_catalog(session_factory, keyword_engine)
    assert first is not None and (first.imported, first.source) == (2, "demo")
    assert await ensure_demo_catalog(session_factory, keyword_engine) is None
    async with session_factory() as session:
        assert {t.source for t in (await session.scalars(select(Track))).all()} == {"demo"}


async def test_a_missing_demo_catalog_is_logged_not_fatal(
    demo_package: Path, session_factory, keyword_engine, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert await ensure_demo_catalog(session_factory, keyword_engine) is None
    assert "demo catalog" in caplog.text
