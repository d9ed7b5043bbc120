"""Match the mood, or lift it: what each track of a reply should sound like.

"match" answers the mood as it is: every track is looked for near the mood. "lift" follows
the iso-principle of music therapy: meet the person where they are, then move step by step
on the valence/arousal plane toward a content, gently awake mood. The first track matches
the mood; each next one is at most `LIFT_STEP` further along the way, so a sad or angry
person is not thrown straight into party music. A mood that already feels at least as good
as the target has nothing to lift: it is matched.

The steps are blends of the mood's vector and the target's. A vector's circumplex centre is
linear in the vector, so a blend with share f moves the centre exactly f of the way. The
target is a few concrete categories, like the songs it should find, rather than a point
smeared over the circumplex: a blend of two such vectors is nearest to songs that have a
little of both, and then to songs of the target itself.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from moodtune.emotion import EmotionVector

# Content and gently awake: ease, joy and love; its centre is about (0.73, 0.06).
LIFT_TARGET: Final = {"PE": 0.45, "PA": 0.35, "PB": 0.2}
LIFT_STEP: Final = 0.25  # at most this far on the valence/arousal plane from track to track
MODES: Final = ("match", "lift")


class ModeError(ValueError):
    """A mode that is neither 'match' nor 'lift'."""


def target() -> EmotionVector:
    return EmotionVector.from_scores(LIFT_TARGET)


def lift_steps(mood: EmotionVector, k: int) -> list[EmotionVector]:
    """k moods from `mood` toward the target, the first one the mood itself."""
    goal = target()
    start_v, start_a = mood.valence_arousal()
    goal_v, goal_a = goal.valence_arousal()
    gap = math.hypot(goal_v - start_v, goal_a - start_a)
    if mood.is_zero or start_v >= goal_v or gap == 0:
        return [mood] * k
    shares = [min(1.0, i * LIFT_STEP / gap) for i in range(k)]
    return [EmotionVector((1 - f) * mood.values + f * goal.values) for f in shares]


def queries(mode: str, mood: EmotionVector, k: int) -> list[EmotionVector]:
    """One target mood per track of the reply, in the order the tracks should play."""
    if mode == "match":
        return [mood] * k
    if mode == "lift":
        return lift_steps(mood, k)
    raise ModeError(f"unknown mode {mode!r}; choose 'match' or 'lift'")


def step_distance(a: EmotionVector, b: EmotionVector) -> float:
    """How far apart two moods are on the valence/arousal plane."""
    return float(np.hypot(*np.subtract(a.valence_arousal(), b.valence_arousal())))
