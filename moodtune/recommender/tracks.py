"""The catalog as the recommender sees it: track facts in memory beside the vector index."""

from __future__ import annotations

import math
from collections import Counter
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


def primary_language(code: str | None) -> str:
    """'zh-Hans' → 'zh', 'pt_BR' → 'pt', None → ''."""
    return (code or "").replace("_", "-").split("-")[0].strip().casefold()


class CatalogIndex:
    """Every recommendable track (non-zero vector) with an exact nearest-neighbour index,
    and how many tracks each artist has (case-folded names)."""

    def __init__(self, tracks: Iterable[TrackInfo], metric: Metric = "euclidean") -> None:
        usable = [t for t in tracks if np.any(t.vector)]
        self.tracks = {t.id: t for t in usable}
        vectors = np.array([t.vector for t in usable], dtype=np.float32).reshape(-1, DIM)
        self.index = VectorIndex(np.array([t.id for t in usable], dtype=np.int64), vectors, metric)
        self.artist_tracks = Counter(a.casefold() for t in usable for a in set(t.artists))
        sizes = sorted(self.artist_tracks.values())
        self.typical_artist_tracks = sizes[len(sizes) // 2] if sizes else 1
        # Read for every candidate of every reply (~200): worked out once here, they cost
        # a dictionary lookup there instead of ~1 µs each (230 µs of a 420 µs re-rank).
        self.artist_weights = {t.id: self._artist_weight(t) for t in usable}
        self.languages = {t.id: primary_language(t.language) for t in usable}

    def _artist_weight(self, track: TrackInfo) -> float:
        """How much bigger than the catalog's typical artist the track's biggest artist is,
        as log(tracks / typical tracks); 0 for a typical or smaller one."""
        biggest = max((self.artist_tracks.get(a.casefold(), 1) for a in track.artists), default=1)
        return max(0.0, math.log(biggest / self.typical_artist_tracks))

    def __len__(self) -> int:
        return len(self.tracks)

    def get(self, track_ids: Sequence[int]) -> list[TrackInfo]:
        return [self.tracks[t] for t in track_ids if t in self.tracks]
