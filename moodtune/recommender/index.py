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

    def __len__(self) -> int:
        return len(self.track_ids)

    def search(
        self, query: np.ndarray, k: int, exclude: Collection[int] = ()
    ) -> list[Neighbour]:
        """The k nearest tracks to `query`, nearest first, leaving out `exclude` ids."""
        if k <= 0 or len(self) == 0:
            return []
        q = self._prepare_query(query)
        excluded = np.fromiter(
            (self._position[t] for t in exclude if t in self._position), dtype=np.int64
        )
        want = min(len(self), k + len(excluded))
        rows = self._candidate_rows(q, want)
        if len(excluded):
            rows = rows[~np.isin(rows, excluded)]
        exact = self._exact_distances(q, rows)
        order = np.lexsort((self.track_ids[rows], exact))[:k]
        return [Neighbour(int(self.track_ids[rows[i]]), float(exact[i])) for i in order]

    def _prepare_query(self, query: np.ndarray) -> np.ndarray:
        q = np.asarray(query, dtype=np.float64).reshape(-1)
        if q.shape != (DIM,) or not np.all(np.isfinite(q)):
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
        diff = self.vectors[rows].astype(np.float64) - q
        squared = np.einsum("ij,ij->i", diff, diff)
        # Between unit vectors ||a − b||² = 2 − 2·cos, so this is the cosine distance 1 − cos.
        return squared / 2 if self.metric == "cosine" else np.sqrt(squared)


def _best(rows: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The entries of `rows` whose scores are within SLACK of the k-th smallest."""
    if len(scores) <= k:
        return rows
    kth = np.partition(scores, k - 1)[k - 1]
    return rows[scores <= kth + SLACK]
