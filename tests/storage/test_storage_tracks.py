"""Tracks: bulk insert without duplicates, counting, the vector matrix, lookups in order."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from moodtune.emotion import DIM, EmotionVector
from moodtune.storage import tracks
from moodtune.storage.models import Track
from moodtune.storage.types import VectorError


def test_dedupe_key_ignores_case_width_punctuation_spacing_and_artist_order() -> None:
    key = tracks.dedupe_key("Don't Stop Me Now", ["Queen", "Freddie Mercury"])
    assert tracks.dedupe_key("  don't   stop me now!! ", ["FREDDIE MERCURY", "queen"]) == key
    assert tracks.dedupe_key("Dont Stop Me Now", ["Queen", "Freddie Mercury"]) != key
    assert tracks.dedupe_key("ＡＢＣ", ["x"]) == tracks.dedupe_key("abc", ["X"])  # full width
    assert tracks.dedupe_key("Don't Stop Me Now", ["Queen"]) != key
    assert tracks.dedupe_key("...", ["a"]) != tracks.dedupe_key("!!!", ["a"])  # punctuation only
    assert len(key) == 40


async def test_add_many_skips_duplicates_in_the_batch_and_in_the_database(
    session_factory, make_track_row
) -> None:
    async with session_factory() as session, session.begin():
        first = await tracks.add_many(
            session,
            [
                make_track_row("Hello", "Adele"),
                make_track_row("hello!", "ADELE"),  # the same track, spelled differently
                make_track_row("Someone Like You", "Adele", year=2011, tags=["sad", "piano"]),
            ],
        )
    async with session_factory() as session, session.begin():
        second = await tracks.add_many(
            session, [make_track_row("Skyfall", "Adele"), make_track_row("HELLO", "adele")]
        )
    assert (first.inserted, first.duplicates) == (2, [1])
    assert (second.inserted, second.duplicates) == (1, [1])
    async with session_factory() as session:
        stored = (await session.scalars(select(Track).order_by(Track.id))).all()
    assert [t.title for t in stored] == ["Hello", "Someone Like You", "Skyfall"]
    song = stored[1]
    assert (song.artists, song.year, song.tags, song.album, song.valence) == (
        ["Adele"], 2011, ["sad", "piano"], "", None
    )  # fmt: skip
    assert song.created_at.tzinfo is not None


async def test_a_bad_row_stops_the_batch_before_anything_is_written(
    session_factory, make_track_row
) -> None:
    bad_vector = [float("nan")] * DIM
    async with session_factory() as session:
        with pytest.raises(VectorError):
            await tracks.add_many(
                session, [make_track_row("ok"), make_track_row("x", vector=bad_vector)]
            )
        with pytest.raises(tracks.TrackRowError, match="needs vector"):
            await tracks.add_many(session, [{"title": "x", "artists": ["y"]}])
        with pytest.raises(tracks.TrackRowError, match="no column lyrics"):
            await tracks.add_many(session, [make_track_row("x", lyrics="la la")])
        assert await tracks.count(session) == 0


async def test_load_matrix_round_trips_and_leaves_out_zero_vectors(
    session_factory, make_track_row
) -> None:
    rng = np.random.default_rng(3)
    vectors = [EmotionVector.from_array(rng.random(DIM)).values for _ in range(30)]
    rows = [make_track_row(f"Song {i}", vector=v) for i, v in enumerate(vectors)]
    rows.insert(5, make_track_row("Silent", vector=np.zeros(DIM)))
    async with session_factory() as session, session.begin():
        await tracks.add_many(session, rows)
    async with session_factory() as session:
        ids, matrix = await tracks.load_matrix(session)
        assert (await tracks.count(session), await tracks.count(session, True)) == (31, 30)
        titles = {t.id: t.title for t in await tracks.get_many(session, ids.tolist())}
    assert ids.dtype == np.int64 and matrix.dtype == np.float32
    assert matrix.shape == (30, DIM)
    assert list(ids) == sorted(ids)
    assert "Silent" not in titles.values()
    expected = np.array(vectors, dtype=np.float32)
    order = [int(titles[i].split()[1]) for i in ids]
    np.testing.assert_array_equal(matrix, expected[order])


async def test_load_matrix_of_an_empty_catalog(session_factory) -> None:
    async with session_factory() as session:
        ids, matrix = await tracks.load_matrix(session)
    assert ids.shape == (0,) and matrix.shape == (0, DIM)


async def test_get_many_keeps_the_order_asked_and_skips_unknown_ids(
    session_factory, make_track_row
) -> None:
    async with session_factory() as session, session.begin():
        await tracks.add_many(session, [make_track_row(name) for name in "ABCD"])
    async with session_factory() as session:
        ids = {t.title: t.id for t in (await session.scalars(select(Track))).all()}
        found = await tracks.get_many(session, [ids["C"], 9999, ids["A"], ids["D"], ids["A"]])
        assert [t.title for t in found] == ["C", "A", "D", "A"]
        assert await tracks.get_many(session, []) == []
        np.testing.assert_allclose(found[0].vector.sum(), 1.0, rtol=1e-6)


async def test_add_many_handles_more_rows_than_one_statement_may_bind(
    session_factory, make_track_row
) -> None:
    rows = [make_track_row(f"Track {i}", vector=np.eye(DIM)[i % DIM]) for i in range(2500)]
    rows.append(make_track_row("Track 7"))
    async with session_factory() as session, session.begin():
        result = await tracks.add_many(session, rows)
    assert (result.inserted, result.duplicates) == (2500, [2500])
    async with session_factory() as session:
        ids, _ = await tracks.load_matrix(session)
        assert len(await tracks.get_many(session, ids.tolist())) == 2500
