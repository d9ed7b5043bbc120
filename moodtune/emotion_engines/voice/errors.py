"""What goes wrong with a voice note, said in a sentence a person can act on."""

from __future__ import annotations

from moodtune.errors import InputError


class VoiceInputError(InputError):
    """A voice note that cannot be analysed: empty, too big, not audio, damaged."""


class DecoderUnavailableError(VoiceInputError):
    """The note needs ffmpeg (M4A, AAC, WebM, ...) and ffmpeg is not installed."""
