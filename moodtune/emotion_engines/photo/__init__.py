"""The photo emotion engine: faces (CenterFace, else Haar) and their expressions (the
FER-2013 mini-Xception, else a smile cue), weighted by area; the scene's colours when no
face.

    engine = build_photo_engine(settings)
    reading = await engine.analyze(photo_bytes)       # or engine.analyze_sync(...)
    png = annotate_photo(photo_bytes, reading)        # boxes, labels and weights drawn

Unusable bytes raise PhotoInputError (a ValueError) with a sentence for the person.
"""

from moodtune.emotion_engines.photo.annotate import annotate_photo
from moodtune.emotion_engines.photo.decoding import PhotoInputError, decode_photo
from moodtune.emotion_engines.photo.engine import PhotoEngine, build_photo_engine

__all__ = ["PhotoEngine", "PhotoInputError", "annotate_photo", "build_photo_engine", "decode_photo"]
