"""From a mood to a short list of tracks: nearest neighbours, re-ranked with feedback.

1. Candidates: for each target mood of the reply (the mood itself, or the steps of a
   response: see modes.py) the exact nearest tracks, leaving out what the person disliked
   and what they were offered within the repeat window.
2. Scores, in log-odds of a 👍 (the units of a logistic model, so evidence adds up):
   closeness to the target mood; the person's affinity for the track's artists, genre,
   tags and language; everyone's thumbs on the track in similar moods; a small bonus for
   a track they liked before; a lead for tracks in the listener's languages (`Listener`:
   the message's language `MESSAGE_LANGUAGE` log-odds, the person's `PERSON_LANGUAGE`) —
   a lead, not a filter, so a song much nearer the mood in another language still wins,
   and the person's own thumbs on a language add to it or take it away; and a little
   less for a track by one of the catalog's biggest artists (`ARTIST_SIZE_WEIGHT`), who
   would otherwise be near every mood. Affinities and the crowd's verdict are Beta
   posteriors, relative to the person's (or the crowd's) usual rate of 👍, so what nobody
   rated yet counts 0. With an `rng` the crowd's verdict is drawn from its posterior
   (Thompson sampling): tracks few people rated are uncertain, so the long tail gets
   tried now and then while tracks known to please win most of the time. Without an
   `rng` the posterior means are used: no exploration, fully reproducible.
3. Picks: slot by slot, the best-scoring candidate not picked yet, at most
   `max_per_artist` tracks per artist in one reply, and none by an artist of the person's
   last two replies (`Listener.recent_artists`) unless they liked that artist; only when
   a slot has no other candidate left does that rule give way.

The functions here are pure: storage loads the taste, the window and the crowd's thumbs,
this module decides. The offline simulation runs the very same functions.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from moodtune.emotion import EmotionVector
from moodtune.recommender import modes
from moodtune.recommender.explain import Reasons, explain
from moodtune.recommender.prior import PRIOR_VOTES, GlobalPrior
from moodtune.recommender.prior import effects as crowd_effects
from moodtune.recommender.taste import Taste, labels_of
from moodtune.recommender.tracks import CatalogIndex, TrackInfo, primary_language

# The weights below were chosen with the offline simulation (recommender/simulation.py).
POOL_PER_PICK = 20  # candidates looked at per track asked for
MIN_POOL = 100
# A track 0.1 further from the target mood (Euclidean, on the simplex, where neighbours
# are 0.02–0.1 apart) must be about one log-odds unit likelier to please to win.
DISTANCE_WEIGHT = 10.0
# An artist's thumbs are also its genre's: the two are not independent evidence.
LABEL_WEIGHTS = {"artist": 0.5, "genre": 1.0, "tag": 0.3, "language": 1.0}
CROWD_WEIGHT = 0.4  # everyone's thumbs count, more weakly than the person's own
LIKED_BONUS = 0.5
# Languages lead softly: a track 0.15 nearer the mood outweighs the message's language,
# 0.225 the message's and the person's together (leads for one language add up).
MESSAGE_LANGUAGE = 1.5
PERSON_LANGUAGE = 0.75
WORDLESS = "zxx"  # an instrumental is in every language: half the lead
# The catalog's biggest artists would otherwise be near every mood (the demo catalog has
# 125 songs by one artist, most artists one to three): log-odds off per e-fold above the
# typical artist's size, so 125 songs against a typical 1 cost about 0.7 (a track 0.07
# nearer the mood outweighs it): offered about as often as their size says, not more.
ARTIST_SIZE_WEIGHT = 0.15


@dataclass(frozen=True, slots=True)
class Listener:
    """Who a reply is for, beyond their taste: the languages their tracks lead with (code
    → log-odds), the artists of their last replies (case-folded), and what a reply says
    to them: the feeling it answers (a category code) and how (a response of modes.py)."""

    languages: Mapping[str, float] = field(default_factory=dict)
    recent_artists: frozenset[str] = frozenset()
    feeling: str = ""
    response: str = "match"

    @classmethod
    def of(
        cls,
        message_language: str | None = None,
        person_language: str | None = None,
        recent_artists: Iterable[str] = (),
        feeling: str = "",
        response: str = "match",
    ) -> Listener:
        """Leads for the message's and the person's language (primary subtags: zh-hans →
        zh), adding up when the two agree; recent artists case-folded."""
        leads: dict[str, float] = {}
        for code, lead in (
            (person_language, PERSON_LANGUAGE),
            (message_language, MESSAGE_LANGUAGE),
        ):
            code = primary_language(code)
            if code:
                leads[code] = leads.get(code, 0.0) + lead
        artists = frozenset(a.casefold() for a in recent_artists)
        return cls(leads, artists, feeling, response)


@dataclass(frozen=True, slots=True)
class Pick:
    track: TrackInfo
    distance: float
    score: float
    why: str
    mood: EmotionVector | None = None  # the mood (or the lift step) this track answers


@dataclass(frozen=True, slots=True, eq=False)
class Slot:
    """One track to pick: its target mood and the nearest candidates for it, nearest first
    (as arrays: a reply looks at ~100 candidates and picks a handful)."""

    query: EmotionVector
    track_ids: np.ndarray  # int64
    distances: np.ndarray  # float64, the index's metric


def candidates(
    catalog: CatalogIndex, queries: Sequence[EmotionVector], excluded: Collection[int] = ()
) -> list[Slot]:
    """A slot per query; queries that repeat (a match) share one search and one pool."""
    keys = [q.values.tobytes() for q in queries]
    found: dict[bytes, Slot] = {}
    slots = []
    for query, key in zip(queries, keys, strict=True):
        if key not in found:
            pool = max(MIN_POOL, POOL_PER_PICK * keys.count(key))
            found[key] = Slot(query, *catalog.index.nearest(query.values, pool, excluded))
        slot = found[key]  # a match repeats one query object: one Slot serves it
        slots.append(slot if slot.query is query else Slot(query, slot.track_ids, slot.distances))
    return slots


def candidate_ids(slots: Sequence[Slot]) -> list[int]:
    """Every slot's candidates once, in order of first appearance."""
    pools = {id(s.track_ids): s.track_ids for s in slots}  # a match's slots share one pool
    if len(pools) == 1:  # one search's ids are distinct already
        return next(iter(pools.values())).tolist()
    return list(dict.fromkeys(itertools.chain.from_iterable(p.tolist() for p in pools.values())))


def recommend(
    catalog: CatalogIndex,
    mood: EmotionVector,
    k: int,
    taste: Taste | None = None,
    recent: Collection[int] = (),
    max_per_artist: int = 2,
    language: str = "en",
    *,
    mode: str = "match",
    prior: GlobalPrior | None = None,
    rng: np.random.Generator | None = None,
    listener: Listener | None = None,
) -> list[Pick]:
    """Up to k tracks for `mood` in `mode`, in the order to play; fewer when the catalog
    runs out. The whole pipeline in memory (no person: taste and window as given)."""
    k = min(k, len(catalog))  # a k beyond the catalog would only build empty slots
    if mood.is_zero or k <= 0:
        return []
    taste = taste or Taste()
    plan = modes.plan(mode, mood, k)
    listener = answering(listener or Listener(), mood, plan.response)
    slots = candidates(catalog, plan.queries, set(recent) | taste.disliked)
    return rerank(catalog, slots, taste, prior, max_per_artist, language, rng, listener)


def answering(listener: Listener, mood: EmotionVector, response: str) -> Listener:
    """The listener, told which feeling the reply answers and how."""
    feeling = mood.top(1)[0][0] if not mood.is_zero else ""
    return Listener(listener.languages, listener.recent_artists, feeling, response)


def rerank(
    catalog: CatalogIndex,
    slots: Sequence[Slot],
    taste: Taste | None = None,
    prior: GlobalPrior | None = None,
    max_per_artist: int = 2,
    language: str = "en",
    rng: np.random.Generator | None = None,
    listener: Listener | None = None,
) -> list[Pick]:
    """One pick per slot (slots whose candidates ran out are skipped), in slot order."""
    taste = taste or Taste()
    prior = prior or GlobalPrior()
    listener = listener or Listener()
    personal = _personal(catalog, slots, taste)
    leads = _leads(catalog, slots, listener.languages)
    steps = len(slots) if len({s.query.values.tobytes() for s in slots}) > 1 else 1
    ranked: dict[bytes, _Ranked] = {}
    picks: list[Pick] = []
    per_artist: dict[str, int] = {}
    taken: set[int] = set()
    rested = _rested_artists(listener.recent_artists, taste)
    for step, slot in enumerate(slots):
        key = slot.query.values.tobytes()
        if key not in ranked:
            ranked[key] = _ranked(slot, personal, leads, prior, catalog.index.metric, rng)
        best = ranked[key]
        i = _first_allowed(best.ids, catalog, taken, per_artist, max_per_artist, rested)
        if i is None and rested:  # only artists heard just now are left: better than none
            i = _first_allowed(best.ids, catalog, taken, per_artist, max_per_artist)
        if i is None:
            continue
        track, j = catalog.tracks[best.ids[i]], best.order[i]
        alpha, beta = float(best.alpha[j]), float(best.beta[j])  # the crowd's posterior
        votes = alpha + beta - PRIOR_VOTES
        reasons = Reasons(
            *_affinities(taste, track), alpha / (alpha + beta), votes, step, steps,
            listener.response, listener.feeling,
        )  # fmt: skip
        why = explain(slot.query, track, reasons, language)
        distance, score = float(slot.distances[j]), float(best.scores[j])
        picks.append(Pick(track, distance, score, why, slot.query))
    return picks


def _rested_artists(recent: frozenset[str], taste: Taste) -> frozenset[str]:
    """The artists of the last replies the person did not like (so not offered again yet)."""
    if not recent:
        return recent
    return frozenset(a for a in recent if taste.affinity(f"artist:{' '.join(a.split())}") <= 0)


def _first_allowed(
    ids: list[int],
    catalog: CatalogIndex,
    taken: set[int],
    per_artist: dict[str, int],
    max_per_artist: int,
    rested: frozenset[str] = frozenset(),
) -> int | None:
    """The position of the best candidate not taken yet whose artists are neither at the
    limit nor resting (then taken, its artists counted), or None when none is left."""
    for i, track_id in enumerate(ids):
        if track_id in taken:
            continue
        names = [a.casefold() for a in catalog.tracks[track_id].artists]
        if any(per_artist.get(n, 0) >= max_per_artist for n in names):
            continue
        if rested and not rested.isdisjoint(names):
            continue
        taken.add(track_id)
        for name in names:
            per_artist[name] = per_artist.get(name, 0) + 1
        return i
    return None


def _affinities(taste: Taste, track: TrackInfo) -> tuple[float, float, float]:
    """The person's affinity for the track's artists, genre and tags (for the reasons)."""
    if not taste.counts:  # nothing rated: every label is as good as anything, 0
        return 0.0, 0.0, 0.0
    return taste.artist_affinity(track), taste.genre_affinity(track), taste.tag_affinity(track)


def _personal(catalog: CatalogIndex, slots: Sequence[Slot], taste: Taste) -> dict[int, float]:
    """Each candidate's log-odds of a 👍 from the person's taste, above their usual rate.

    Labels the person never rated add exactly 0, so only rated ones are looked up, and a
    person who rated nothing needs no look-up at all (an empty dict: 0 for every track)."""
    rated = taste.rated_effects
    if not rated and not taste.liked:
        return {}
    effects = {}
    for track_id in candidate_ids(slots):
        track = catalog.tracks[track_id]
        plan = _label_weights(track.artists, track.genre, track.tags, track.language)
        effect = sum(weight * rated[name] for name, weight in plan if name in rated)
        effects[track_id] = effect + (LIKED_BONUS if track_id in taste.liked else 0.0)
    return effects


def _leads(
    catalog: CatalogIndex, slots: Sequence[Slot], languages: Mapping[str, float]
) -> dict[int, float]:
    """Each candidate's lead (log-odds) for being in one of the listener's languages, less
    its artist's bigness (`ARTIST_SIZE_WEIGHT`); candidates with neither are left out."""
    wordless = max(languages.values()) / 2 if languages else 0.0
    leads = {}
    for track_id in candidate_ids(slots):
        lead = -ARTIST_SIZE_WEIGHT * catalog.artist_weights[track_id]
        if languages:
            language = catalog.languages[track_id]
            lead += wordless if language == WORDLESS else languages.get(language, 0.0)
        if lead:
            leads[track_id] = lead
    return leads


@functools.lru_cache(maxsize=1 << 18)  # every reply scores ~100 tracks
def _label_weights(
    artists: tuple[str, ...], genre: str, tags: tuple[str, ...], language: str = ""
) -> tuple[tuple[str, float], ...]:
    """A track's labels, each with its share of its kind's weight (tags are averaged)."""
    found = labels_of(artists, genre, tags, language)
    return tuple(
        (name, weight / len(found[kind]))
        for kind, weight in LABEL_WEIGHTS.items()
        for name in found[kind]
    )


@dataclass(frozen=True, slots=True, eq=False)
class _Ranked:
    """A slot's candidate ids best first, and where each stands in the slot (`order`) to
    read its score and the crowd's Beta posterior, in the slot's order, for the few picked."""

    ids: list[int]
    order: list[int]
    scores: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray


def _ranked(
    slot: Slot,
    personal: dict[int, float],
    leads: dict[int, float],
    prior: GlobalPrior,
    metric: str,
    rng: np.random.Generator | None,
) -> _Ranked:
    """The slot's candidates ordered by score (ties: lower id first)."""
    ids, distance = slot.track_ids, slot.distances
    if not len(ids):
        return _Ranked([], [], distance, distance, distance)
    if metric == "cosine":  # 1 − cos → the chord between unit vectors, a Euclidean length
        distance = np.sqrt(2 * distance)
    id_list = ids.tolist()
    alpha, beta, base = prior.posterior(id_list, slot.query)
    crowd = crowd_effects(alpha, beta, base, rng)
    taste = np.array([personal[t] for t in id_list]) if personal else np.zeros(len(ids))
    if leads:
        taste = taste + np.array([leads.get(t, 0.0) for t in id_list])
    scores = taste + CROWD_WEIGHT * crowd - DISTANCE_WEIGHT * distance
    order = np.lexsort((ids, -scores))
    return _Ranked(ids[order].tolist(), order.tolist(), scores, alpha, beta)
