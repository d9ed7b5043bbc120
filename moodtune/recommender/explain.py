"""One line on why a track was picked, in the reply's language: the feelings it shares (or
how it answers the feeling: soothe, encourage, release), the lift, its mood tags, taste,
the crowd."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from moodtune.catalog.mood_tags import tag_name
from moodtune.emotion import CATEGORIES, EmotionVector, describe
from moodtune.recommender.tracks import TrackInfo

LIKED = 0.15  # an affinity above this is worth mentioning
CROWD_LIKED = 0.65  # a posterior mean above this, on at least CROWD_VOTES similar thumbs
CROWD_VOTES = 3.0
# How a response answers the feeling it names (English, Chinese).
ANSWERS = {
    "soothe": ("to ease your {}", "缓解你的{}"),
    "encourage": ("to lift you out of {}", "帮你走出{}"),
    "release": ("to let your {} out", "释放你的{}"),
}


@dataclass(frozen=True, slots=True)
class Reasons:
    """What the re-ranker knew about a track (affinities −1..1, crowd as a probability)."""

    artist: float = 0.0
    genre: float = 0.0
    tag: float = 0.0
    crowd: float = 0.5
    crowd_votes: float = 0.0
    step: int = 0  # position in a lift (0 = matching the mood)
    steps: int = 1  # how many tracks the lift has; 1 for a match
    response: str = "match"  # how the reply answers the feeling (modes.RESPONSES)
    feeling: str = ""  # the category code of the person's strongest feeling


def explain(
    mood: EmotionVector, track: TrackInfo, reasons: Reasons = Reasons(), language: str = "en"
) -> str:
    zh = language.startswith("zh")
    answer = ANSWERS.get(reasons.response)
    if answer is not None and reasons.feeling:
        parts = [answer[1 if zh else 0].format(describe(reasons.feeling, language))]
    else:
        names = ("、" if zh else " & ").join(describe(c, language) for c in _shared(mood, track))
        if zh:
            parts = [f"契合你的{names}" if names else "情绪最接近"]
        else:
            parts = [f"fits your {names}" if names else "closest to your mood"]
    if answer is None and reasons.steps > 1 and reasons.step > 0:  # a lift
        where = f"{reasons.step + 1}/{reasons.steps}"
        parts.append(f"提升心情 第{where}步" if zh else f"lifting, step {where}")
    if track.tags:
        parts.append(("、" if zh else ", ").join(tag_name(t, language) for t in track.tags[:2]))
    taste = _taste(track, reasons, zh)
    if taste:
        parts.append(taste)
    if reasons.crowd_votes >= CROWD_VOTES and reasons.crowd >= CROWD_LIKED:
        parts.append("同样心情的人喜欢" if zh else "liked by others in this mood")
    return " · ".join(parts)


def _shared(mood: EmotionVector, track: TrackInfo) -> list[str]:
    """The (at most two) strongest feelings the mood and the track share."""
    shared = np.minimum(mood.values, track.vector)
    top = (-shared).argsort()[:2]
    return [
        CATEGORIES[i] for i, v in zip(top.tolist(), shared[top].tolist(), strict=True) if v > 0.02
    ]


def _taste(track: TrackInfo, reasons: Reasons, zh: bool) -> str:
    if reasons.artist > LIKED:
        return ("你喜欢过 " if zh else "you liked ") + track.artists[0]
    if reasons.genre > LIKED and track.genre:
        return f"你喜欢{track.genre}" if zh else f"you like {track.genre}"
    if reasons.tag > LIKED:
        return "你喜欢这类歌" if zh else "you like songs like this"
    return ""
