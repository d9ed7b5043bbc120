"""Do the picks answer the message in front of them? A labelled set of conversations.

`labelled_conversations.json` holds short conversations in Chinese and English (mood
changes, neutral follow-ups, anxiety, love, anger, boredom, mixed language, emoji only,
long ones), each with the mood group its last answer should have and the language most
of that answer's tracks should be in. Both are judged from the catalog itself, not from
what the recommender believes: the group from the picks' mood tags (mood_tags.csv, each
track's tags normalised, then summed), the language from their `language` column.

Each conversation is one new person, met on the "local" platform with the labelled app
language, whose messages go through the real path: the engines read each message, and
`recommend_for_person` answers it (their mode the default, auto), on the bundled demo
catalog in a database of its own. Messages follow each other within seconds, as in a
chat. Exploration is seeded, so a seed gives the same run; several seeds show the spread.

Besides right or wrong, a run counts how often an artist came back within 3 consecutive
answers to one person (no one votes here, so no artist is liked), and how concentrated
the offers are on the catalog's biggest artists.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from moodtune.catalog.loader import ensure_demo_catalog
from moodtune.catalog.mood_tags import tags_vector
from moodtune.config import Settings
from moodtune.emotion import GROUPS, EmotionVector
from moodtune.emotion_engines.analysis import Engines, Inputs
from moodtune.emotion_engines.text.scripts import message_language
from moodtune.recommender.for_person import recommend_for_person
from moodtune.recommender.load import load_catalog
from moodtune.recommender.people import People
from moodtune.recommender.ranking import primary_language
from moodtune.recommender.tracks import CatalogIndex, TrackInfo
from moodtune.storage.db import make_engine, make_session_factory, upgrade

DATA_FILE = "labelled_conversations.json"
REST_WINDOW = 3  # answers in a row in which an artist should not come back
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class LabelledSetError(ValueError):
    """A labelled conversation that cannot be used (unknown group, no messages ...)."""


@dataclass(frozen=True, slots=True)
class Labelled:
    kind: str
    app: str  # the person's app language, e.g. "en", "zh-hans"
    messages: tuple[str, ...]
    group: str  # the mood group the last answer's picks should have
    language: str  # the language most of the last answer's picks should be in


@dataclass(frozen=True, slots=True)
class Outcome:
    labelled: Labelled
    answers: tuple[tuple[TrackInfo, ...], ...]  # every answer's tracks, in order

    @property
    def last(self) -> tuple[TrackInfo, ...]:
        return self.answers[-1] if self.answers else ()

    @property
    def group(self) -> str:
        return judged_group(self.last)

    @property
    def language(self) -> str:
        return judged_language(self.last)

    @property
    def right(self) -> bool:
        return self.group == self.labelled.group and self.language == self.labelled.language

    def artist_repeats(self) -> int:
        """Windows of REST_WINDOW consecutive answers in which an artist appears in two."""
        repeats = 0
        for start in range(max(0, len(self.answers) - REST_WINDOW + 1)):
            window = self.answers[start : start + REST_WINDOW]
            seen = Counter(a for answer in window for a in {x for t in answer for x in t.artists})
            repeats += any(count > 1 for count in seen.values())
        return repeats


def load_conversations(text: str | None = None) -> list[Labelled]:
    """The bundled labelled set (or the JSON `text`), checked."""
    if text is None:
        text = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    items = json.loads(text)["conversations"]
    found = []
    for number, item in enumerate(items, 1):
        labelled = Labelled(
            item["kind"], item["app"], tuple(item["messages"]), item["group"], item["language"]
        )
        if labelled.group not in GROUPS or not labelled.messages or not labelled.language:
            raise LabelledSetError(f"conversation {number} is not usable: {item}")
        found.append(labelled)
    return found


def judged_group(tracks: Sequence[TrackInfo]) -> str:
    """The strongest group of the tracks' mood tags, each track counting once ('' when no
    track has a known tag)."""
    total = np.zeros(len(EmotionVector.zero().values))
    for track in tracks:
        scores, _ = tags_vector(list(track.tags))
        if scores.sum() > 0:
            total += scores / scores.sum()
    if not total.any():
        return ""
    groups = EmotionVector(total).groups()
    return max(groups, key=groups.__getitem__)


def judged_language(tracks: Sequence[TrackInfo]) -> str:
    """The language most of the tracks are in ('' on a tie or for no tracks)."""
    counts = Counter(primary_language(t.language) for t in tracks).most_common(2)
    if not counts or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return ""
    return counts[0][0]


def reply_language(text: str, app: str) -> str:
    """The reply's language as the handlers choose it by default (handlers/language.py,
    which this layer may not import): Chinese for a message with a Chinese character,
    else the app's language."""
    if HAN.search(text):
        return "zh"
    return "zh" if primary_language(app) == "zh" else "en"


@dataclass(frozen=True, slots=True)
class Run:
    catalog: CatalogIndex
    outcomes: dict[int, list[Outcome]]  # by seed


async def run_conversations(
    settings: Settings, conversations: Sequence[Labelled], seeds: Sequence[int] = (0,)
) -> Run:
    """Every conversation once per seed, each by a new person, in a database of its own."""
    with tempfile.TemporaryDirectory(prefix="moodtune-eval-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'evaluation.db'}"
        upgrade(url)
        db = make_engine(url)
        sessions = make_session_factory(db)
        try:
            engines = Engines(settings)
            await ensure_demo_catalog(sessions, engines.text)
            catalog = await load_catalog(sessions, settings.distance)
            people = People(sessions, settings)
            try:
                outcomes = {
                    seed: [
                        await _converse(people, engines, catalog, settings, labelled, seed, n)
                        for n, labelled in enumerate(conversations)
                    ]
                    for seed in seeds
                }
            finally:
                await people.close()
        finally:
            await db.dispose()
    return Run(catalog, outcomes)


async def _converse(
    people: People,
    engines: Engines,
    catalog: CatalogIndex,
    settings: Settings,
    labelled: Labelled,
    seed: int,
    number: int,
) -> Outcome:
    person = await people.get("local", f"labelled-{seed}-{number}", language=labelled.app)
    answers = []
    for turn, text in enumerate(labelled.messages):
        reading = (await engines.analyze(Inputs(text=text))).fused
        answer = await recommend_for_person(
            people, person, reading, catalog, settings, reply_language(text, labelled.app),
            "labelled", message_language=message_language(text),
            rng=np.random.default_rng([seed, number, turn]),
        )  # fmt: skip
        if answer.picks:
            answers.append(tuple(pick.track for _, pick in answer.picks))
    return Outcome(labelled, tuple(answers))


def share_right(outcomes: Sequence[Outcome], kind: str | None = None) -> float:
    """The share of outcomes (of one kind, or all) that are right."""
    chosen = [o for o in outcomes if kind is None or o.labelled.kind == kind]
    return sum(o.right for o in chosen) / len(chosen) if chosen else 0.0


def kinds(outcomes: Sequence[Outcome]) -> list[str]:
    return list(dict.fromkeys(o.labelled.kind for o in outcomes))


@dataclass(frozen=True, slots=True)
class Concentration:
    """How the offers of a run spread over artists."""

    top_artist: str
    top_share: float  # of all offered tracks, those by the most offered artist
    top_catalog_share: float  # that artist's share of the catalog
    answers_with_top: float  # share of answers with at least one track by them


def concentration(outcomes: Sequence[Outcome], catalog: CatalogIndex) -> Concentration:
    answers = [answer for o in outcomes for answer in o.answers]
    offered = Counter(a for answer in answers for t in answer for a in t.artists)
    if not offered:
        return Concentration("", 0.0, 0.0, 0.0)
    top, count = offered.most_common(1)[0]
    total = sum(len(answer) for answer in answers)
    in_catalog = sum(top in t.artists for t in catalog.tracks.values()) / max(1, len(catalog))
    with_top = sum(any(top in t.artists for t in answer) for answer in answers) / len(answers)
    return Concentration(top, count / total, in_catalog, with_top)
