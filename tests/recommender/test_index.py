import numpy as np
import pytest

from moodtune.recommender.index import CHUNK_ROWS, VectorIndex


def brute_force(ids: np.ndarray, vectors: np.ndarray, q: np.ndarray, k: int, metric: str):
    x = vectors.astype(np.float64)
    if metric == "cosine":
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        q = q / np.linalg.norm(q)
        d = 1 - x @ q
    else:
        d = np.sqrt(((x - q) ** 2).sum(1))
    order = np.lexsort((ids, d))[:k]
    return [int(ids[i]) for i in order], d[order]


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
@pytest.mark.parametrize("n", [1, 7, 500, 5 * CHUNK_ROWS + 123])
def test_search_is_exact(n: int, metric: str) -> None:
    rng = np.random.default_rng(n)
    vectors = rng.dirichlet(np.full(21, 0.3), size=n)
    ids = rng.permutation(n * 3)[:n] + 1
    index = VectorIndex(ids, vectors, metric)  # type: ignore[arg-type]
    for _ in range(5):
        q = rng.dirichlet(np.full(21, 0.3))
        got = index.search(q, 10)
        want_ids, want_d = brute_force(ids, vectors.astype(np.float32), q, 10, metric)
        assert [g.track_id for g in got] == want_ids
        np.testing.assert_allclose([g.distance for g in got], want_d, atol=1e-6)


def test_excluded_ids_are_never_returned_and_the_gap_is_filled() -> None:
    rng = np.random.default_rng(1)
    vectors = rng.dirichlet(np.ones(21), size=300)
    ids = np.arange(300)
    index = VectorIndex(ids, vectors)
    q = vectors[42]
    first = [n.track_id for n in index.search(q, 5)]
    assert first[0] == 42
    second = [n.track_id for n in index.search(q, 5, exclude=set(first[:3]) | {99999})]
    assert not set(first[:3]) & set(second) and len(second) == 5
    assert second[:2] == first[3:5]


def test_duplicates_ties_and_small_catalogs() -> None:
    vectors = np.tile(np.eye(21)[0], (30, 1))
    index = VectorIndex(np.arange(30), vectors)
    got = index.search(np.eye(21)[0], 4)
    assert [n.track_id for n in got] == [0, 1, 2, 3]  # ties broken by id
    assert index.search(np.eye(21)[0], 0) == []
    assert len(index.search(np.eye(21)[0], 100)) == 30
    assert VectorIndex(np.empty(0), np.empty((0, 21))).search(np.eye(21)[0], 3) == []


@pytest.mark.parametrize(
    "query", [np.full(21, np.nan), np.ones(20), np.full(21, np.inf), np.ones((2, 21))]
)
def test_bad_queries_are_rejected(query: np.ndarray) -> None:
    index = VectorIndex(np.arange(3), np.eye(21)[:3])
    with pytest.raises(ValueError, match="finite"):
        index.search(query, 1)


def test_bad_construction_is_rejected() -> None:
    with pytest.raises(ValueError, match="shape"):
        VectorIndex(np.arange(2), np.ones((2, 20)))
    with pytest.raises(ValueError, match="one track id"):
        VectorIndex(np.arange(3), np.ones((2, 21)))
    with pytest.raises(ValueError, match="metric"):
        VectorIndex(np.arange(2), np.ones((2, 21)), "manhattan")  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [300, CHUNK_ROWS, CHUNK_ROWS + 5])  # one product, and the scan
def test_exclusions_are_exact_on_both_paths(n: int) -> None:
    rng = np.random.default_rng(n)
    vectors = rng.dirichlet(np.full(21, 0.3), size=n)
    vectors[n // 2 : n // 2 + 20] = vectors[:20]  # exact ties, broken by id
    ids = rng.permutation(n * 2)[:n]
    index = VectorIndex(ids, vectors)
    q = vectors[3]
    nearest = [int(t) for t in index.nearest(q, 300)[0]]
    exclude = [*nearest[:40:2], nearest[0], -1]  # repeats and unknown ids are harmless
    keep = ~np.isin(ids, exclude)
    want_ids, want_d = brute_force(ids[keep], vectors[keep].astype(np.float32), q, 100, "euclidean")
    got_ids, got_d = index.nearest(q, 100, exclude)
    assert got_ids.tolist() == want_ids
    np.testing.assert_allclose(got_d, want_d, atol=1e-6)
    assert [(g.track_id, g.distance) for g in index.search(q, 100, set(exclude))] == list(
        zip(got_ids.tolist(), got_d.tolist(), strict=True)
    )


def test_excluding_all_but_a_few_returns_the_few() -> None:
    index = VectorIndex(np.arange(50), np.random.default_rng(0).dirichlet(np.ones(21), size=50))
    ids, distances = index.nearest(np.full(21, 1 / 21), 10, exclude=set(range(47)))
    assert sorted(ids.tolist()) == [47, 48, 49] and len(distances) == 3
    assert index.nearest(np.full(21, 1 / 21), 10, exclude=range(50))[0].tolist() == []
    assert ids.dtype == np.int64 and distances.dtype == np.float64
