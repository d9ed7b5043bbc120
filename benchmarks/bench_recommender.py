"""Exact top-10 nearest-neighbour query time over synthetic catalogs of 10k, 100k and 1M tracks.

Synthetic tracks are Dirichlet(0.3) vectors: each leans on a few of the 21 categories, as
annotated songs do. Queries are drawn the same way. Building the index is not timed.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.table import Row
from moodtune.recommender.index import VectorIndex

SIZES = (10_000, 100_000, 1_000_000)
QUERIES = 200
TARGET_MS = 10.0  # p50 at 1M tracks


def _time_queries(index: VectorIndex, queries: np.ndarray) -> np.ndarray:
    index.search(queries[0], 10)  # warm the pool and caches
    times = []
    for q in queries:
        start = time.perf_counter()
        index.search(q, 10)
        times.append(time.perf_counter() - start)
    return np.array(times) * 1e3


def run(quick: bool = False) -> list[Row]:
    rng = np.random.default_rng(7)
    rows: list[Row] = []
    for n in SIZES[:2] if quick else SIZES:
        vectors = rng.dirichlet(np.full(21, 0.3), size=n).astype(np.float32)
        index = VectorIndex(np.arange(n), vectors)
        queries = rng.dirichlet(np.full(21, 0.3), size=QUERIES)
        ms = _time_queries(index, queries)
        p50 = float(np.median(ms))
        at_target = n == SIZES[-1]
        rows.append(
            Row(
                "exact top-10",
                f"{n:,} tracks p50",
                p50,
                "ms",
                f"<= {TARGET_MS:g} ms" if at_target else "",
                p50 <= TARGET_MS if at_target else None,
            )
        )
        rows.append(Row("exact top-10", f"{n:,} tracks p99", float(np.percentile(ms, 99)), "ms"))
    return rows
