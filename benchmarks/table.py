"""The row every benchmark returns, and the table they are printed in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    benchmark: str
    case: str
    value: float
    unit: str
    target: str = ""  # e.g. "<= 0.2 ms"; empty when the issue sets no figure
    ok: bool | None = None  # whether the target is reached; None when there is none


def render(rows: Iterable[Row]) -> str:
    header = ("benchmark", "case", "measured", "target", "reached")
    lines = [
        (
            r.benchmark,
            r.case,
            f"{r.value:,.3f} {r.unit}".rstrip(),
            r.target,
            "" if r.ok is None else ("yes" if r.ok else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    fmt = " | ".join(f"{{:<{w}}}" for w in widths)
    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([fmt.format(*header), rule, *(fmt.format(*line) for line in lines)])
