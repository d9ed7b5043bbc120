"""Helpers for storage tests: track rows and a person with offers, in a committed database."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from moodtune.emotion import DIM, EmotionVector


def track_row(title: str, *artists: str, vector: Any = None, **extra: Any) -> dict[str, Any]:
    """A row for tracks.add_many; the vector defaults to one derived from the title."""
    if vector is None:
        rng = np.random.default_rng(abs(hash(title)) % 2**32)
        vector = EmotionVector.from_array(rng.random(DIM)).values
    return {"title": title, "artists": list(artists or ("Someone",)), "vector": vector, **extra}


@pytest.fixture
def make_track_row() -> Any:
    return track_row
