"""Which errors are the person's input and which are the host's setup."""

from __future__ import annotations

import importlib


class ConfigurationError(RuntimeError):
    """The host's setup is wrong (a missing lexicon file, a bad database URL); says the fix."""


# Each engine and importer has its own ValueError subclass for input it cannot use.
_INPUT_ERRORS = (
    ("moodtune.emotion_engines.text", "TextInputError"),
    ("moodtune.emotion_engines.photo", "PhotoInputError"),
    ("moodtune.emotion_engines.voice", "VoiceInputError"),
)


def input_error_types() -> tuple[type[BaseException], ...]:
    types: list[type[BaseException]] = []
    for module, name in _INPUT_ERRORS:
        try:
            types.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(types)


def is_input_error(error: BaseException) -> bool:
    return isinstance(error, input_error_types())
