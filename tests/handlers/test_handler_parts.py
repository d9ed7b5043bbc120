"""The platform-neutral handlers' parts: the flood limit, file kinds, reply language,
the mood chart."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from PIL import Image

from moodtune.emotion import EmotionVector
from moodtune.handlers.documents import document_kind
from moodtune.handlers.language import language_for
from moodtune.handlers.mood_chart import (
    CJK_FILES,
    DAYS,
    MoodPoint,
    cjk_font,
    daily_groups,
    render_mood_chart,
    top_groups_line,
)
from moodtune.handlers.rate_limit import SWEEP_EVERY, Admission, PersonRateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_tells_once_then_stays_quiet_then_lets_go() -> None:
    clock = Clock()
    limit = PersonRateLimit(3, clock)
    assert [limit.admit("a") for _ in range(3)] == [Admission.ALLOWED] * 3
    assert limit.admit("a") is Admission.REFUSED_TELL
    assert limit.admit("a") is Admission.REFUSED_QUIETLY
    assert limit.admit("b") is Admission.ALLOWED  # one person's flood is theirs alone
    clock.now += 30
    assert limit.admit("a") is Admission.REFUSED_QUIETLY
    clock.now += 31  # a minute after the first message: room for one more
    assert limit.admit("a") is Admission.ALLOWED


def test_the_limit_can_be_off_and_forgets_quiet_people() -> None:
    assert all(PersonRateLimit(0).admit("a") is Admission.ALLOWED for _ in range(1000))
    clock = Clock()
    limit = PersonRateLimit(5, clock)
    for person in range(SWEEP_EVERY - 1):
        limit.admit(str(person))
    clock.now += 61
    limit.admit("last")  # the sweep runs here
    assert len(limit._times) == 1


@pytest.mark.parametrize(
    ("media_type", "name", "kind"),
    [
        ("image/jpeg", "x.bin", "photo"), ("image/png; charset=x", None, "photo"),
        (None, "Holiday.JPG", "photo"), ("audio/ogg", None, "voice"), ("audio/x-wav", "a", "voice"),
        ("application/octet-stream", "note.m4a", "voice"), ("application/ogg", None, "voice"),
        ("application/pdf", "report.pdf", None), ("video/mp4", "clip.mp4", None),
        ("image/svg+xml", "logo.svg", None), (None, None, None), ("", "", None),
    ],
)  # fmt: skip
def test_document_kinds(media_type: str | None, name: str | None, kind: str | None) -> None:
    assert document_kind(media_type, name) == kind


@pytest.mark.parametrize(
    ("setting", "person", "text", "language"),
    [
        ("auto", None, "I am sad", "en"), ("auto", None, "我很难过", "zh"),
        ("auto", "zh-hans", "I am sad", "zh"), ("auto", "en", "今天很开心", "zh"),
        ("auto", "de", "Ich bin traurig", "en"), ("en", "zh-hans", "我很难过", "en"),
        ("zh", "en", "happy", "zh"),
    ],
)  # fmt: skip
def test_reply_language(setting: str, person: str | None, text: str, language: str) -> None:
    assert language_for(setting, person, text) == language


def point(day: date, codes: dict[str, float], confidence: float, hour: int = 12) -> MoodPoint:
    at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    return MoodPoint(at, EmotionVector.from_scores(codes).values, confidence)


def test_daily_groups_weigh_by_confidence_and_keep_to_the_window() -> None:
    today = date(2025, 3, 31)
    points = [
        point(today, {"PA": 1}, 0.9),  # happiness
        point(today, {"NB": 1}, 0.3),  # sadness
        point(today - timedelta(days=DAYS), {"NA": 1}, 1.0),  # a day too old: left out
        point(today - timedelta(days=2), {"NI": 1, "NC": 1}, 0.5),  # fear
    ]
    shares = daily_groups(points, today)
    assert shares.shape == (DAYS, 7)
    assert shares[-1].tolist() == pytest.approx([0.75, 0, 0, 0.25, 0, 0, 0])
    assert shares[-3].tolist() == pytest.approx([0, 0, 0, 0, 1, 0, 0])
    assert not shares[:-3].any() and not shares[-2].any()
    recent = [p for i, p in enumerate(points) if i != 2]
    assert top_groups_line(recent, "en") == "😄 happiness 53%, 😨 fear 29%, 😢 sadness 18%"
    assert top_groups_line(recent, "zh").startswith("😄 乐 53%")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_chart_is_a_real_png(language: str) -> None:
    today = date(2025, 3, 31)
    rng = np.random.default_rng(3)
    points = [
        MoodPoint(
            datetime(2025, 3, 31, tzinfo=UTC) - timedelta(hours=int(h)),
            EmotionVector.from_array(rng.random(21)).values,
            0.8,
        )
        for h in rng.integers(0, 24 * 40, 80)
    ]
    png = render_mood_chart(points, language, today)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (800, 400)
    pixels = np.asarray(image.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 7  # bars in the group colours


def test_a_chinese_chart_is_drawn_in_a_chinese_font() -> None:
    """`make setup` installs fonts-wqy-microhei; matplotlib finds it even when its cached
    list of fonts predates the install, and no label falls back to missing glyphs."""
    from matplotlib import font_manager

    if not any(CJK_FILES.search(path) for path in font_manager.findSystemFonts()):
        pytest.skip("needs a Chinese font (apt-get install fonts-wqy-microhei)")
    assert cjk_font() is not None
    point = MoodPoint(
        datetime(2025, 3, 31, tzinfo=UTC), EmotionVector.from_scores({"PA": 1}).values, 1
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_mood_chart([point], "zh", date(2025, 3, 31))
    assert not [w for w in caught if "missing from font" in str(w.message)]
