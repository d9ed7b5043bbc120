"""Run every `benchmarks/bench_*.py` (or the ones named) and print one table.

    python -m benchmarks              # all of them
    python -m benchmarks text catalog # bench_text.py and bench_catalog.py
    python -m benchmarks --quick      # smaller sizes, for a smoke run

Each benchmark runs in its own process, so one that loads torch (whose idle OpenMP
threads keep spinning) or fills caches does not slow the next one down. A benchmark
whose issue asks for a last line (`last_line(rows)`) gets it printed after the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import pkgutil
import subprocess
import sys

import benchmarks
from benchmarks.table import Row, render


def _names() -> list[str]:
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules(benchmarks.__path__)
        if m.name.startswith("bench_")
    )


def _run_here(name: str, quick: bool) -> None:
    """Run one benchmark in this process and print its rows as JSON lines; then, for a
    benchmark whose issue asks for a last line (`last_line(rows)`), that line."""
    module = importlib.import_module(f"benchmarks.bench_{name}")
    rows = module.run(quick=quick)
    for row in rows:
        print(json.dumps(dataclasses.asdict(row)), flush=True)
    if hasattr(module, "last_line"):
        print(json.dumps({"last_line": module.last_line(rows)}), flush=True)


def _run_isolated(name: str, quick: bool) -> tuple[list[Row], list[str]]:
    command = [sys.executable, "-m", "benchmarks", "--one", name, *(["--quick"] if quick else [])]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    rows, last_lines = [], []
    for line in (line for line in done.stdout.splitlines() if line.startswith("{")):
        fields = json.loads(line)
        if "last_line" in fields:
            last_lines.append(fields["last_line"])
        else:
            rows.append(Row(**fields))
    if done.returncode != 0:
        crashed = Row(name, "crashed (see stderr)", done.returncode, "exit code", "0", False)
        rows.append(crashed)
    return rows, last_lines


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"which to run (default all): {_names()}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: a child process
    args = parser.parse_args()
    if args.one:
        _run_here(args.one, args.quick)
        return 0
    unknown = set(args.names) - set(_names())
    if unknown:
        parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
    rows: list[Row] = []
    last_lines: list[str] = []
    for name in args.names or _names():
        print(f"running {name} ...", file=sys.stderr, flush=True)
        found, lines = _run_isolated(name, args.quick)
        rows.extend(found)
        last_lines.extend(lines)
    print(render(rows))
    for line in last_lines:  # the lines issues ask to end the output with
        print(line)
    return 1 if any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
