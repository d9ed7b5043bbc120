"""The error classes every layer shares: the person's input, and the host's setup."""

from __future__ import annotations


class ConfigurationError(RuntimeError):
    """The host's setup is wrong (a missing lexicon file, a bad database URL); says the fix."""


class InputError(ValueError):
    """Input that cannot be used (empty text, a damaged photo, a silent voice note).

    Each engine raises its own subclass; its message is a sentence for the person, so the
    bots reply with it and the CLI prints it and exits with 2.
    """
