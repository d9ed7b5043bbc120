"""What big and hostile photos cost in memory and time, and what stays resident after.

Each picture is decoded in a fresh child process (tests/photo/memory_probe.py), a few
times; the rows give the median and the largest peak of resident memory above what the
process held before, and the median time. The pictures are the issue's: a valid 97 KB
PNG of 1 × 49,999,999 pixels, a 7000 × 7000 16-bit grey PNG, an RGBA PNG at the
50-megapixel limit, and a burst of big photos on the engine's two workers, after which
the resident memory should be back where it was.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.table import Row

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "photo"))
from photo_samples import blank_png

PHOTO_TESTS = Path(__file__).resolve().parent.parent / "tests" / "photo"

CASES = {
    "PNG of 1 × 49,999,999 pixels (97 KB)": (lambda: blank_png(1, 49_999_999), 16.0),
    "16-bit grey PNG, 7000 × 7000": (lambda: blank_png(7000, 7000, "L", 16), 160.0),
    "RGBA PNG, 7071 × 7071 (the pixel limit)": (lambda: blank_png(7071, 7071, "RGBA"), 256.0),
}
RETAINED_TARGET_MB = 64.0


def _probe(kind: str, paths: list[Path]) -> list[dict]:
    root = str(PHOTO_TESTS.parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, str(PHOTO_TESTS)])}
    command = [sys.executable, str(PHOTO_TESTS / "memory_probe.py"), kind, *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def run(quick: bool = False) -> list[Row]:
    if not Path("/proc/self/clear_refs").exists():
        print("bench_photo_memory skipped: it reads peaks from Linux's /proc", file=sys.stderr)
        return []
    repeats = 3 if quick else 5
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        paths = {}
        for number, (case, (make, _)) in enumerate(CASES.items()):
            paths[case] = Path(directory) / f"{number}.png"
            paths[case].write_bytes(make())
        for case, (_, target) in CASES.items():
            runs = [result for _ in range(repeats) for result in _probe("decode", [paths[case]])]
            peaks = [result["peak_mb"] for result in runs]
            outcome = "refused" if "refused" in runs[0] else "decoded"
            name = f"photo memory: {case}"
            rows += [
                Row(name, f"{outcome}: peak, median of {repeats}", statistics.median(peaks),
                    "MB", f"<= {target:g} MB", max(peaks) <= target),
                Row(name, f"{outcome}: peak, largest of {repeats}", max(peaks), "MB"),
                Row(name, f"{outcome}: time, median", statistics.median(r["s"] for r in runs),
                    "s"),
            ]  # fmt: skip
        big = [paths[case] for case in list(CASES)[1:]]
        bursts = [_probe("burst", big * 2)[0] for _ in range(repeats)]
    retained = [burst["after_mb"] - burst["before_mb"] for burst in bursts]
    grown = [burst["peak_mb"] - burst["before_mb"] for burst in bursts]
    name = "photo memory: a burst of 4 big PNGs on 2 workers"
    rows += [
        Row(name, f"peak above the start, median of {repeats}", statistics.median(grown), "MB"),
        Row(name, f"still resident after, median of {repeats}", statistics.median(retained),
            "MB", f"<= {RETAINED_TARGET_MB:g} MB", max(retained) <= RETAINED_TARGET_MB),
        Row(name, f"still resident after, largest of {repeats}", max(retained), "MB"),
        Row(name, "time, median", statistics.median(burst["s"] for burst in bursts), "s"),
    ]  # fmt: skip
    return rows


if __name__ == "__main__":
    from benchmarks.table import render

    print(render(run()))
