"""Exact nearest-neighbour search over track vectors (numpy).

Euclidean distance is the reference; cosine is an option. The search is exact but avoids
the two costs of the naive way (a full distance array, then a full argpartition):

- squared distances come from ||x||² − 2·x·q + ||q||² with the norms precomputed, so each
  row costs one dot product (a BLAS matrix-vector product per cache-sized chunk);
- after the first chunk a worker knows its k-th best distance τ, and later chunks are only
  compared against τ: one vectorised pass instead of a partition;
- the rows are split between worker threads (BLAS and numpy comparisons release the GIL),
  with numpy's BLAS itself kept to one thread: its own threads would fight ours for the
  cores and, busy-waiting, turn a 1 ms query into 30 ms whenever the machine is loaded;
- the survivors are re-scored in float64 from the original vectors, so the order does not
  depend on float32 rounding of the expansion.

A catalog of one chunk or less (the bundled one has 1,616 tracks) skips that machinery:
one product, one partition, excluded rows dropped by position. `nearest` answers in arrays,
so a reply's 100 candidates cost no Python object each; `search` wraps them in objects.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np
import threadpoolctl

from moodtune.emotion import DIM

Metric = Literal["euclidean", "cosine"]
CHUNK_ROWS = 32_768  # ~2.7 MB of float32 vectors: stays in cache between the two passes
# float32 rounding in the expansion is far below this; candidates within it of the k-th
# best are kept so the exact float64 re-scoring decides their order.
SLACK = 1e-4


@dataclass(frozen=True, slots=True)
class Neighbour:
    track_id: int
    distance: float


@functools.cache
def _pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="moodtune-knn")


@functools.cache
def _single_threaded_blas() -> None:
    """Once per process: numpy's BLAS runs single-threaded; the index splits work itself."""
    threadpoolctl.threadpool_limits(limits=1, user_api="blas")


class VectorIndex:
    """Track ids and their 21-dim vectors, searched exactly."""

    def __init__(
        self,
        track_ids: np.ndarray,
        vectors: np.ndarray,
        metric: Metric = "euclidean",
        workers: int = 2,
    ) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != DIM:
            raise ValueError(f"vectors must have shape (n, {DIM}), got {vectors.shape}")
        if len(track_ids) != len(vectors):
            raise ValueError("one track id per vector")
        if metric not in ("euclidean", "cosine"):
            raise ValueError(f"unknown metric {metric!r}: use euclidean or cosine")
        _single_threaded_blas()
        self.metric: Metric = metric
        self.track_ids = np.asarray(track_ids, dtype=np.int64)
        self.workers = max(1, workers)
        if metric == "cosine":
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        self.vectors = vectors
        self.sq_norms = np.einsum("ij,ij->i", vectors, vectors)
        self._position = {int(t): i for i, t in enumerate(self.track_ids)}
        self._rows = np.arange(len(self.track_ids))
        # A catalog of one chunk is also kept by column: BLAS multiplies a query into a
        # (21, n) matrix about twice as fast as into an (n, 21) one (≤ 2.75 MB more).
        small = len(vectors) <= CHUNK_ROWS
        self._columns = np.ascontiguousarray(vectors.T if small else vectors[:0].T)

    def __len__(self) -> int:
        return len(self.track_ids)

    def search(self, query: np.ndarray, k: int, exclude: Collection[int] = ()) -> list[Neighbour]:
        """The k nearest tracks to `query`, nearest first, leaving out `exclude` ids."""
        ids, distances = self.nearest(query, k, exclude)
        return [Neighbour(t, d) for t, d in zip(ids.tolist(), distances.tolist(), strict=True)]

    def nearest(
        self, query: np.ndarray, k: int, exclude: Collection[int] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """`search` as two arrays: the track ids (int64) and their distances (float64)."""
        if k <= 0 or len(self) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0)
        q = self._prepare_query(query)
        excluded = self._excluded_rows(exclude)
        if len(self) <= CHUNK_ROWS:
            rows = self._one_chunk_rows(q, k, excluded)
        else:
            rows = self._candidate_rows(q, min(len(self), k + len(excluded)))
            if len(excluded):
                rows = rows[~np.isin(rows, excluded)]
        exact = self._exact_distances(q, rows)
        order = np.lexsort((self.track_ids[rows], exact))[:k]
        return self.track_ids[rows[order]], exact[order]

    def _excluded_rows(self, exclude: Collection[int]) -> np.ndarray:
        if not exclude:  # the usual case: no generator, no lookups
            return np.empty(0, dtype=np.int64)
        position = self._position
        return np.fromiter((position[t] for t in exclude if t in position), dtype=np.int64)

    def _prepare_query(self, query: np.ndarray) -> np.ndarray:
        q = np.asarray(query, dtype=np.float64).reshape(-1)
        if q.shape != (DIM,) or not np.isfinite(q).all():
            raise ValueError(f"a query is {DIM} finite numbers")
        if self.metric == "cosine":
            norm = np.linalg.norm(q)
            q = q / norm if norm > 0 else q
        return q

    def _candidate_rows(self, q: np.ndarray, k: int) -> np.ndarray:
        """Row numbers that surely contain the k nearest (plus near-ties)."""
        bounds = np.linspace(0, len(self), self.workers + 1, dtype=np.int64)
        q32 = q.astype(np.float32)
        spans = [(int(a), int(b)) for a, b in itertools.pairwise(bounds) if b > a]
        if len(spans) == 1 or len(self) < 4 * CHUNK_ROWS:
            parts = [self._scan(q32, 0, len(self), k)]
        else:
            parts = list(_pool(self.workers).map(lambda s: self._scan(q32, *s, k), spans))
        rows = np.concatenate([p[0] for p in parts])
        scores = np.concatenate([p[1] for p in parts])
        return _best(rows, scores, k)

    def _one_chunk_rows(self, q: np.ndarray, k: int, excluded: np.ndarray) -> np.ndarray:
        """`_candidate_rows` for a catalog of one chunk, leaving out `excluded` rows: the
        chunked scan's bookkeeping would cost more than the product itself."""
        q32 = q.astype(np.float32)
        q32 *= -2.0  # on the query, not the scores: 21 products, and exact (a power of two)
        scores = q32 @ self._columns
        scores += self.sq_norms
        if not len(excluded):
            return _best(self._rows, scores, k)
        rows = np.delete(self._rows, excluded)
        return _best(rows, scores[rows], k)

    def _scan(self, q: np.ndarray, start: int, stop: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Best rows of [start, stop) by the partial score ||x||² − 2·x·q (same order as d²)."""
        best_rows = np.empty(0, dtype=np.int64)
        best_scores = np.empty(0, dtype=np.float32)
        tau = np.inf
        for lo in range(start, stop, CHUNK_ROWS):
            hi = min(lo + CHUNK_ROWS, stop)
            scores = self.vectors[lo:hi] @ q
            scores *= -2.0
            scores += self.sq_norms[lo:hi]
            hits = np.flatnonzero(scores <= tau) if np.isfinite(tau) else np.arange(hi - lo)
            if len(hits) == 0:
                continue
            rows = np.concatenate([best_rows, hits + lo])
            cand = np.concatenate([best_scores, scores[hits]])
            keep = _best(np.arange(len(rows)), cand, k)
            best_rows, best_scores = rows[keep], cand[keep]
            if len(best_rows) >= k:
                tau = float(np.partition(best_scores, k - 1)[k - 1]) + SLACK
        return best_rows, best_scores

    def _exact_distances(self, q: np.ndarray, rows: np.ndarray) -> np.ndarray:
        diff = self.vectors.take(rows, axis=0).astype(np.float64)
        diff -= q
        squared = np.einsum("ij,ij->i", diff, diff)
        # Between unit vectors ||a − b||² = 2 − 2·cos, so this is the cosine distance 1 − cos.
        return squared / 2 if self.metric == "cosine" else np.sqrt(squared)


def _best(rows: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The entries of `rows` whose scores are within SLACK of the k-th smallest."""
    if len(scores) <= k:
        return rows
    kth = np.partition(scores, k - 1)[k - 1]
    return rows[scores <= kth + SLACK]
