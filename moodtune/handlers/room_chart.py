"""A group chat's mood as a PNG: how many members feel each of the 7 groups, no names."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

from moodtune.handlers.messages import GROUP_EMOJI, group_name
from moodtune.handlers.mood_chart import GROUP_COLOURS, GROUP_ORDER, MEMBERS, cjk_font


def dominant_group(vector: np.ndarray) -> str:
    """The one of the 7 groups holding most of a mood (ties: the earlier group)."""
    return GROUP_ORDER[int(np.argmax(MEMBERS @ np.asarray(vector, dtype=float)))]


def room_counts(vectors: Iterable[np.ndarray]) -> dict[str, int]:
    """How many members feel each group, every group listed (0 when nobody does)."""
    found = Counter(dominant_group(v) for v in vectors)
    return {group: found[group] for group in GROUP_ORDER}


def room_line(counts: Mapping[str, int], language: str) -> str:
    """'😢 sadness 2 · 😄 happiness 1': the groups someone feels, the most felt first."""
    felt = sorted(((g, n) for g, n in counts.items() if n), key=lambda item: -item[1])
    return " · ".join(f"{GROUP_EMOJI[g]} {group_name(g, language)} {n}" for g, n in felt)


def render_room_chart(counts: Mapping[str, int], language: str) -> bytes:
    """The PNG bytes of one horizontal bar per group (blocking: run it off the event loop).
    matplotlib's object API and the Agg canvas, as the personal chart: safe in threads."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = cjk_font()
    labels_language = "zh" if language.startswith("zh") and font else "en"
    figure = Figure(figsize=(6, 3.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    order = list(reversed(GROUP_ORDER))  # the first group on top
    values = [counts.get(group, 0) for group in order]
    axes.barh(range(len(order)), values, color=[GROUP_COLOURS[g] for g in order], height=0.7)
    axes.set_yticks(range(len(order)), [group_name(g, labels_language) for g in order])
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(0, max(1, *values) + 0.5)
    total = sum(values)
    title = f"群里的心情（{total} 人）" if labels_language == "zh" else f"The room's mood ({total})"
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    if font:
        for text in [axes.title, *axes.get_yticklabels()]:
            text.set_fontfamily(font)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
