"""Which language to answer in: the person's setting, else the message's script."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def reply_language(text: str, preferred: str | None = None) -> str:
    """'zh' or 'en'. A configured or platform language wins; otherwise Chinese text → zh."""
    if preferred and preferred != "auto":
        return "zh" if preferred.lower().startswith("zh") else "en"
    return "zh" if _CJK.search(text) else "en"
