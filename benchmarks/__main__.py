"""Run every `benchmarks/bench_*.py` (or the ones named) and print one table.

    python -m benchmarks              # all of them
    python -m benchmarks text catalog # bench_text.py and bench_catalog.py
    python -m benchmarks --quick      # smaller sizes, for a smoke run
    python -m benchmarks fuzz --per-modality 500   # a benchmark's own option

Each benchmark runs in its own process, so one that loads torch (whose idle OpenMP
threads keep spinning) or fills caches does not slow the next one down. A benchmark may
declare options of its own (``OPTIONS``: flag → ``add_argument`` keywords; they reach its
``run`` as keyword arguments) and a line to print after the table (``last_line(rows)``).
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


def _run_here(name: str, quick: bool, options: dict[str, object]) -> None:
    """Run one benchmark in this process and print its rows (and last line) as JSON lines."""
    module = importlib.import_module(f"benchmarks.bench_{name}")
    rows = []
    for row in module.run(quick=quick, **options):
        rows.append(row)
        print(json.dumps(dataclasses.asdict(row)), flush=True)
    if hasattr(module, "last_line"):
        print(json.dumps({"last_line": module.last_line(rows)}), flush=True)


def _run_isolated(name: str, quick: bool, options: dict[str, object]) -> tuple[list[Row], str]:
    command = [sys.executable, "-m", "benchmarks", "--one", name, *(["--quick"] if quick else [])]
    command += ["--options", json.dumps(options)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    found = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    rows = [Row(**item) for item in found if "last_line" not in item]
    last = "".join(item["last_line"] for item in found if "last_line" in item)
    if done.returncode != 0:
        crashed = Row(name, "crashed (see stderr)", done.returncode, "exit code", "0", False)
        rows.append(crashed)
    return rows, last


def _add_own_options(parser: argparse.ArgumentParser, names: list[str]) -> dict[str, list[str]]:
    """Add the named benchmarks' own options to the parser; each benchmark's option names."""
    owned: dict[str, list[str]] = {}
    for name in names:
        declared = getattr(importlib.import_module(f"benchmarks.bench_{name}"), "OPTIONS", {})
        if declared:
            group = parser.add_argument_group(f"{name} options")
            for flag, keywords in declared.items():
                group.add_argument(flag, **keywords)
        owned[name] = [flag.lstrip("-").replace("-", "_") for flag in declared]
    return owned


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, add_help=False
    )  # help comes after the named benchmarks' own options are known
    parser.add_argument("-h", "--help", action="store_true", help="show this help and exit")
    parser.add_argument("names", nargs="*", help=f"which to run (default all): {_names()}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: a child process
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)  # the child's own
    args, extra = parser.parse_known_args()
    if args.one:
        _run_here(args.one, args.quick, json.loads(args.options))
        return 0
    owned: dict[str, list[str]] = {}
    if extra or (args.help and args.names):  # add the named benchmarks' options, parse again
        owned = _add_own_options(parser, [n for n in args.names or _names() if n in _names()])
        args = parser.parse_args()
    if args.help:
        parser.print_help()
        return 0
    unknown = set(args.names) - set(_names())
    if unknown:
        parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
    rows: list[Row] = []
    last_lines: list[str] = []
    for name in args.names or _names():
        print(f"running {name} ...", file=sys.stderr, flush=True)
        options = {dest: getattr(args, dest) for dest in owned.get(name, [])}
        options = {dest: value for dest, value in options.items() if value is not None}
        found, last = _run_isolated(name, args.quick, options)
        rows.extend(found)
        last_lines += [last] if last else []
    print(render(rows))
    for line in last_lines:
        print(line)
    return 1 if any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
