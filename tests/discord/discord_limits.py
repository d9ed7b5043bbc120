"""What Discord refuses in a message the bot sends: its documented limits, checked the way
the API checks them, so a bot that overruns one gets the 400 Discord would give it.

https://discord.com/developers/docs/resources/message#create-message
https://discord.com/developers/docs/resources/message#embed-object-embed-limits
https://discord.com/developers/docs/components/reference
"""

from __future__ import annotations

from typing import Any

MAX_CONTENT = 2000
MAX_EMBEDS = 10
EMBED_TOTAL = 6000
EMBED_FIELDS = 25
EMBED_LIMITS = {"title": 256, "description": 4096}
FIELD_LIMITS = {"name": 256, "value": 1024}
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
MAX_ROWS = 5
MAX_BUTTONS_PER_ROW = 5
MAX_CUSTOM_ID = 100
MAX_BUTTON_LABEL = 80
MAX_SELECT_OPTIONS = 25
MAX_OPTION_TEXT = 100
MAX_PLACEHOLDER = 150
UPLOAD_LIMIT = 10 * 1024 * 1024  # per file, for a server without boosts


class Invalid(ValueError):
    """A message Discord would refuse: `code` is Discord's JSON error code."""

    def __init__(self, message: str, code: int = 50035) -> None:
        super().__init__(message)
        self.code = code


def _embed_length(embed: dict[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for field in embed.get("fields") or []:
        total += len(field.get("name") or "") + len(field.get("value") or "")
    return total


def check_embeds(embeds: list[dict[str, Any]]) -> None:
    if len(embeds) > MAX_EMBEDS:
        raise Invalid(f"embeds: at most {MAX_EMBEDS}")
    for index, embed in enumerate(embeds):
        for key, limit in EMBED_LIMITS.items():
            if len(embed.get(key) or "") > limit:
                raise Invalid(f"embeds[{index}].{key}: at most {limit} characters")
        fields = embed.get("fields") or []
        if len(fields) > EMBED_FIELDS:
            raise Invalid(f"embeds[{index}].fields: at most {EMBED_FIELDS}")
        for number, field in enumerate(fields):
            for key, limit in FIELD_LIMITS.items():
                text = field.get(key) or ""
                if not text.strip():
                    raise Invalid(f"embeds[{index}].fields[{number}].{key}: required")
                if len(text) > limit:
                    raise Invalid(f"embeds[{index}].fields[{number}].{key}: at most {limit}")
        if len((embed.get("footer") or {}).get("text") or "") > FOOTER_TEXT:
            raise Invalid(f"embeds[{index}].footer.text: at most {FOOTER_TEXT}")
        if len((embed.get("author") or {}).get("name") or "") > AUTHOR_NAME:
            raise Invalid(f"embeds[{index}].author.name: at most {AUTHOR_NAME}")
    if sum(_embed_length(embed) for embed in embeds) > EMBED_TOTAL:
        raise Invalid(f"embeds: at most {EMBED_TOTAL} characters in all")


def _check_custom_id(custom_id: Any, where: str, seen: set[str]) -> None:
    if not isinstance(custom_id, str) or not 1 <= len(custom_id) <= MAX_CUSTOM_ID:
        raise Invalid(f"{where}.custom_id: 1 to {MAX_CUSTOM_ID} characters")
    if custom_id in seen:
        raise Invalid(f"{where}.custom_id: duplicated ({custom_id!r})")
    seen.add(custom_id)


def check_components(rows: list[dict[str, Any]]) -> None:
    if len(rows) > MAX_ROWS:
        raise Invalid(f"components: at most {MAX_ROWS} rows")
    seen: set[str] = set()
    for r, row in enumerate(rows):
        if row.get("type") != 1:
            raise Invalid(f"components[{r}]: an action row is expected")
        items = row.get("components") or []
        if not items:
            raise Invalid(f"components[{r}]: an action row needs a component")
        selects = [item for item in items if item.get("type") == 3]
        if selects and len(items) > 1:
            raise Invalid(f"components[{r}]: a select menu fills its row alone")
        if len(items) > MAX_BUTTONS_PER_ROW:
            raise Invalid(f"components[{r}]: at most {MAX_BUTTONS_PER_ROW} buttons")
        for c, item in enumerate(items):
            where = f"components[{r}].components[{c}]"
            if item.get("type") == 2:
                if len(item.get("label") or "") > MAX_BUTTON_LABEL:
                    raise Invalid(f"{where}.label: at most {MAX_BUTTON_LABEL} characters")
                if item.get("style") == 5:
                    if not item.get("url") or "custom_id" in item:
                        raise Invalid(f"{where}: a link button has a url and no custom_id")
                    continue
                _check_custom_id(item.get("custom_id"), where, seen)
            elif item.get("type") == 3:
                _check_custom_id(item.get("custom_id"), where, seen)
                options = item.get("options") or []
                if not 1 <= len(options) <= MAX_SELECT_OPTIONS:
                    raise Invalid(f"{where}.options: 1 to {MAX_SELECT_OPTIONS}")
                if len(item.get("placeholder") or "") > MAX_PLACEHOLDER:
                    raise Invalid(f"{where}.placeholder: at most {MAX_PLACEHOLDER} characters")
                values = [option.get("value") for option in options]
                if len(set(values)) != len(values):
                    raise Invalid(f"{where}.options: values must be unique")
                for option in options:
                    for key in ("label", "value"):
                        if not 1 <= len(option.get(key) or "") <= MAX_OPTION_TEXT:
                            raise Invalid(f"{where}.options.{key}: 1 to {MAX_OPTION_TEXT}")
            else:
                raise Invalid(f"{where}: unknown component type {item.get('type')!r}")


def check_message(payload: dict[str, Any], files: dict[str, bytes], editing: bool = False) -> None:
    """Raise Invalid for a message body Discord would refuse (an edit may omit fields)."""
    content = payload.get("content") or ""
    if len(content) > MAX_CONTENT:
        raise Invalid(f"content: at most {MAX_CONTENT} characters")
    embeds = payload.get("embeds") or []
    check_embeds(embeds)
    check_components(payload.get("components") or [])
    for name, data in files.items():
        if len(data) > UPLOAD_LIMIT:
            raise Invalid(f"{name}: request entity too large", code=40005)
    if not editing and not (content.strip() or embeds or files or payload.get("components")):
        raise Invalid("Cannot send an empty message", code=50006)
