"""A neutral Reply (or what a press changed) as the JSON the page draws.

Data only, never markup: the page builds its DOM with textContent, so no title, artist or
message can become HTML or script. The mood is sent as numbers (bars and confidence drawn
by the page), with what each part of the message said; the text keeps only the lines the
mood card does not already show. A track's 👍 / 👎 travel with the track they belong to;
other buttons as rows under the reply. Attachments travel inline, base64-encoded.
"""

from __future__ import annotations

import base64
from typing import Any

from moodtune.emotion import describe
from moodtune.emotion_engines.reading import Reading
from moodtune.handlers.actions import Correct, Forget, ShowGroups, Vote
from moodtune.handlers.buttons import VOTED, action_of
from moodtune.handlers.mood_text import EMOJI, confidence_line, modality_lines, mood_lines
from moodtune.handlers.replies import (
    Attachment,
    Keyboard,
    OfferedTrack,
    PressOutcome,
    Reply,
)

KINDS = {Vote: "vote", ShowGroups: "groups", Correct: "correct", Forget: "forget"}
TOP_EMOTIONS = 3
MIN_SHARE = 0.05
LANGUAGES = ("en", "zh")
View = dict[str, Any]


def reply_view(reply: Reply, language: str) -> View:
    mood = _mood(reply.mood or reply.reading, reply.reading, language)
    return {
        "ok": reply.ok,
        "text": _text_beside(reply.text, reply.mood or reply.reading, reply.reading)
        if mood
        else reply.text,
        "mood": mood,
        "tracks": [_track(number, offered) for number, offered in enumerate(reply.tracks, 1)],
        "buttons": buttons_view(reply.buttons),
        "attachment": _attachment(reply.attachment) if reply.attachment else None,
    }


def outcome_view(outcome: PressOutcome, language: str) -> View:
    return {
        "notice": outcome.notice,
        "alert": outcome.alert,
        "buttons": None if outcome.buttons is None else buttons_view(outcome.buttons),
        "text": outcome.text,
        "follow_up": reply_view(outcome.follow_up, language) if outcome.follow_up else None,
    }


def buttons_view(keyboard: Keyboard) -> View:
    """`keyboard` as the page sends it back on a press, and where each button is drawn:
    a vote beside its track (by offer id), everything else in rows below."""
    by_offer: dict[str, list[View]] = {}
    rows: list[list[View]] = []
    for row in keyboard:
        below = []
        for button in row:
            action = action_of(button)  # decoded once: a reply has a dozen buttons
            view = {
                "label": button.label,
                "data": button.data,
                "kind": KINDS.get(type(action), ""),
                "chosen": button.label.endswith(VOTED),
            }
            if isinstance(action, Vote):
                by_offer.setdefault(str(action.recommendation_id), []).append(view)
            else:
                below.append(view)
        if below:
            rows.append(below)
    raw = [
        [{"label": b.label, "data": b.data, "keys": list(b.keys)} for b in row] for row in keyboard
    ]
    return {"keyboard": raw, "by_offer": by_offer, "rows": rows}


def _mood(mood: Reading | None, said: Reading | None, language: str) -> View | None:
    """The card: the mood the tracks follow as bars, and what each part of this message
    said (`said`; the mood may be an earlier one when this message said little)."""
    if mood is None or not mood.has_signal:
        return None
    bars = [
        {"emoji": EMOJI[code], "name": describe(code, language), "share": round(share, 4)}
        for code, share in mood.vector.top(TOP_EMOTIONS, minimum=MIN_SHARE)
    ]
    return {
        "bars": bars,
        "confidence": round(mood.confidence, 4),
        "parts": modality_lines(said, language) if said is not None else [],
    }


def _text_beside(text: str, mood: Reading | None, said: Reading | None) -> str:
    """`text` without the lines the mood card shows (in either language: the reply's own
    language follows its words, which this module does not see)."""
    assert mood is not None
    shown: set[str] = set()
    for language in LANGUAGES:
        shown.update(mood_lines(mood.vector, language))
        shown.add(confidence_line(mood.confidence, language))
        if said is not None:
            shown.update(modality_lines(said, language))
    return "\n".join(line for line in text.splitlines() if line not in shown)


def _track(number: int, offered: OfferedTrack) -> View:
    track = offered.track
    return {
        "number": number,
        "offer": str(offered.recommendation_id),
        "title": track.title,
        "artists": track.artist_line,
        "link": safe_link(track.link),
        "why": offered.why,
    }


def safe_link(url: str) -> str | None:
    """A catalog link the page may open: http(s) only (never javascript: or data:)."""
    cleaned = url.strip()
    if cleaned.lower().startswith(("https://", "http://")) and len(cleaned) <= 2000:
        return cleaned
    return None


def _attachment(attachment: Attachment) -> View:
    return {
        "filename": attachment.filename,
        "media_type": attachment.media_type,
        "image": attachment.is_image,
        "data": base64.b64encode(attachment.data).decode("ascii"),
    }
