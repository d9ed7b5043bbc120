"""The colour mood of a picture after Valdez & Mehrabian (1994)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from photo_samples import landscapes

from moodtune.emotion_engines.photo.scene import (
    REGIONS,
    SCENE_CONFIDENCE,
    region_vector,
    scene_reading,
)


def textured(rgb: tuple[int, int, int], spread: int = 12) -> np.ndarray:
    """A picture of mostly one colour with some texture (a flat one is 'blank')."""
    rng = np.random.default_rng(3)
    noise = rng.integers(-spread, spread + 1, size=(120, 160, 1))
    return np.clip(np.array(rgb)[None, None, :] + noise, 0, 255).astype(np.uint8)


def point(picture: np.ndarray) -> tuple[float, float]:
    detail = scene_reading(picture).evidence[0].detail
    return detail["pleasure"], detail["arousal"]


@pytest.mark.parametrize("name", ["china", "flower"])
def test_landscapes_give_a_low_confidence_scene_reading(name: str) -> None:
    reading = scene_reading(landscapes()[name])
    assert reading.engine == "scene" and reading.modality == "photo"
    assert 0 < reading.confidence <= SCENE_CONFIDENCE <= 0.25
    assert reading.vector.values.sum() == pytest.approx(1.0)
    assert reading.evidence[0].label.startswith("colours:")


@pytest.mark.parametrize(
    ("colour", "region"),
    [((255, 200, 40), "PA"), ((200, 205, 200), "PE"), ((45, 50, 60), "NB"), ((120, 0, 10), "NI")],
    ids=["sunny", "pale", "gloomy", "dark red"],
)
def test_colours_read_only_as_broad_regions(colour: tuple[int, int, int], region: str) -> None:
    reading = scene_reading(textured(colour))
    assert reading.vector.top(1)[0][0] == region
    assert {code for code, share in reading.vector.as_dict().items() if share} <= set(REGIONS)
    assert reading.evidence[0].label.endswith(f"; {REGIONS[region]} overall")


def test_the_flower_is_not_shame_or_guilt() -> None:
    reading = scene_reading(landscapes()["flower"])
    shares = reading.vector.as_dict()
    assert shares["NG"] == shares["NH"] == shares["NN"] == shares["NL"] == 0.0


def test_confidence_grows_with_the_distance_from_the_centre() -> None:
    assert region_vector(0.0, 0.0).values.sum() == pytest.approx(1.0)
    near, far = scene_reading(landscapes()["flower"]), scene_reading(textured((255, 200, 40)))
    assert 0 < near.confidence < far.confidence == SCENE_CONFIDENCE


def test_brighter_is_more_pleasant_and_more_saturated_is_more_arousing() -> None:
    bright_pleasure, bright_arousal = point(textured((200, 200, 200)))
    dark_pleasure, dark_arousal = point(textured((40, 40, 40)))
    assert bright_pleasure > dark_pleasure and bright_arousal < dark_arousal  # −.31 B
    _, vivid_arousal = point(textured((230, 30, 30)))
    _, muted_arousal = point(textured((140, 110, 110)))
    assert vivid_arousal > muted_arousal + 0.3


def test_the_published_coefficients_on_the_documented_scales() -> None:
    detail = scene_reading(textured((90, 160, 60))).evidence[0].detail
    lab = cv2.cvtColor(textured((90, 160, 60)), cv2.COLOR_RGB2Lab).astype(float)
    brightness = lab[..., 0].mean() / 255
    saturation = min(1.0, np.hypot(lab[..., 1] - 128, lab[..., 2] - 128).mean() / 50)
    assert detail["brightness"] == pytest.approx(brightness, abs=2e-3)
    assert detail["saturation"] == pytest.approx(saturation, abs=2e-3)
    b, s = 2 * brightness - 1, 2 * saturation - 1
    assert detail["pleasure"] == pytest.approx(0.69 * b + 0.22 * s, abs=2e-3)
    assert detail["arousal"] == pytest.approx(-0.31 * b + 0.60 * s, abs=2e-3)
    assert detail["dominance"] == pytest.approx(0.76 * b + 0.32 * s, abs=2e-3)


def test_the_vector_follows_the_circumplex_point() -> None:
    sunny = scene_reading(textured((255, 200, 40)))  # bright and vivid: pleasant, lively
    gloomy = scene_reading(textured((45, 50, 60)))  # dark and muted
    assert sunny.vector.valence_arousal()[0] > gloomy.vector.valence_arousal()[0]
    assert sunny.vector.groups()["happiness"] > gloomy.vector.groups()["happiness"]


@pytest.mark.parametrize("colour", [(0, 0, 0), (255, 255, 255), (120, 30, 200)])
def test_a_flat_picture_is_no_signal(colour: tuple[int, int, int]) -> None:
    reading = scene_reading(np.full((50, 50, 3), colour, np.uint8))
    assert not reading.has_signal and reading.vector.is_zero
    assert "flat" in reading.note


def test_a_one_pixel_picture_is_no_signal() -> None:
    assert not scene_reading(np.full((1, 1, 3), 200, np.uint8)).has_signal
