"""Which language to answer in: the setting, else the message's script, else the person's."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def language_for(setting: str, person_language: str | None, text: str = "") -> str:
    """'zh' or 'en' for one reply.

    A fixed setting (en, zh) wins. Otherwise Chinese words get a Chinese answer whatever
    the person's app language, and anything else follows their app language (zh-hans,
    zh-TW... → zh; everything else → en).
    """
    if setting in ("en", "zh"):
        return setting
    if _CJK.search(text):
        return "zh"
    return "zh" if (person_language or "").lower().startswith("zh") else "en"


def speech_language(setting: str, person_language: str | None, text: str = "") -> str | None:
    """What a voice note is probably spoken in, for choosing speech-to-text: Chinese when
    the reply will be Chinese, else the person's app language ('de-AT' → 'de'), else
    unknown (None)."""
    if language_for(setting, person_language, text) == "zh":
        return "zh"
    return (person_language or "").split("-")[0].split("_")[0].lower() or None
