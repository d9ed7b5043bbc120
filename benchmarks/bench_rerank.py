"""What re-ranking adds to a reply at 100k tracks: plain top-k against the whole pipeline.

Plain: the exact k nearest tracks. Re-ranked: a pool of candidates per target mood, the
person's taste (300 thumbs), everyone's thumbs on the candidates (300k thumbs in the
crowd prior), Thompson draws, the artist limit and the explanations, leaving out a
window of 200 recent offers. Loading those from the database is not timed here (one
query per reply over the candidates' thumbs). The added time is the median difference
between the two on the same query, run back to back; match mode is what the issue's
figure is about, lift (five target moods, so five searches) is shown beside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from benchmarks.table import Row
from moodtune.emotion import EmotionVector
from moodtune.recommender.prior import GlobalPrior
from moodtune.recommender.ranking import recommend
from moodtune.recommender.taste import Taste
from moodtune.recommender.tracks import CatalogIndex, TrackInfo

TRACKS = 100_000
ARTISTS = 15_000
GENRES = ("pop", "rock", "folk", "jazz", "electronic", "classical", "hip hop", "r&b")
TAGS = ("sad", "calm", "happy", "dreamy", "angry", "nostalgic", "upbeat", "dark")
QUERIES = 300
TARGET_MS = 5.0


def _catalog(rng: np.random.Generator, n: int) -> CatalogIndex:
    vectors = rng.dirichlet(np.full(21, 0.3), size=n)
    artists = rng.integers(ARTISTS, size=n)
    return CatalogIndex(
        TrackInfo(i, f"Track {i}", (f"Artist {artists[i]}",), vectors[i],
                  (TAGS[i % 8], TAGS[(i * 7) % 8]), GENRES[artists[i] % 8])
        for i in range(n)
    )  # fmt: skip


Call = Callable[[np.ndarray], object]


def _elapsed(call: Call, q: np.ndarray) -> float:
    start = time.perf_counter()
    call(q)
    return time.perf_counter() - start


def _paired_ms(plain: Call, reranked: Call, queries: np.ndarray) -> tuple[float, float]:
    """Median of plain, and median of (re-ranked − plain) on the same query, in ms.

    Pairs run back to back on the same query, so a machine that gets busy for a while
    slows both sides of the pairs it hits alike."""
    plain(queries[0]), reranked(queries[0])  # warm caches and the search pool
    pairs = np.array([(_elapsed(plain, q), _elapsed(reranked, q)) for q in queries]) * 1e3
    return float(np.median(pairs[:, 0])), float(np.median(pairs[:, 1] - pairs[:, 0]))


def run(quick: bool = False) -> list[Row]:
    rng = np.random.default_rng(3)
    n = TRACKS // 10 if quick else TRACKS
    catalog = _catalog(rng, n)
    track_ids = rng.integers(n, size=300)
    taste = Taste.from_votes(
        (catalog.tracks[int(t)], 1 if rng.random() < 0.4 else -1) for t in track_ids
    )
    moods = rng.dirichlet(np.full(21, 0.3), size=1000)
    prior = GlobalPrior.from_thumbs(
        (int(t), moods[i % 1000], 1 if rng.random() < 0.35 else -1)
        for i, t in enumerate(rng.integers(n, size=3 * n))
    )
    recent = {int(t) for t in rng.integers(n, size=200)}
    queries = rng.dirichlet(np.full(21, 0.3), size=QUERIES)

    def plain(q: np.ndarray) -> object:
        return catalog.index.search(q, 5)

    def reranked(mode: str) -> Call:
        def call(q: np.ndarray) -> object:
            return recommend(
                catalog, EmotionVector(q), 5, taste, recent, mode=mode, prior=prior, rng=rng
            )

        return call

    rows = []
    for mode in ("match", "lift"):
        base, added = _paired_ms(plain, reranked(mode), queries)
        if not rows:
            rows.append(Row("re-ranking", f"{n:,} tracks, plain top-5 p50", base, "ms"))
        judged = mode == "match" and not quick
        rows.append(
            Row(
                "re-ranking",
                f"{n:,} tracks, {mode}: added p50",
                added,
                "ms",
                f"<= {TARGET_MS:g} ms" if judged else "",
                added <= TARGET_MS if judged else None,
            )
        )
    return rows
