"""How to answer a mood: what each track of a reply should sound like.

A person chooses a mode (/mode):

- "auto" (the default) answers each mood with the response that suits its emotion group
  (`RESPONSE_OF_GROUP`, below);
- "match" answers every mood as it is;
- "lift" follows the iso-principle all the way to a content mood, whatever the mood.

The responses, and why (the sources in full: docs/response-policy.md):

- **match**: every track near the mood. People who feel sad, longing, in love or happy
  mostly want music that feels the same, and sad music chosen when sad comforts rather
  than deepens the sadness (Van den Tol & Edwards 2013; Taruffi & Koelsch 2014).
- **soothe** (fear, panic, shame): calm from the first track, warm reassurance first,
  then calmer. Matching anxiety would mean eerie, menacing music; what lowers anxiety
  and stress arousal is calm music (Pelletier 2004; Bradt, Dileo & Shim 2013), and
  stressed people pick relaxing material when free to choose (Bryant & Zillmann 1984).
- **encourage** (vexation, boredom, hate, criticism, jealousy, doubt): from a little of
  the mood toward upbeat, playful, hopeful tracks. Bored listeners seek stimulation
  (Bryant & Zillmann 1984; Knobloch & Zillmann 2002).
- **release** (anger): tracks that keep anger's energy, defiant rather than hateful,
  leaning more toward confident and empowered track by track. Whether angry music calms
  anger is debated: venting can feed it (Bushman 2002), but letting a feeling out with
  music is a common way to regulate it (Saarikallio & Erkkilä 2007), and high-energy
  music chosen when angry matched the listeners' arousal and left them more inspired,
  not angrier (Sharman & Dingle 2015). So the energy is met, and given somewhere to go.
- **lift**: the iso-principle (Altshuler 1948; Heiderscheit & Madson 2015): meet the
  person where they are, then move step by step on the valence/arousal plane toward a
  content, gently awake mood. The first track matches the mood; each next one is at most
  `LIFT_STEP` further, so a sad or angry person is not thrown into party music. A mood
  that already feels at least as good as the target is matched.

Every step is a blend of the mood's vector and a target's. A vector's circumplex centre
is linear in the vector, so a blend with share f moves the centre exactly f of the way.
Targets are a few concrete categories, like the songs they should find, rather than a
point smeared over the circumplex: a blend of two such vectors is nearest to songs that
have a little of both, and then to songs of the target itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np

from moodtune.emotion import EmotionVector

MODES: Final = ("auto", "match", "lift")
DEFAULT_MODE: Final = "auto"
RESPONSES: Final = ("match", "soothe", "encourage", "release", "lift")
RESPONSE_OF_GROUP: Final = {
    "happiness": "match", "goodness": "match", "sadness": "match", "surprise": "match",
    "fear": "soothe", "dislike": "encourage", "anger": "release",
}  # fmt: skip

# Content and gently awake: ease, joy and love; its centre is about (0.73, 0.06).
LIFT_TARGET: Final = {"PE": 0.45, "PA": 0.35, "PB": 0.2}
LIFT_STEP: Final = 0.25  # at most this far on the valence/arousal plane from track to track
# Soothe: from warm reassurance (ease with trust and love) to calm ease.
SOOTHE_FROM: Final = {"PE": 0.65, "PG": 0.2, "PB": 0.15}
SOOTHE_TO: Final = {"PE": 0.9, "PB": 0.1}
# Encourage: upbeat, playful and hopeful; the first track keeps ENCOURAGE_START of the way.
ENCOURAGE_TARGET: Final = {"PA": 0.55, "PC": 0.25, "PK": 0.2}
ENCOURAGE_START: Final = 0.5
# Release: anger's energy turned confident and proud; from RELEASE_START to RELEASE_END
# of the way, so the whole reply stays energetic and most of it still defiant.
RELEASE_TARGET: Final = {"PG": 0.5, "PH": 0.3, "PA": 0.2}
RELEASE_START: Final = 0.2
RELEASE_END: Final = 0.5


class ModeError(ValueError):
    """A mode that is none of MODES."""


@dataclass(frozen=True, slots=True)
class Plan:
    """How a reply answers a mood: the response, and one target mood per track, in the
    order the tracks should play."""

    response: str
    queries: list[EmotionVector]


def target() -> EmotionVector:
    return EmotionVector.from_scores(LIFT_TARGET)


def dominant_group(mood: EmotionVector) -> str:
    """The mood's strongest group (ties: the order of GROUPS)."""
    groups = mood.groups()
    return max(groups, key=groups.__getitem__)


def response_for(mode: str, mood: EmotionVector) -> str:
    """The response a person in `mode` gets to `mood`."""
    if mode == "auto":
        return "match" if mood.is_zero else RESPONSE_OF_GROUP[dominant_group(mood)]
    if mode in ("match", "lift"):
        return mode
    raise ModeError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")


def plan(mode: str, mood: EmotionVector, k: int) -> Plan:
    """The response to `mood` in `mode`, with a target mood for each of k tracks."""
    response = response_for(mode, mood)
    return Plan(response, steps(response, mood, k))


def steps(response: str, mood: EmotionVector, k: int) -> list[EmotionVector]:
    """One target mood per track for `response`, in play order."""
    if response == "match" or mood.is_zero:
        return [mood] * k
    if response == "lift":
        return lift_steps(mood, k)
    if response == "soothe":
        start, end = EmotionVector.from_scores(SOOTHE_FROM), EmotionVector.from_scores(SOOTHE_TO)
        return [_blend(start, end, f) for f in _spread(0.0, 1.0, k)]
    if response == "encourage":
        goal = EmotionVector.from_scores(ENCOURAGE_TARGET)
        return [_blend(mood, goal, f) for f in _spread(ENCOURAGE_START, 1.0, k)]
    if response == "release":
        goal = EmotionVector.from_scores(RELEASE_TARGET)
        return [_blend(mood, goal, f) for f in _spread(RELEASE_START, RELEASE_END, k)]
    raise ModeError(f"unknown response {response!r}")


def queries(mode: str, mood: EmotionVector, k: int) -> list[EmotionVector]:
    """One target mood per track of the reply, in the order the tracks should play."""
    return plan(mode, mood, k).queries


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


def _spread(first: float, last: float, k: int) -> list[float]:
    """k shares from `first` to `last`, evenly."""
    if k <= 1:
        return [first] * max(k, 0)
    return [first + (last - first) * i / (k - 1) for i in range(k)]


def _blend(a: EmotionVector, b: EmotionVector, share: float) -> EmotionVector:
    return EmotionVector((1 - share) * a.values + share * b.values)


def step_distance(a: EmotionVector, b: EmotionVector) -> float:
    """How far apart two moods are on the valence/arousal plane."""
    return float(np.hypot(*np.subtract(a.valence_arousal(), b.valence_arousal())))
