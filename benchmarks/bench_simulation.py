"""The offline simulation: plain nearest neighbours against the re-ranker, round by round.

    python -m benchmarks.bench_simulation           # 200 people, 50 rounds (about a minute)
    python -m benchmarks.bench_simulation --quick   # 40 people, 20 rounds, 3,000 tracks
    python -m benchmarks simulation                 # the summary rows, with the other benchmarks

Seeded synthetic people with hidden tastes answer every offered track with 👍 or 👎 (see
moodtune/recommender/simulation.py for the world). Printed: the thumbs-up rate per round
of both recommenders, then the figures the issue sets, and last the ratio of the
re-ranker's thumbs-up rate to plain nearest neighbours' "after 20 rounds", taken over
rounds 16–20 so that one round's luck does not decide it. The targets are judged on the
full run only: the quick one is a smoke test with too few people to judge by.

Artist variety over time: replies that bring back an artist of the person's two replies
before (one they had not liked; the target is none), and artist concentration, the share
of all offers that went to the 1 % biggest artists against their share of the catalog.
"""

from __future__ import annotations

import argparse
import sys
import time

from benchmarks.table import Row, render
from moodtune.recommender.simulation import Settings, Tally, compare
from moodtune.recommender.tracks import CatalogIndex

AFTER = 20  # the "after 20 rounds"
SPAN = 5  # rounds the rate "after 20 rounds" is taken over: 16–20
TARGET_RATIO = 1.5
TARGET_COVERAGE = 0.30
SHOWN_ROUNDS = (1, 2, 3, 5, 10, 15, 20, 30, 40, 50)


def settings(quick: bool) -> Settings:
    if quick:  # fewer people offer fewer tracks: a smaller catalog keeps coverage comparable
        return Settings(people=40, rounds=AFTER, tracks=3000, artists=480)
    return Settings()


def ratio_after(nearest: Tally, reranked: Tally, rounds: int = AFTER) -> float:
    first = max(1, rounds - SPAN + 1)
    return reranked.rate(first, rounds) / max(1e-9, nearest.rate(first, rounds))


def concentration_rows(nearest: Tally, reranked: Tally, catalog: CatalogIndex) -> list[Row]:
    """The 1 % biggest artists: their share of the offers, and of the catalog."""
    near, in_catalog = nearest.concentration(catalog)
    rows = [
        Row("simulation", "1 % biggest artists: share of the catalog", 100 * in_catalog, "%"),
        Row("simulation", "1 % biggest artists: share of offers, nearest", 100 * near, "%"),
    ]
    offered, _ = reranked.concentration(catalog)
    ratio = offered / max(in_catalog, 1e-9)
    rows.append(Row("simulation", "1 % biggest artists: share of offers, re-ranker",
                    100 * offered, "%"))  # fmt: skip
    rows.append(Row("simulation", "  re-ranker offers ÷ catalog share", ratio, "×"))
    return rows


def summary(
    nearest: Tally,
    reranked: Tally,
    catalog_size: int,
    rounds: int,
    judged: bool = True,
    catalog: CatalogIndex | None = None,
) -> list[Row]:
    """The figures; `judged` compares them with the issue's targets (set for the full run)."""
    after = min(AFTER, rounds)
    first = max(1, after - SPAN + 1)
    ratio = ratio_after(nearest, reranked, after)
    coverage = reranked.coverage(catalog_size, after)
    span = f"rounds {first}–{after}"
    rows = [
        Row("simulation", f"nearest neighbours thumbs-up rate, {span}",
            nearest.rate(first, after), ""),
        Row("simulation", f"re-ranker thumbs-up rate, {span}", reranked.rate(first, after), ""),
        Row("simulation", f"re-ranker ÷ nearest, {span}", ratio, "×",
            f">= {TARGET_RATIO:g}", ratio >= TARGET_RATIO),
        Row("simulation", f"repeats inside the window, {rounds} rounds", reranked.repeats, "",
            "0", reranked.repeats == 0),
        Row("simulation", f"catalog offered to someone, {after} rounds", 100 * coverage, "%",
            f">= {TARGET_COVERAGE:.0%}", coverage >= TARGET_COVERAGE),
        Row("simulation", f"catalog offered, nearest neighbours, {after} rounds",
            100 * nearest.coverage(catalog_size, after), "%"),
        Row("simulation", "replies with > 2 tracks by one artist", reranked.crowded, "",
            "0", reranked.crowded == 0),
        Row("simulation", "replies bringing back an artist of the 2 before, not liked",
            reranked.artist_returns, "", "0", reranked.artist_returns == 0),
        Row("simulation", "  the same, nearest neighbours", nearest.artist_returns, ""),
        Row("simulation", f"distinct artists per reply, round {rounds}",
            reranked.distinct_artists[-1], ""),
    ]  # fmt: skip
    if rounds > after:
        span = f"rounds {rounds - SPAN + 1}–{rounds}"
        rows += [
            Row("simulation", f"nearest neighbours thumbs-up rate, {span}",
                nearest.rate(rounds - SPAN + 1, rounds), ""),
            Row("simulation", f"re-ranker thumbs-up rate, {span}",
                reranked.rate(rounds - SPAN + 1, rounds), ""),
            Row("simulation", f"catalog offered to someone, {rounds} rounds",
                100 * reranked.coverage(catalog_size, rounds), "%"),
        ]  # fmt: skip
    if catalog is not None:
        rows += concentration_rows(nearest, reranked, catalog)
    if not judged:
        rows = [Row(r.benchmark, r.case, r.value, r.unit) for r in rows]
    return rows


def rounds_table(nearest: Tally, reranked: Tally, catalog_size: int) -> str:
    """Thumbs-up rate per round (all people) and the re-ranker's coverage so far."""
    header = "round | nearest | re-ranker | ratio | coverage"
    lines = [header, "-" * len(header)]
    for n in (r for r in SHOWN_ROUNDS if r <= len(reranked.ups)):
        a, b = nearest.rate(n), reranked.rate(n)
        coverage = reranked.coverage(catalog_size, n)
        ratio = b / max(a, 1e-9)
        lines.append(f"{n:>5} | {a:>7.3f} | {b:>9.3f} | {ratio:>5.2f} | {coverage:>8.0%}")
    return "\n".join(lines)


def run(quick: bool = False) -> list[Row]:
    chosen = settings(quick)
    world, nearest, reranked = compare(chosen)
    return summary(nearest, reranked, len(world.catalog), chosen.rounds, not quick, world.catalog)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_simulation")
    parser.add_argument("--quick", action="store_true", help="40 people, 20 rounds, 3k tracks")
    quick = parser.parse_args().quick
    chosen = settings(quick)
    started = time.perf_counter()
    world, nearest, reranked = compare(chosen)
    elapsed = time.perf_counter() - started
    print(
        f"{chosen.people} people, {chosen.rounds} rounds, {len(world.catalog):,} tracks, "
        f"{chosen.k} tracks per reply, seed {chosen.seed} ({elapsed:.0f} s)\n"
    )
    print(rounds_table(nearest, reranked, len(world.catalog)))
    print()
    rows = summary(nearest, reranked, len(world.catalog), chosen.rounds, not quick, world.catalog)
    print(render(rows))
    print(f"thumbs-up ratio after {AFTER} rounds: {ratio_after(nearest, reranked):.2f}")
    return 1 if any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
