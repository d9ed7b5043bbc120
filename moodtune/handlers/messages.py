"""What the bot says, in English and Chinese."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "no_signal": {
        "en": "I could not read a feeling in that. Tell me how you feel, "
        "for example “I feel calm” or “a bit sad today”.",
        "zh": "我没能读出你的情绪。可以直接告诉我你的感受，比如“我很平静”或“今天有点难过”。",
    },
    "no_tracks": {
        "en": "I have no more tracks for this mood right now. Try again later.",
        "zh": "这个心情下暂时没有更多的歌了，稍后再试吧。",
    },
    "tracks_header": {"en": "Tracks for you:", "zh": "给你的歌："},
    "vote_up": {"en": "Noted 👍: more like this.", "zh": "记下了 👍：会多推荐这样的歌。"},
    "vote_down": {"en": "Noted 👎: I won't offer it again.", "zh": "记下了 👎：不会再推荐它。"},
    "vote_unknown": {
        "en": "I can't find that track among the ones I offered you.",
        "zh": "在推荐给你的歌里找不到这首。",
    },
    "bad_input": {"en": "{reason}", "zh": "{reason}"},
}


def say(key: str, language: str, **values: str) -> str:
    table = MESSAGES[key]
    return table["zh" if language.startswith("zh") else "en"].format(**values)
