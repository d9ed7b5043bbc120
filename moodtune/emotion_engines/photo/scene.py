"""The mood of a picture's colours, for when no face says more.

Valdez & Mehrabian (1994, J. Exp. Psychol.: General 123(4)) regressed pleasure, arousal and
dominance on the brightness and saturation of colours:

    pleasure  =  .69 B + .22 S
    arousal   = −.31 B + .60 S
    dominance =  .76 B + .32 S

Their coefficients are standardised, so B and S must be centred and scaled. Here B is CIE
L*/100 (0 black .. 1 white, close to Munsell value) and S is CIE chroma C*/50 clipped at 1
(0 grey .. 1 for a picture as vivid as a poster); each is then centred on its middle and
stretched to −1..1 (B′ = 2B − 1, S′ = 2S − 1), so a mid-grey, moderately coloured picture
sits at the centre of the circumplex. Dominance is kept as evidence.

Colour says how pleasant and how stirring a picture feels, and no more: it cannot tell
shame from guilt, or praise from trust. So the point is read only as one of four broad
regions of the circumplex, each named by its plainest category (pleasant and lively: joy;
pleasant and calm: ease; unpleasant and calm: sorrow; unpleasant and stirred: unease),
blended by distance; never as the fine categories nearest to it (a flower is not shame).
Colour says little about a person's feeling, hence the low confidence: at most 0.2, and
less the nearer the point lies to the centre (a picture neither pleasant nor unpleasant,
neither calm nor stirring, says nothing).
"""

from __future__ import annotations

import math
from typing import Final

import cv2
import numpy as np

from moodtune.emotion import VALENCE_AROUSAL, EmotionVector
from moodtune.emotion_engines.reading import Evidence, Note, Reading

SCENE_CONFIDENCE: Final = 0.2
SCENE_PIXELS: Final = 40_000  # averages need no more pixels than this
FULL_CHROMA: Final = 50.0  # C* of a very vivid picture on average
BLANK_SPREAD: Final = 1.0  # L* standard deviation below which a picture is one flat colour
REGIONS: Final = {"PA": "lively", "PE": "calm", "NB": "gloomy", "NI": "tense"}  # see above
REGION_SPREAD: Final = 0.5  # wide: the colour point is only a rough guess
CLEAR_RADIUS: Final = 0.5  # a point this far from the centre reads at full (scene) confidence
FLAT_COLOUR: Final = Note("photo_flat_colour", "the picture is one flat colour")
NO_LEANING: Final = Note("photo_no_leaning", "the colours lean neither way")
BRIGHT: Final = Note("photo_bright", "bright")
DARK: Final = Note("photo_dark", "dark")
MID_TONE: Final = Note("photo_mid_tone", "mid-tone")
VIVID: Final = Note("photo_vivid", "vivid")
MUTED: Final = Note("photo_muted", "muted")
MODERATELY_COLOURED: Final = Note("photo_moderately_coloured", "moderately coloured")
REGION_NOTES: Final = {
    "lively": Note("photo_region_lively", "lively overall"),
    "calm": Note("photo_region_calm", "calm overall"),
    "gloomy": Note("photo_region_gloomy", "gloomy overall"),
    "tense": Note("photo_region_tense", "tense overall"),
}


def scene_reading(rgb: np.ndarray) -> Reading:
    """Valence and arousal from brightness and saturation; no signal for a blank picture."""
    lab = cv2.cvtColor(_sample(rgb), cv2.COLOR_RGB2Lab).astype(np.float64)
    lightness = lab[..., 0] * (100.0 / 255.0)  # 8-bit Lab stores L* × 255/100
    chroma = np.hypot(lab[..., 1] - 128.0, lab[..., 2] - 128.0)
    if lightness.std() < BLANK_SPREAD and chroma.std() < BLANK_SPREAD:
        return Reading.empty("photo", "scene", FLAT_COLOUR)
    brightness = float(lightness.mean()) / 100.0
    saturation = min(1.0, float(chroma.mean()) / FULL_CHROMA)
    b, s = 2 * brightness - 1, 2 * saturation - 1
    pleasure, arousal, dominance = 0.69 * b + 0.22 * s, -0.31 * b + 0.60 * s, 0.76 * b + 0.32 * s
    confidence = SCENE_CONFIDENCE * min(1.0, math.hypot(pleasure, arousal) / CLEAR_RADIUS)
    if confidence < 0.01:
        return Reading.empty("photo", "scene", NO_LEANING)
    vector = region_vector(pleasure, arousal)
    detail = {
        "brightness": round(brightness, 3),
        "saturation": round(saturation, 3),
        "pleasure": round(pleasure, 3),
        "arousal": round(arousal, 3),
        "dominance": round(dominance, 3),
    }
    region = REGION_NOTES[REGIONS[vector.top(1)[0][0]]]
    light, colour = _describe(brightness, saturation)
    colours = Note("photo_colours", f"colours: {light}, {colour}", light=light, colour=colour)
    note = Note.join([colours, region])
    evidence = Evidence(str(note), 1.0, tuple(code for code, _ in vector.top(3)), detail)
    return Reading(vector, confidence, (evidence,), "photo", "scene", note=note)


def region_vector(valence: float, arousal: float) -> EmotionVector:
    """A circumplex point as a blend of the four regions' categories, nearest the most."""
    point = np.clip(np.array([valence, arousal]), -1.0, 1.0)
    anchors = np.array([VALENCE_AROUSAL[code] for code in REGIONS])
    squared = ((anchors - point) ** 2).sum(axis=1)
    weights = np.exp(-(squared - squared.min()) / (2 * REGION_SPREAD**2))
    return EmotionVector.from_scores(dict(zip(REGIONS, weights, strict=True)))


def _sample(rgb: np.ndarray) -> np.ndarray:
    """Every k-th pixel in each direction: means need no smoothing, and striding is free."""
    height, width = rgb.shape[:2]
    step = max(1, math.ceil(math.sqrt(height * width / SCENE_PIXELS)))
    return np.ascontiguousarray(rgb[::step, ::step])


def _describe(brightness: float, saturation: float) -> tuple[Note, Note]:
    light = BRIGHT if brightness > 0.6 else DARK if brightness < 0.35 else MID_TONE
    colour = VIVID if saturation > 0.6 else MUTED if saturation < 0.3 else MODERATELY_COLOURED
    return light, colour
