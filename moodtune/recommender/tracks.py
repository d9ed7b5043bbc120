"""The catalog as the recommender sees it: track facts in memory beside the vector index."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from moodtune.emotion import DIM
from moodtune.recommender.index import Metric, VectorIndex


@dataclass(frozen=True, slots=True)
class TrackInfo:
    id: int
    title: str
    artists: tuple[str, ...]
    vector: np.ndarray
    tags: tuple[str, ...] = ()
    genre: str = ""
    language: str = ""
    year: int | None = None
    link: str = ""

    @property
    def artist_line(self) -> str:
        return " / ".join(self.artists)


class CatalogIndex:
    """Every recommendable track (non-zero vector) with an exact nearest-neighbour index."""

    def __init__(self, tracks: Iterable[TrackInfo], metric: Metric = "euclidean") -> None:
        usable = [t for t in tracks if np.any(t.vector)]
        self.tracks = {t.id: t for t in usable}
        vectors = np.array([t.vector for t in usable], dtype=np.float32).reshape(-1, DIM)
        self.index = VectorIndex(np.array([t.id for t in usable], dtype=np.int64), vectors, metric)

    def __len__(self) -> int:
        return len(self.tracks)

    def get(self, track_ids: Sequence[int]) -> list[TrackInfo]:
        return [self.tracks[t] for t in track_ids if t in self.tracks]
