"""Offline evaluation of group playlists: seeded synthetic groups whose members have hidden
moods and tastes, served by each strategy and by plain averaging.

The world (all seeded):

- each member feels a mood from one of the 7 emotion groups, drawn independently, so a
  group's moods are diverse; the bot sees it through the engines' noise (READING_NOISE,
  as in simulation.py) and knows the member's language;
- each member loves two genres and dislikes two (of the catalog's most common ones), and
  likes tracks in their own language better; the bot knows only the thumbs they gave
  earlier (PAST_THUMBS tracks, judged by that hidden taste);
- a member's hidden utility for a track is the probability they would give it a 👍:
  sigmoid(BASE − FIT × distance from their true mood + LOVED / DISLIKED genre + LANGUAGE).

Member satisfaction with a list L of k tracks (Masthoff's normalised sum of ratings): the
sum of their hidden utilities over L divided by the sum over the k tracks of the whole
catalog they would have liked best — 1.0 means the list is as good for them as the best
list made for them alone. It uses nothing the strategies see (true moods, hidden tastes,
the hidden model's own weights), so no strategy is scored by its own yardstick.

Plain averaging is what a bot treating the room as one person would do: the members'
moods (as read) averaged into one, and the re-ranker's answer for that mood.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from moodtune.emotion import DIM, EmotionVector
from moodtune.recommender.groups import STRATEGIES, Member, attribute, group_playlist
from moodtune.recommender.ranking import recommend
from moodtune.recommender.simulation import GROUP_MEMBERS
from moodtune.recommender.taste import Taste
from moodtune.recommender.tracks import CatalogIndex

# The hidden rating model, in log-odds of a 👍.
BASE = 0.0
FIT = 5.0  # log-odds lost per unit of distance from the member's true mood
LOVED_GENRE = 1.5
DISLIKED_GENRE = -1.5
OWN_LANGUAGE = 0.8
READING_NOISE = 0.25  # share of a reading that is the engines' noise
MOOD_LEAN = 0.8  # share of a mood inside its emotion group
PAST_THUMBS = 15
COMMON_GENRES = 12  # loved and disliked genres come from the catalog's most common ones
LANGUAGES = (("zh", 0.45), ("en", 0.45), ("ja", 0.05), ("ko", 0.05))
PLAIN = "plain averaging"


@dataclass(frozen=True)
class SimMember:
    mood: np.ndarray  # how they truly feel
    reading: np.ndarray  # what the bot read of it
    loved: frozenset[str]
    disliked: frozenset[str]
    language: str
    taste: Taste


@dataclass(frozen=True)
class Settings:
    groups: int = 200
    smallest: int = 2
    largest: int = 30
    k: int = 10
    seed: int = 2025


@dataclass
class Outcome:
    """One list for one group: each member's satisfaction, the tracks for them, and how
    good each track is for the member it names (their utility ÷ their best track's)."""

    satisfaction: np.ndarray
    aimed: np.ndarray
    named_fit: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def lowest(self) -> float:
        return float(self.satisfaction.min())

    @property
    def jain(self) -> float:
        """Jain's fairness index over the members: 1 when all are equally satisfied."""
        s = self.satisfaction
        return float(s.sum() ** 2 / (len(s) * (s**2).sum())) if (s > 0).any() else 1.0

    @property
    def everyone_served(self) -> bool:
        return bool((self.aimed > 0).all())


@dataclass
class Results:
    sizes: list[int] = field(default_factory=list)
    outcomes: dict[str, list[Outcome]] = field(default_factory=dict)


def mood_vector(rng: np.random.Generator, group: int, lean: float = MOOD_LEAN) -> np.ndarray:
    """A vector `lean` of which sits in one emotion group's categories, the rest anywhere."""
    inside = np.zeros(DIM)
    inside[GROUP_MEMBERS[group]] = rng.dirichlet(np.ones(len(GROUP_MEMBERS[group])))
    return lean * inside + (1 - lean) * rng.dirichlet(np.full(DIM, 0.3))


class World:
    """The catalog with what the hidden model needs of it, as arrays."""

    def __init__(self, catalog: CatalogIndex) -> None:
        self.catalog = catalog
        self.ids = catalog.index.track_ids
        tracks = [catalog.tracks[t] for t in self.ids.tolist()]
        self.vectors = np.array([t.vector for t in tracks], dtype=np.float64)
        self.genre = np.array([t.genre for t in tracks])
        self.language = np.array([t.language for t in tracks])
        common = Counter(t.genre for t in tracks if t.genre).most_common(COMMON_GENRES)
        self.genres = [g for g, _ in common]

    def utility(self, member: SimMember) -> np.ndarray:
        """The member's hidden probability of a 👍 for every track, in index order."""
        distance = np.linalg.norm(self.vectors - member.mood, axis=1)
        logits = BASE - FIT * distance + OWN_LANGUAGE * (self.language == member.language)
        logits += LOVED_GENRE * np.isin(self.genre, list(member.loved))
        logits += DISLIKED_GENRE * np.isin(self.genre, list(member.disliked))
        return 1 / (1 + np.exp(-logits))

    def member(self, rng: np.random.Generator) -> SimMember:
        mood = mood_vector(rng, int(rng.integers(len(GROUP_MEMBERS))))
        noise = rng.dirichlet(np.ones(DIM))
        genres = rng.permutation(len(self.genres))
        codes, weights = zip(*LANGUAGES, strict=True)
        bare = SimMember(
            mood=mood,
            reading=(1 - READING_NOISE) * mood + READING_NOISE * noise,
            loved=frozenset(self.genres[g] for g in genres[:2]),
            disliked=frozenset(self.genres[g] for g in genres[2:4]),
            language=str(rng.choice(codes, p=weights)),
            taste=Taste(),
        )
        return replace(bare, taste=self._past_thumbs(rng, bare))

    def _past_thumbs(self, rng: np.random.Generator, member: SimMember) -> Taste:
        """Thumbs on tracks offered earlier, in moods of their own: judged by genre and
        language only (what a thumb teaches beyond the mood of the moment)."""
        rated = rng.choice(len(self.ids), size=PAST_THUMBS, replace=False)
        logits = OWN_LANGUAGE * (self.language[rated] == member.language)
        logits += LOVED_GENRE * np.isin(self.genre[rated], list(member.loved))
        logits += DISLIKED_GENRE * np.isin(self.genre[rated], list(member.disliked))
        ups = rng.random(PAST_THUMBS) < 1 / (1 + np.exp(-logits))
        tracks = self.catalog.tracks
        return Taste.from_votes(
            (tracks[int(self.ids[r])], 1 if up else -1) for r, up in zip(rated, ups, strict=True)
        )


def satisfaction(utility: np.ndarray, rows: np.ndarray, k: int) -> float:
    """Σ utility over the list ÷ Σ utility over the member's own best k of the catalog."""
    best = np.partition(utility, len(utility) - k)[len(utility) - k :].sum()
    return float(utility[rows].sum() / best) if len(rows) else 0.0


def evaluate(world: World, settings: Settings) -> Results:
    """Every strategy and plain averaging on the same groups."""
    rng = np.random.default_rng(settings.seed)
    position = {t: i for i, t in enumerate(world.ids.tolist())}
    results = Results(outcomes={name: [] for name in (*STRATEGIES, PLAIN)})
    for _ in range(settings.groups):
        size = int(rng.integers(settings.smallest, settings.largest + 1))
        people = [world.member(rng) for _ in range(size)]
        members = [Member(p.reading, p.taste, p.language) for p in people]
        utilities = [world.utility(p) for p in people]
        results.sizes.append(size)
        lists: dict[str, tuple[list[int], np.ndarray]] = {}  # track ids, member each is for
        for strategy in STRATEGIES:
            playlist = group_playlist(world.catalog, members, settings.k, strategy)
            lists[strategy] = ([p.track.id for p in playlist.picks],
                               np.array([p.for_member for p in playlist.picks]))  # fmt: skip
        room = EmotionVector.from_array(np.mean([p.reading for p in people], axis=0))
        plain = [p.track.id for p in recommend(world.catalog, room, settings.k)]
        lists[PLAIN] = (plain, attribute(world.catalog, members, plain, settings.k))
        for name, (ids, named) in lists.items():
            rows = np.array([position[t] for t in ids], dtype=np.int64)
            scores = np.array([satisfaction(u, rows, settings.k) for u in utilities])
            pairs = zip(named.tolist(), rows.tolist(), strict=True)
            fits = np.array([utilities[m][r] / utilities[m].max() for m, r in pairs])
            aimed = np.bincount(named.astype(np.int64), minlength=size)
            results.outcomes[name].append(Outcome(scores, aimed, fits))
    return results
