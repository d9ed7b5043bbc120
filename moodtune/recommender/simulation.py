"""Offline evaluation: seeded synthetic people with hidden tastes rate what they are offered.

The world (all seeded):

- a catalog of tracks by artists, each artist in one genre; a genre leans to some of the
  7 emotion groups, a track's vector leans to one group; every track has a hidden quality;
  artists' sizes follow a Zipf law (`ARTIST_ZIPF`), as in real catalogs: the biggest has
  a few percent of all tracks, the 1 % biggest about a sixth (the demo catalog: one
  artist 7.7 %, the 1 % biggest 16 %), the typical one two or three;
- people, each with a usual mood, 2 loved genres, 2 disliked genres and 4 favourite
  artists in the genres they love (all unknown to the recommender), and a mode: some
  prefer to be lifted and say so (/mode lift), the rest want their mood matched;
- rounds: in each, every person feels a mood (mostly their usual one), the engines read it
  with noise, the recommender answers with k tracks, and the person gives each a 👍 or 👎
  with probability sigmoid(base + quality + loved genre + favourite artist − disliked genre
  − fit × distance from what they wanted to hear). Someone who prefers a lift wants the
  iso-principle: the first track near how they feel, each next one a step toward content.

Two recommenders face exactly the same people and moods: plain nearest neighbours (the
k tracks nearest to the target mood of each slot, outside the repeat window) and the
re-ranker (`ranking.recommend` with the person's taste, everyone's thumbs, Thompson
exploration and the artists of their last two replies resting, as the bot runs it).
Rounds are a day apart, so a mood does not carry over.

Besides the thumbs, a run counts how the offers spread over artists: replies that bring
back an artist of the person's two replies before (one they had not liked), and the
share of all offers that went to the 1 % biggest artists, against their share of the
catalog (`Tally.concentration`: 1.0 means offered as often as their size alone says).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from moodtune.emotion import DIM, GROUPS, INDEX, EmotionVector
from moodtune.recommender import modes
from moodtune.recommender.prior import GlobalPrior
from moodtune.recommender.ranking import Listener, Pick, candidates, recommend
from moodtune.recommender.taste import Taste
from moodtune.recommender.tracks import CatalogIndex, TrackInfo

GENRES = (
    "pop", "rock", "folk", "jazz", "electronic", "classical", "hip hop", "r&b", "metal",
    "ambient",
)  # fmt: skip
GROUP_IDS = tuple(GROUPS)
GROUP_MEMBERS = [np.array([INDEX[c] for c in GROUPS[g][2]]) for g in GROUP_IDS]

# The hidden rating model, in log-odds of a 👍.
BASE = -0.3
LOVED_GENRE = 1.7
DISLIKED_GENRE = -1.8
FAVOURITE_ARTIST = 1.6
QUALITY_SPREAD = 0.8
FIT = 5.0  # log-odds lost per unit of distance from the mood the person wanted
USUAL_MOOD = 0.7  # how often a person feels their usual mood
READING_NOISE = 0.25  # share of a reading that is the engines' noise
LIFT_SHARE = 0.3  # of the people, those who prefer being lifted
FAVOURITE_SHARE = 10  # one in this many artists of the genres a person loves is a favourite
ARTIST_ZIPF = 0.7  # artist sizes ∝ 1 / rank^ARTIST_ZIPF
RESTING_REPLIES = 2  # as the bot: an artist of the last two replies rests unless liked
BIG_ARTISTS = 0.01  # "the biggest artists": this share of all artists, by catalog size


@dataclass(frozen=True)
class World:
    catalog: CatalogIndex
    quality: dict[int, float]  # hidden log-odds per track, the same for everyone


@dataclass
class SimPerson:
    id: int
    mode: str
    usual: int  # index into GROUP_IDS
    loved: frozenset[str]
    disliked: frozenset[str]
    favourites: frozenset[str]
    votes: list[tuple[TrackInfo, int]] = field(default_factory=list)
    window: deque[int] = field(default_factory=deque)
    replies: deque[frozenset[str]] = field(default_factory=lambda: deque(maxlen=RESTING_REPLIES))


@dataclass(frozen=True)
class Settings:
    people: int = 200
    rounds: int = 50
    tracks: int = 10_000
    artists: int = 1600
    k: int = 5
    window: int = 200
    max_per_artist: int = 2
    seed: int = 2024


@dataclass
class Tally:
    """What one recommender did, round by round."""

    ups: list[int] = field(default_factory=list)
    offers: list[int] = field(default_factory=list)
    repeats: int = 0  # offers of a track within the person's repeat window
    crowded: int = 0  # replies with more than max_per_artist tracks by one artist
    distinct_artists: list[float] = field(default_factory=list)  # per reply, mean per round
    offered: set[int] = field(default_factory=set)
    offered_by_round: list[int] = field(default_factory=list)  # catalog coverage so far
    artist_returns: int = 0  # replies with an artist of the person's last two, not liked
    by_artist: Counter[str] = field(default_factory=Counter)  # offers per artist

    def rate(self, first: int, last: int | None = None) -> float:
        """Thumbs-up rate in one round, or over rounds first..last (1-based, inclusive)."""
        last = first if last is None else last
        ups, offers = sum(self.ups[first - 1 : last]), sum(self.offers[first - 1 : last])
        return ups / max(1, offers)

    def coverage(self, catalog_size: int, rounds: int) -> float:
        """The share of the catalog offered to someone within the first `rounds` rounds."""
        return self.offered_by_round[rounds - 1] / catalog_size

    def concentration(self, catalog: CatalogIndex) -> tuple[float, float]:
        """(share of all offers by the BIG_ARTISTS biggest artists, their catalog share)."""
        sizes = catalog.artist_tracks.most_common()
        big = {name for name, _ in sizes[: max(1, round(BIG_ARTISTS * len(sizes)))]}
        offers = sum(self.by_artist.values())
        offered = sum(n for name, n in self.by_artist.items() if name in big) / max(1, offers)
        in_catalog = sum(n for name, n in sizes if name in big) / max(1, len(catalog))
        return offered, in_catalog


def _group_vector(rng: np.random.Generator, group: int, lean: float) -> np.ndarray:
    """A vector `lean` of which sits in one group's categories, the rest anywhere."""
    inside = np.zeros(DIM)
    inside[GROUP_MEMBERS[group]] = rng.dirichlet(np.ones(len(GROUP_MEMBERS[group])))
    return lean * inside + (1 - lean) * rng.dirichlet(np.full(DIM, 0.3))


def make_world(settings: Settings) -> World:
    rng = np.random.default_rng([settings.seed, 0])
    genre_lean = rng.dirichlet(np.full(len(GROUP_IDS), 0.7), size=len(GENRES))
    artist_genre = rng.integers(len(GENRES), size=settings.artists)
    sizes = 1 / np.arange(1, settings.artists + 1) ** ARTIST_ZIPF
    artist_of = rng.choice(settings.artists, size=settings.tracks, p=sizes / sizes.sum())
    tracks, quality = [], {}
    for track_id in range(1, settings.tracks + 1):
        artist = int(artist_of[track_id - 1])
        genre = int(artist_genre[artist])
        group = int(rng.choice(len(GROUP_IDS), p=genre_lean[genre]))
        vector = _group_vector(rng, group, 0.75)
        tracks.append(
            TrackInfo(
                track_id, f"Track {track_id}", (f"Artist {artist}",), vector,
                (GROUP_IDS[group],), GENRES[genre],
            )
        )  # fmt: skip
        quality[track_id] = float(rng.normal(0, QUALITY_SPREAD))
    return World(CatalogIndex(tracks), quality)


def make_people(world: World, settings: Settings) -> list[SimPerson]:
    rng = np.random.default_rng([settings.seed, 1])
    by_genre: dict[str, set[str]] = {g: set() for g in GENRES}
    for track in world.catalog.tracks.values():
        by_genre[track.genre].update(track.artists)
    people = []
    for number in range(settings.people):
        genres = rng.permutation(len(GENRES))
        loved = frozenset(GENRES[g] for g in genres[:2])
        artists = sorted(set().union(*(by_genre[g] for g in loved)))
        favourites = rng.choice(artists, size=len(artists) // FAVOURITE_SHARE, replace=False)
        people.append(
            SimPerson(
                id=number,
                mode="lift" if rng.random() < LIFT_SHARE else "match",
                usual=int(rng.integers(len(GROUP_IDS))),
                loved=loved,
                disliked=frozenset(GENRES[g] for g in genres[2:4]),
                favourites=frozenset(favourites.tolist()),
            )
        )
    return people


def feel(rng: np.random.Generator, person: SimPerson) -> tuple[EmotionVector, EmotionVector]:
    """(how the person feels, what the engines read of it)."""
    usual = rng.random() < USUAL_MOOD
    group = person.usual if usual else int(rng.integers(len(GROUP_IDS)))
    mood = _group_vector(rng, group, 0.8)
    noise = rng.dirichlet(np.ones(DIM))
    return EmotionVector(mood), EmotionVector((1 - READING_NOISE) * mood + READING_NOISE * noise)


def wanted(person: SimPerson, mood: EmotionVector, k: int) -> list[EmotionVector]:
    """What the person wants to hear, track by track: their true mood, or a lift from it."""
    return modes.queries(person.mode, mood, k)


def thumbs_up_probability(
    world: World, person: SimPerson, track: TrackInfo, want: EmotionVector
) -> float:
    log_odds = BASE + world.quality[track.id] - FIT * np.linalg.norm(track.vector - want.values)
    log_odds += LOVED_GENRE * (track.genre in person.loved)
    log_odds += DISLIKED_GENRE * (track.genre in person.disliked)
    log_odds += FAVOURITE_ARTIST * any(a in person.favourites for a in track.artists)
    return float(1 / (1 + np.exp(-log_odds)))


Policy = Callable[[SimPerson, EmotionVector, np.random.Generator], list[Pick]]


def nearest_policy(world: World, settings: Settings) -> Policy:
    """Plain nearest neighbours: for each slot the nearest track not offered yet; no taste,
    no crowd, no exploration, no artist limit, nothing for or against any artist."""

    def pick(person: SimPerson, reading: EmotionVector, rng: np.random.Generator) -> list[Pick]:
        queries = modes.queries(person.mode, reading, settings.k)
        picks: list[Pick] = []
        taken: set[int] = set()
        for slot in candidates(world.catalog, queries, set(person.window)):
            for track_id, distance in zip(
                slot.track_ids.tolist(), slot.distances.tolist(), strict=True
            ):
                if track_id not in taken:
                    taken.add(track_id)
                    track = world.catalog.tracks[track_id]
                    picks.append(Pick(track, distance, -distance, "", slot.query))
                    break
        return picks

    return pick


def reranker_policy(world: World, settings: Settings, prior: GlobalPrior) -> Policy:
    """The re-ranker as the bot runs it, over the person's votes and everyone's thumbs,
    the artists of their last replies resting."""

    def pick(person: SimPerson, reading: EmotionVector, rng: np.random.Generator) -> list[Pick]:
        listener = Listener.of(recent_artists=frozenset().union(*person.replies))
        return recommend(
            world.catalog, reading, settings.k, Taste.from_votes(person.votes),
            set(person.window), settings.max_per_artist, mode=person.mode, prior=prior, rng=rng,
            listener=listener,
        )  # fmt: skip

    return pick


def simulate(
    world: World, settings: Settings, policy: Policy, prior: GlobalPrior | None = None
) -> Tally:
    """Run every round for every person; the same seeds give the same moods to any policy."""
    people = make_people(world, settings)
    tally = Tally()
    for round_number in range(1, settings.rounds + 1):
        ups = offers = 0
        artists_per_reply = []
        for person in people:
            feelings = np.random.default_rng([settings.seed, 2, round_number, person.id])
            judging = np.random.default_rng([settings.seed, 3, round_number, person.id])
            exploring = np.random.default_rng([settings.seed, 4, round_number, person.id])
            mood, reading = feel(feelings, person)
            picks = policy(person, reading, exploring)
            want = wanted(person, mood, settings.k)
            artists = [a for p in picks for a in p.track.artists]
            artists_per_reply.append(len(set(artists)))
            if artists and max(artists.count(a) for a in artists) > settings.max_per_artist:
                tally.crowded += 1
            tally.artist_returns += _returns(person, set(artists))
            tally.by_artist.update(a.casefold() for a in artists)
            person.replies.append(frozenset(a.casefold() for a in artists))
            for chosen, hoped in zip(picks, want, strict=False):
                track = chosen.track
                tally.repeats += track.id in person.window
                liked = judging.random() < thumbs_up_probability(world, person, track, hoped)
                value = 1 if liked else -1
                person.votes.append((track, value))
                if prior is not None and chosen.mood is not None:
                    prior.add(track.id, chosen.mood.values, value)
                person.window.append(track.id)
                if len(person.window) > settings.window:
                    person.window.popleft()
                tally.offered.add(track.id)
                ups += liked
                offers += 1
        tally.ups.append(ups)
        tally.offers.append(offers)
        tally.distinct_artists.append(float(np.mean(artists_per_reply)))
        tally.offered_by_round.append(len(tally.offered))
    return tally


def _returns(person: SimPerson, artists: set[str]) -> bool:
    """Whether a reply brings back an artist of the person's last replies they had not liked."""
    if not person.replies:
        return False
    heard = frozenset().union(*person.replies) & {a.casefold() for a in artists}
    if not heard:
        return False
    taste = Taste.from_votes(person.votes)
    return any(taste.affinity(f"artist:{name}") <= 0 for name in heard)


def compare(settings: Settings) -> tuple[World, Tally, Tally]:
    """(world, plain nearest neighbours' tally, the re-ranker's tally)."""
    world = make_world(settings)
    nearest = simulate(world, settings, nearest_policy(world, settings))
    prior = GlobalPrior()
    reranked = simulate(world, settings, reranker_policy(world, settings, prior), prior)
    return world, nearest, reranked
