"""moodtune: answers a feeling (words, a photo, a voice note) with music."""

__version__ = "0.1.0"
