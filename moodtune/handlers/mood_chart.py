"""A person's mood over the last days as a PNG: one stacked bar of the 7 groups per day."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from moodtune.emotion import GROUPS, INDEX
from moodtune.handlers.messages import GROUP_EMOJI, group_name

DAYS = 30
GROUP_ORDER = tuple(GROUPS)
GROUP_COLOURS = {
    "happiness": "#f6c343", "goodness": "#7cc47f", "anger": "#d9534f", "sadness": "#5b7fbf",
    "fear": "#8e6bbf", "dislike": "#9c7a5b", "surprise": "#5bc0c4",
}  # fmt: skip
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")  # fmt: skip
CJK_FILES = re.compile(r"wqy|NotoSans(Mono)?CJK|NotoSansSC|SourceHanSans", re.IGNORECASE)
# Each group as a matrix row of 0/1 over the 21 categories: vector @ MEMBERS.T → 7 shares.
MEMBERS = np.array([[1.0 if code in GROUPS[g][2] else 0.0 for code in INDEX] for g in GROUP_ORDER])


@dataclass(frozen=True, slots=True)
class MoodPoint:
    at: datetime
    vector: np.ndarray  # 21 shares
    confidence: float


def daily_groups(points: Sequence[MoodPoint], today: date, days: int = DAYS) -> np.ndarray:
    """(days × 7) group shares per day, oldest day first; confidence-weighted; 0 when silent."""
    totals = np.zeros((days, len(GROUP_ORDER)))
    weights = np.zeros(days)
    first = today - timedelta(days=days - 1)
    for point in points:
        day = (point.at.date() - first).days
        if 0 <= day < days and point.confidence > 0:
            totals[day] += point.confidence * (MEMBERS @ np.asarray(point.vector, dtype=float))
            weights[day] += point.confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nan_to_num(totals / weights[:, None])


def overall_groups(points: Sequence[MoodPoint]) -> dict[str, float]:
    """Each group's confidence-weighted share over all the points."""
    weight = sum(p.confidence for p in points)
    if weight <= 0:
        return dict.fromkeys(GROUP_ORDER, 0.0)
    total = sum(p.confidence * (MEMBERS @ np.asarray(p.vector, dtype=float)) for p in points)
    return {g: float(s) for g, s in zip(GROUP_ORDER, total / weight, strict=True)}


def top_groups_line(points: Sequence[MoodPoint], language: str, n: int = 3) -> str:
    """'😢 sadness 45%, 😄 happiness 30%': the strongest groups, for the caption."""
    shares = sorted(overall_groups(points).items(), key=lambda item: -item[1])
    return ", ".join(
        f"{GROUP_EMOJI[g]} {group_name(g, language)} {s:.0%}" for g, s in shares[:n] if s > 0.01
    )


@functools.cache
def cjk_font() -> str | None:
    """The first of CJK_FONTS installed, for Chinese labels; None without one."""
    from matplotlib import font_manager

    def known() -> str | None:
        installed = {font.name for font in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS if name in installed), None)

    if (name := known()) is None:  # installed after matplotlib cached its list of fonts?
        for path in font_manager.findSystemFonts():
            if CJK_FILES.search(Path(path).name):
                font_manager.fontManager.addfont(path)
        name = known()
    return name


def render_mood_chart(
    points: Sequence[MoodPoint], language: str, today: date, days: int = DAYS
) -> bytes:
    """The PNG bytes of the chart of the `days` up to `today` (blocking: run it off the
    event loop).

    Uses matplotlib's object API with the Agg canvas, never pyplot: no global state, so
    charts can be drawn in worker threads. Chinese labels only when a CJK font is installed.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    labels_language = "zh" if language.startswith("zh") and font else "en"
    shares = daily_groups(points, today, days)
    dates = [today - timedelta(days=days - 1 - i) for i in range(days)]
    figure = Figure(figsize=(8, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bottom = np.zeros(days)
    for column, group in enumerate(GROUP_ORDER):
        axes.bar(range(days), shares[:, column], bottom=bottom, color=GROUP_COLOURS[group],
                 label=group_name(group, labels_language), width=0.85)  # fmt: skip
        bottom += shares[:, column]
    ticks = sorted({*range(0, days, 5 if days > 10 else 1), days - 1})
    axes.set_xticks(ticks, [dates[i].strftime("%m-%d") for i in ticks])
    axes.set_ylim(0, 1)
    axes.set_yticks([0, 0.5, 1], ["0%", "50%", "100%"])
    zh_title, en_title = f"心情（最近 {days} 天）", f"Your mood, last {days} days"
    axes.set_title(zh_title if labels_language == "zh" else en_title)
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    if font:
        for text in [axes.title, *axes.get_legend().get_texts()]:
            text.set_fontfamily(font)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
