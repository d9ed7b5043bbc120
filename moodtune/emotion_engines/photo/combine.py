"""One photo reading from its faces and its scene.

Each face weighs its share of the total face area × its own confidence (detection ×
expression), so the big face in front counts more than a small one behind. The scene's
colours are blended in by their confidence, at a quarter of it beside a readable face: a
face says far more about a feeling than the colours around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from moodtune.emotion import DIM, EmotionVector, describe
from moodtune.emotion_engines.photo.faces import Face
from moodtune.emotion_engines.reading import Evidence, Note, Reading

SCENE_SHARE_WITH_FACES: Final = 0.25
NO_FACE: Final = Note("photo_no_face", "no face found")
NOTHING_TO_READ: Final = Note("photo_nothing_to_read", "nothing to read in the picture")
FIRST_FRAME: Final = Note("photo_first_frame", "the first frame of an animated picture")


def face_part(face: Face, area_share: float, expression: Reading) -> Reading:
    """A face's sub-reading; evidence[0] holds its box (original pixels) for fusion and drawing."""
    located = Evidence(
        "face",
        area_share,
        (),
        {
            "box": list(face.box),
            "detection_confidence": round(face.confidence, 4),
            "area_share": round(area_share, 4),
            "expression_confidence": round(expression.confidence, 4),
        },
    )
    confidence = expression.confidence * face.confidence
    vector = expression.vector if confidence > 0 else EmotionVector.zero()
    return Reading(
        vector,
        confidence,
        (located, *expression.evidence),
        "photo",
        expression.engine,
        note=expression.note,
    )


def photo_reading(
    faces: Sequence[Reading], scene: Reading, *, engine: str, remark: str = ""
) -> Reading:
    """Faces by area share × confidence, the scene by its confidence, as one Reading."""
    face_weights = [part.evidence[0].detail["area_share"] * part.confidence for part in faces]
    faces_confidence = min(1.0, sum(face_weights))
    scene_weight = scene.confidence * (SCENE_SHARE_WITH_FACES if faces_confidence > 0 else 1.0)
    total = faces_confidence + scene_weight
    note = Note.join((_summary(faces), scene.note if scene.has_signal else "", remark))
    parts = (*faces, scene) if scene.has_signal else tuple(faces)
    if total <= 0:
        evidence = tuple(_face_evidence(n, part, 0.0) for n, part in enumerate(faces, 1))
        note = note or scene.note or NOTHING_TO_READ
        return Reading(EmotionVector.zero(), 0.0, evidence, "photo", engine, parts, note)
    values = np.zeros(DIM)
    for part, weight in zip(faces, face_weights, strict=True):
        values += part.vector.values * weight
    values += scene.vector.values * scene_weight
    evidence = [
        _face_evidence(n, part, weight / total)
        for n, (part, weight) in enumerate(zip(faces, face_weights, strict=True), 1)
    ]
    if scene.has_signal:
        evidence.append(_scene_evidence(scene, scene_weight / total))
    confidence = 1.0 - (1.0 - faces_confidence) * (1.0 - scene_weight)
    return Reading(
        EmotionVector(values / total), confidence, tuple(evidence), "photo", engine, parts, note
    )


def _face_evidence(number: int, part: Reading, weight: float) -> Evidence:
    if part.has_signal:
        top = part.vector.top(3)
        cue = part.evidence[1].label if len(part.evidence) > 1 else part.engine
        label = f"face {number}: {describe(top[0][0])} ({cue})"
        categories = tuple(code for code, _ in top)
    else:
        label, categories = f"face {number}: no expression read", ()
    return Evidence(label, weight, categories, part.evidence[0].detail)


def _scene_evidence(scene: Reading, weight: float) -> Evidence:
    colours = scene.evidence[0]
    return Evidence(f"scene {colours.label}", weight, colours.categories, colours.detail)


def _summary(faces: Sequence[Reading]) -> Note:
    if not faces:
        return NO_FACE
    read = sum(part.has_signal for part in faces)
    if len(faces) == 1:
        return Note("photo_one_face", f"1 face, {read} with a readable expression", read=read)
    text = f"{len(faces)} faces, {read} with a readable expression"
    return Note("photo_faces", text, count=len(faces), read=read)
