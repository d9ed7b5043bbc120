"""A playlist for a group chat: every candidate scored for every member, combined so that
nobody is left far away, each track naming the member it is mainly for.

Scores. For member m and candidate track t, the log-odds that m would give t a 👍:

    L[m, t] = FIT − DISTANCE_WEIGHT · (d[m, t] − d*[m]) + taste[m, t] + language[m, t]

`d` is the distance from m's mood to the track and `d*` the distance to m's nearest
candidate, so each member's best track starts at FIT wherever their mood sits in the
catalog: a mood that few tracks fit does not make its member "miserable" with everything.
`taste` is their thumbs in the re-ranker's units (ranking.LABEL_WEIGHTS over the Beta
affinities of taste.py, LIKED_BONUS for a track they liked); `language` adds
LANGUAGE_MATCH for a track in their language. A member's score is S = sigmoid(L).

A track is *for* the member it fits best relative to the best any candidate offers them
(the largest L[m, t] − max L[m, ·]; members within TIE of that share it), by the same rule
for every strategy; when it is several members' track, it goes to the one with the fewest
tracks so far.

Strategies, after Masthoff's group recommendation strategies (J. Masthoff, "Group
Recommender Systems: Combining Individual Models", in Recommender Systems Handbook,
Springer 2011, pp. 677–702):

- "average": the tracks with the highest mean score;
- "least-misery": the tracks with the highest lowest score (ties: the higher mean);
- "fair" (the default): *average without misery* first drops the tracks that leave any
  member below MISERY (when fewer than SURVIVORS_PER_SLOT per slot remain, the line moves
  down to the tracks whose worst-off member fares best; each member keeps their own
  least-miserable few), then the *product* of the members' scores decides, in turns.
  Each track goes to the member the list has served least so far (the fewest tracks for
  them, then the lowest share of their best score), and among that member's tracks the
  one with the highest product Π_m (A[m] + S[m, t]) wins, A[m] being the scores the list
  has already given member m. For the first track that is the plain product of the
  scores; later it favours whoever the list has served least (the Nash product, taken
  from one track to a list). A pick that would take the last remaining track of someone
  still without one (directly, or through the per-artist limit) is passed over when the
  member whose turn it is has another.

Candidates are each member's nearest tracks and the room mood's, from the catalog index,
minus the group's recent window and every member's disliked tracks. Everything is numpy
over (members × candidates) matrices: a 100-member group on the bundled catalog costs
about 10 ms (`python -m benchmarks groups`).
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
from scipy import sparse

from moodtune.emotion import DIM
from moodtune.recommender.ranking import DISTANCE_WEIGHT, LABEL_WEIGHTS, LIKED_BONUS
from moodtune.recommender.taste import Taste, labels_of
from moodtune.recommender.tracks import CatalogIndex, TrackInfo, primary_language

Strategy = Literal["fair", "average", "least-misery"]
STRATEGIES: Final[tuple[Strategy, ...]] = ("fair", "average", "least-misery")

FIT: Final = 1.5  # log-odds of a 👍 for a member's nearest track (≈ 0.82)
LANGUAGE_MATCH: Final = 0.5  # a track in the member's language, in log-odds
# Misery: more than 0.3 further than their nearest track (≈ 3 log-odds units), i.e. a
# score under ≈ 0.18 for a member without thumbs.
MISERY: Final = FIT - DISTANCE_WEIGHT * 0.3
SURVIVORS_PER_SLOT: Final = 4  # relax misery until this many tracks per slot remain
SURVIVORS_PER_MEMBER: Final = 3  # and each member keeps this many of their own tracks
TIE: Final = 0.05  # log-odds: a track fitting two members this equally is either's
POOL_PER_MEMBER: Final = 20  # nearest tracks per member (more when the list is longer)
ROOM_POOL: Final = 100  # nearest tracks to the room's mean mood
FULL_SCAN_CELLS: Final = 1_000_000  # members × tracks up to which the catalog is scanned whole
NO_LANGUAGE: Final = ("", "zxx")  # unknown, or no words (instrumental): fits everyone


class GroupError(ValueError):
    """A group that cannot be served: an unknown strategy or a malformed member mood."""


@dataclass(frozen=True, slots=True)
class Member:
    """One member as the recommender sees them: their mood in this group (21 shares),
    their thumbs, and their language ('en', 'zh', ... or '' when unknown). Results refer
    to members by their position in the list given."""

    mood: np.ndarray
    taste: Taste = field(default_factory=Taste)
    language: str = ""


@dataclass(frozen=True, slots=True)
class GroupPick:
    track: TrackInfo
    for_member: int  # index into the members, the one the track is mainly for
    scores: np.ndarray  # every member's score S (0..1)


@dataclass(frozen=True, slots=True)
class Playlist:
    strategy: Strategy
    picks: list[GroupPick]
    fit: np.ndarray  # per member: Σ S over the list ÷ Σ of their best len(list) candidates
    aimed: np.ndarray  # per member: how many tracks are for them
    room_mood: np.ndarray  # the members' moods averaged (the room chart, the votes' mood)


def group_playlist(
    catalog: CatalogIndex,
    members: Sequence[Member],
    k: int,
    strategy: Strategy = "fair",
    recent: Collection[int] = (),
    max_per_artist: int = 2,
) -> Playlist:
    """Up to k tracks for the members, in play order; fewer when the catalog runs out."""
    if strategy not in STRATEGIES:
        raise GroupError(f"unknown strategy {strategy!r}; choose {', '.join(STRATEGIES)}")
    moods = _moods(members)
    room = moods.mean(axis=0) if len(members) else np.zeros(DIM)
    empty = Playlist(strategy, [], np.zeros(len(members)), np.zeros(len(members), int), room)
    if not members or k <= 0 or len(catalog) == 0:
        return empty
    arrays = _arrays(catalog)
    excluded = set(recent).union(*(m.taste.disliked for m in members))
    scored = _score(catalog, arrays, members, moods, k, excluded)
    if not len(scored.rows):
        return empty
    chooser = _Chooser(arrays, scored.rows, max_per_artist)
    if strategy == "fair":
        chosen = _fair(scored, min(k, len(scored.rows)), chooser)
    else:
        chosen = _ranked(scored, strategy, k, chooser)
    picks = [
        GroupPick(catalog.tracks[int(arrays.ids[scored.rows[c]])], m, scored.scores[:, c])
        for c, m in chosen
    ]
    columns = [c for c, _ in chosen]
    scores = scored.scores
    best = -_within_rows(-scores, len(columns)).sum(axis=1)  # their best len(list) scores
    fit = scores[:, columns].sum(axis=1) / np.maximum(best, 1e-12)
    aimed = np.bincount([m for _, m in chosen], minlength=len(members))
    return Playlist(strategy, picks, fit, aimed, room)


def attribute(
    catalog: CatalogIndex, members: Sequence[Member], track_ids: Sequence[int], k: int = 10
) -> np.ndarray:
    """For a list picked some other way (the evaluation's plain averaging): the member each
    track is for, by the rule group_playlist names them with (same candidates and scores;
    among the members a track fits equally, the one with the fewest tracks so far). Tracks
    not in the catalog are left out."""
    moods = _moods(members)
    arrays = _arrays(catalog)
    wanted = arrays.rows_of(np.asarray(track_ids, dtype=np.int64))
    scored = _score(catalog, arrays, members, moods, k, set(), also=wanted)
    columns = np.searchsorted(scored.rows, wanted)
    counts = np.zeros(len(members), dtype=int)
    aimed = []
    for column in columns.tolist():
        member = _least_served(np.flatnonzero(scored.own[:, column]), counts)
        counts[member] += 1
        aimed.append(member)
    return np.array(aimed, dtype=np.int64)


def _least_served(owners: np.ndarray, counts: np.ndarray) -> int:
    return int(owners[np.argmin(counts[owners])])  # ties: the earlier member


def _moods(members: Sequence[Member]) -> np.ndarray:
    """The members' moods as rows summing to 1; GroupError for anything else."""
    problem = f"a member's mood must be {DIM} finite, non-negative numbers"
    try:
        rows = [np.asarray(m.mood, dtype=np.float64) for m in members]
    except (TypeError, ValueError):
        raise GroupError(problem) from None
    if any(r.shape != (DIM,) or not np.isfinite(r).all() or (r < 0).any() for r in rows):
        raise GroupError(problem)
    moods = np.array(rows).reshape(-1, DIM)
    sums = moods.sum(axis=1, keepdims=True)
    if (sums <= 0).any():
        raise GroupError("a member without a mood cannot be counted")
    return moods / sums


@dataclass(frozen=True, slots=True, eq=False)
class _Scored:
    """The candidates (catalog rows, sorted) and every member's view of them."""

    rows: np.ndarray
    logits: np.ndarray  # L, members × candidates
    scores: np.ndarray  # S = sigmoid(L)
    own: np.ndarray  # bool: the track is the member's (fits them best, relatively, or ties)


def _score(
    catalog: CatalogIndex,
    arrays: _CatalogArrays,
    members: Sequence[Member],
    moods: np.ndarray,
    k: int,
    excluded: set[int],
    also: np.ndarray | None = None,
) -> _Scored:
    rows, distance = _candidates(catalog, arrays, moods, k, excluded, also)
    if not len(rows):
        nothing = np.zeros((len(members), 0))
        return _Scored(rows, nothing, nothing, nothing.astype(bool))
    logits = FIT - DISTANCE_WEIGHT * (distance - distance.min(axis=1, keepdims=True))
    logits += _taste(arrays, members, rows)
    spoken = np.array([arrays.language_code(m.language) for m in members])
    logits += LANGUAGE_MATCH * (arrays.language[rows][None, :] == spoken[:, None])
    relative = logits - logits.max(axis=1, keepdims=True)
    own = relative >= relative.max(axis=0, keepdims=True) - TIE
    return _Scored(rows, logits, 1 / (1 + np.exp(-logits)), own)


def _candidates(
    catalog: CatalogIndex,
    arrays: _CatalogArrays,
    moods: np.ndarray,
    k: int,
    excluded: set[int],
    also: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's and the room's nearest tracks outside `excluded` (catalog rows,
    sorted, with `also` added), and every member's distance to each.

    A small catalog is scanned whole in one product (members × tracks); a big one asks
    the index once per member, for more than needed to make up for the excluded."""
    queries = arrays.prepare(np.vstack([moods, moods.mean(axis=0)]))
    pool, room_pool = max(POOL_PER_MEMBER, 2 * k), max(ROOM_POOL, 4 * k)
    banned = arrays.rows_of(np.fromiter(excluded, dtype=np.int64, count=len(excluded)))
    extra = np.empty(0, dtype=np.int64) if also is None else also
    if len(queries) * len(arrays.ids) <= FULL_SCAN_CELLS:
        squared = _squared(queries, arrays, slice(None))
        squared[:, banned] = np.inf
        near = _within(squared[:-1], pool).any(axis=0) | _within(squared[-1:], room_pool)[0]
        near[extra] = True
        near[banned] = np.isin(banned, extra)  # a banned track only when asked for
        rows = np.flatnonzero(near)
    else:
        found = [catalog.index.nearest(q, pool + len(banned))[0] for q in moods]
        found.append(catalog.index.nearest(moods.mean(axis=0), room_pool + len(banned))[0])
        rows = np.union1d(np.setdiff1d(arrays.rows_of(np.concatenate(found)), banned), extra)
    distance = np.sqrt(np.maximum(_squared(queries[:-1], arrays, rows), 0.0))
    return rows, distance


def _within(squared: np.ndarray, n: int) -> np.ndarray:
    """Per row, which columns are among its n smallest (ties too; all when n ≥ width)."""
    if n >= squared.shape[1]:
        return np.ones(squared.shape, dtype=bool)
    return squared <= np.partition(squared, n - 1, axis=1)[:, n - 1 : n]


def _within_rows(values: np.ndarray, n: int) -> np.ndarray:
    """Per row, its n smallest values (any order)."""
    if n >= values.shape[1]:
        return values
    return np.partition(values, n - 1, axis=1)[:, :n]


def _squared(queries: np.ndarray, arrays: _CatalogArrays, rows: np.ndarray | slice) -> np.ndarray:
    """Squared distances from each query to the tracks at `rows`, from precomputed norms."""
    squared = queries @ arrays.vectors[rows].T
    squared *= -2
    squared += np.einsum("ij,ij->i", queries, queries)[:, None]
    squared += arrays.sq_norms[rows][None, :]
    return squared


def _taste(arrays: _CatalogArrays, members: Sequence[Member], rows: np.ndarray) -> np.ndarray:
    """taste[m, t]: the members' label effects through the catalog's label matrix, and the
    bonus for tracks they liked. Members who rated nothing cost nothing."""
    names: list[str] = []
    values: list[float] = []
    raters: list[int] = []
    liked: list[int] = []
    likers: list[int] = []
    for column, member in enumerate(members):
        rated = member.taste.rated_effects
        names += rated
        values += rated.values()
        raters += [column] * len(rated)
        liked += member.taste.liked
        likers += [column] * len(member.taste.liked)
    taste = np.zeros((len(members), len(rows)))
    if names:
        index = np.fromiter((arrays.labels.get(n, -1) for n in names), np.int64, len(names))
        known = index >= 0  # labels of tracks no longer in the catalog count for nothing
        effects = np.zeros((len(arrays.labels), len(members)))
        effects[index[known], np.array(raters)[known]] = np.array(values)[known]
        taste += (arrays.label_weights[rows] @ effects).T
    if liked:
        found = np.fromiter((arrays.position.get(t, -1) for t in liked), np.int64, len(liked))
        where = np.minimum(np.searchsorted(rows, found), len(rows) - 1)
        inside = rows[where] == found  # a liked track that is a candidate
        np.add.at(taste, (np.array(likers)[inside], where[inside]), LIKED_BONUS)
    return taste


def _survivors(scored: _Scored, k: int) -> np.ndarray:
    """Average without misery: the tracks that leave no member below MISERY. When fewer
    than SURVIVORS_PER_SLOT per slot are left, the misery line moves down to the tracks
    whose worst-off member fares best; and each member keeps the SURVIVORS_PER_MEMBER of
    their own tracks whose worst-off member fares best, so nobody is left without one."""
    worst = scored.logits.min(axis=0)
    survivors = worst >= MISERY
    if survivors.sum() < SURVIVORS_PER_SLOT * k:
        survivors[np.argsort(-worst, kind="stable")[: SURVIVORS_PER_SLOT * k]] = True
    theirs = np.where(scored.own, worst, -np.inf)  # per member: their own tracks' worst
    kept = _within(-theirs, SURVIVORS_PER_MEMBER) & scored.own
    return survivors | kept.any(axis=0)


def _fair(scored: _Scored, k: int, chooser: _Chooser) -> list[tuple[int, int]]:
    """Average without misery, then the product of the members' scores, in turns:
    (candidate, member it is for) in play order."""
    scores, own = scored.scores, scored.own
    survivors = _survivors(scored, k)
    members = len(scores)
    best = scores.max(axis=1)
    served = np.zeros(members)  # A[m]: what the list has given them so far
    count = np.zeros(members, dtype=int)  # tracks for them so far
    chosen: list[tuple[int, int]] = []
    while len(chosen) < k:
        open_ = survivors & chooser.allowed
        if not open_.any():
            break
        left = (own & open_).sum(axis=1)  # each member's own tracks still open
        waiting = np.flatnonzero(left)
        # The fewest tracks so far, then the lowest share of their best score, then first.
        turn = int(waiting[np.lexsort((served[waiting] / best[waiting], count[waiting]))[0]])
        theirs = np.flatnonzero(open_ & own[turn])
        product = np.log(served[:, None] + scores[:, theirs]).sum(axis=0)
        ranked = theirs[np.argsort(-product, kind="stable")].tolist()
        # Someone still without a track keeps one to pick, when the turn allows it.
        needy = own[(count == 0) & (left > 0) & (np.arange(members) != turn)] & survivors
        pick = next((c for c in ranked if _leaves_one(needy, chooser.after(c))), ranked[0])
        chooser.take(pick)
        chosen.append((pick, turn))
        served += scores[:, pick]
        count[turn] += 1
    return chosen


def _leaves_one(needy: np.ndarray, allowed: np.ndarray) -> bool:
    """Whether every row of `needy` (members' open own tracks) keeps an allowed track."""
    return bool((needy & allowed).any(axis=1).all()) if len(needy) else True


def _ranked(
    scored: _Scored, strategy: Strategy, k: int, chooser: _Chooser
) -> list[tuple[int, int]]:
    """average / least-misery: one ranking of the candidates, taken in order."""
    scores = scored.scores
    mean = scores.mean(axis=0)
    if strategy == "average":
        order = np.argsort(-mean, kind="stable")
    else:
        order = np.lexsort((-mean, -scores.min(axis=0)))
    count = np.zeros(len(scores), dtype=int)
    chosen: list[tuple[int, int]] = []
    for candidate in order.tolist():
        if len(chosen) == k:
            break
        if chooser.allowed[candidate]:
            chooser.take(candidate)
            member = _least_served(np.flatnonzero(scored.own[:, candidate]), count)
            count[member] += 1
            chosen.append((candidate, member))
    return chosen


class _Chooser:
    """Which candidates may still be picked: not picked yet, and no artist of theirs at
    `max_per_artist` tracks in the list already."""

    def __init__(self, arrays: _CatalogArrays, rows: np.ndarray, max_per_artist: int) -> None:
        self.allowed = np.ones(len(rows), dtype=bool)
        self.max_per_artist = max_per_artist
        self._artists: list[tuple[str, ...]] = []
        self._by_artist: dict[str, list[int]] = {}
        for column, row in enumerate(rows.tolist()):
            names = arrays.artists[row]
            self._artists.append(names)
            for name in names:
                self._by_artist.setdefault(name, []).append(column)
        self._count: dict[str, int] = {}

    def after(self, column: int) -> np.ndarray:
        """What `allowed` would be after taking `column` (nothing changes)."""
        allowed = self.allowed.copy()
        allowed[column] = False
        for name in self._artists[column]:
            if self._count.get(name, 0) + 1 >= self.max_per_artist:
                allowed[self._by_artist[name]] = False
        return allowed

    def take(self, column: int) -> None:
        self.allowed[column] = False
        for name in self._artists[column]:
            self._count[name] = self._count.get(name, 0) + 1
            if self._count[name] >= self.max_per_artist:
                self.allowed[self._by_artist[name]] = False


@dataclass(frozen=True, eq=False)
class _CatalogArrays:
    """The catalog as arrays in the index's row order, built once per catalog: vectors
    (normalised as the index's metric wants), languages as small integers, artists, and
    every track's labels as a sparse (tracks × labels) matrix of the re-ranker's weights."""

    ids: np.ndarray
    vectors: np.ndarray
    sq_norms: np.ndarray
    cosine: bool
    position: dict[int, int]
    language: np.ndarray
    languages: dict[str, int]
    artists: list[tuple[str, ...]]
    labels: dict[str, int]
    label_weights: sparse.csr_array

    def rows_of(self, track_ids: np.ndarray) -> np.ndarray:
        position = self.position
        return np.fromiter(
            (position[t] for t in track_ids.tolist() if t in position), dtype=np.int64
        )

    def prepare(self, moods: np.ndarray) -> np.ndarray:
        if not self.cosine:
            return moods
        return moods / np.linalg.norm(moods, axis=1, keepdims=True)

    def language_code(self, language: str) -> int:
        """The member's language as a track language code; −1 (matches nothing) when
        unknown or not in the catalog."""
        code = primary_language(language)  # 'zh-hans' → 'zh', as the tracks' codes are
        if code in NO_LANGUAGE:
            return -1
        return self.languages.get(code, -1)


_CACHE: weakref.WeakKeyDictionary[CatalogIndex, _CatalogArrays] = weakref.WeakKeyDictionary()


def _arrays(catalog: CatalogIndex) -> _CatalogArrays:
    arrays = _CACHE.get(catalog)
    if arrays is None:
        arrays = _CACHE[catalog] = _build_arrays(catalog)
    return arrays


def _build_arrays(catalog: CatalogIndex) -> _CatalogArrays:
    index = catalog.index
    ids = index.track_ids
    tracks = [catalog.tracks[t] for t in ids.tolist()]
    vectors = index.vectors.astype(np.float64)
    languages: dict[str, int] = {}
    language = np.array(
        [
            -2 if code in NO_LANGUAGE else languages.setdefault(code, len(languages))
            for code in (catalog.languages[t.id] for t in tracks)  # 'zh-Hans' → 'zh'
        ],
        dtype=np.int64,
    ).reshape(-1)
    labels: dict[str, int] = {}
    rows, columns, weights = [], [], []
    for row, track in enumerate(tracks):
        found = labels_of(track.artists, track.genre, track.tags)
        for kind, weight in LABEL_WEIGHTS.items():
            for name in found[kind]:
                rows.append(row)
                columns.append(labels.setdefault(name, len(labels)))
                weights.append(weight / len(found[kind]))
    matrix = sparse.csr_array(
        (np.array(weights, dtype=np.float64), (np.array(rows, dtype=np.int64),
                                               np.array(columns, dtype=np.int64))),
        shape=(len(tracks), len(labels)),
    )  # fmt: skip
    return _CatalogArrays(
        ids=ids,
        vectors=vectors,
        sq_norms=np.einsum("ij,ij->i", vectors, vectors),
        cosine=index.metric == "cosine",
        position={t: i for i, t in enumerate(ids.tolist())},
        language=language,
        languages=languages,
        artists=[tuple(a.casefold() for a in t.artists) for t in tracks],
        labels=labels,
        label_weights=matrix,
    )
