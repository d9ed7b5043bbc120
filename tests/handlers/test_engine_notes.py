"""Engine notes said in the person's language: every coded note has its sentences, joined
notes keep their codes, and a Chinese speaker never gets the engine's English."""

from __future__ import annotations

import ast
import copy
import io
import pickle
import re
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PIL import Image

import moodtune.emotion_engines
from moodtune.emotion_engines.reading import Note, note_parts
from moodtune.handlers.dispatch import Handlers
from moodtune.handlers.messages import MESSAGES
from moodtune.handlers.notes import note_text
from moodtune.handlers.replies import Sender

ENGINES = Path(moodtune.emotion_engines.__file__).parent
LATIN = re.compile(r"[A-Za-z]{2,}")
CHINESE = Sender("local", "zh-person", "李", "zh-hans")
ENGLISH = Sender("local", "en-person", "Ann", "en")


def coded_notes() -> dict[str, str]:
    """Every ``Note("code", "text", ...)`` the engines write, found in their source."""
    found = {}
    for path in ENGINES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Note"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found[node.args[0].value] = f"{path.name}:{node.lineno}"
    return found


def test_every_coded_note_has_an_english_and_a_chinese_sentence() -> None:
    codes = coded_notes()
    assert len(codes) >= 20  # the scan found the engines' notes
    for code, where in codes.items():
        assert set(MESSAGES.get(f"note_{code}", {})) == {"en", "zh"}, where
    unused = {key for key in MESSAGES if key.startswith("note_")} - {f"note_{c}" for c in codes}
    assert not unused


def test_joined_notes_are_said_part_by_part_and_values_are_said_too() -> None:
    faces = Note("photo_faces", "2 faces, 1 with a readable expression", count=2, read=1)
    light, colour = Note("photo_bright", "bright"), Note("photo_muted", "muted")
    colours = Note("photo_colours", "colours: bright, muted", light=light, colour=colour)
    joined = Note.join([faces, "", colours, faces])
    assert joined == "2 faces, 1 with a readable expression; colours: bright, muted"
    assert note_text(joined, "en") == joined
    assert note_text(joined, "zh") == "2 张人脸，1 张能读出表情；色调：明亮，素淡"


def test_sentences_run_on_when_joined() -> None:
    words = Note("text_no_feeling_words", "I found no feeling words I know.")
    joined = Note.join([words, Note("photo_no_face", "no face found")])
    assert note_text(joined, "en") == "I found no feeling words I know; no face found"
    assert note_text(joined, "zh") == "我没有找到认识的表达情绪的词；没有找到人脸"
    assert note_text(words, "zh") == "我没有找到认识的表达情绪的词。"


def test_a_remark_without_a_code_stays_english_only() -> None:
    mixed = Note.join([Note("photo_no_face", "no face found"), "a remark without a code"])
    assert note_text(mixed, "en") == "no face found; a remark without a code"
    assert note_text(mixed, "zh") == "没有找到人脸"
    assert note_text("plain", "zh") == "" and note_text("", "en") == ""


def test_numbers_in_notes_are_formatted_for_the_person() -> None:
    prosody = Note("voice_prosody", "…", valence=0.1234, arousal=-0.5)
    assert note_text(prosody, "en") == "from how you sound: valence +0.12, arousal -0.50"
    assert note_text(prosody, "zh") == "从你的声音听来：愉悦度 +0.12，唤醒度 -0.50"


def test_a_note_keeps_its_codes_when_copied_or_pickled() -> None:
    note = Note.join([Note("voice_neutral", "the voice sounds neutral"), "plain"])
    for copied in (pickle.loads(pickle.dumps(note)), copy.deepcopy(note)):
        assert isinstance(copied, Note) and copied == note
        assert note_parts(copied) == note_parts(note)


def png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


async def test_a_faceless_photo_is_answered_in_the_persons_language(handlers: Handlers) -> None:
    blank = png(Image.new("RGB", (640, 480), "black"))  # no face, one flat colour
    chinese = await handlers.conversation.on_photo(CHINESE, blank)
    assert not chinese.ok and chinese.text == "没有找到人脸"
    assert "no face found" in chinese.reading.note  # the engine's own words, for the CLI
    english = await handlers.conversation.on_photo(ENGLISH, blank)
    assert english.text == "no face found"


async def test_what_was_read_from_a_photo_is_explained_in_chinese(handlers: Handlers) -> None:
    from sklearn.datasets import load_sample_images

    landscape = png(Image.fromarray(load_sample_images().images[0]))  # no face, colours
    reply = await handlers.conversation.on_photo(CHINESE, landscape)
    assert reply.ok and reply.tracks
    (explained,) = [line for line in reply.text.splitlines() if line.startswith("ℹ️")]
    assert "没有找到人脸" in explained and "色调" in explained
    assert not LATIN.search(explained), explained


async def test_a_silent_voice_note_is_answered_in_chinese(handlers: Handlers) -> None:
    silence = io.BytesIO()
    soundfile.write(silence, np.zeros(3 * 16_000), 16_000, format="WAV")
    reply = await handlers.conversation.on_voice(CHINESE, silence.getvalue())
    assert not reply.ok and reply.text.startswith("我什么也没听到")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_note_sentence_formats(language: str) -> None:
    values = {"count": 3, "read": 2, "labels": "ekman7", "light": "x", "colour": "y",
              "valence": 0.5, "arousal": -0.25, "seconds": 120.0, "total": 300.0,
              "found": 60, "kind": "a PNG image", "length": "5,000", "limit": "4,000",
              "size": "1 × 2", "pixels": "9", "memory": "1 MB", "container": "MP3",
              "rate": 7, "what": "file", "detail": " (reason)"}  # fmt: skip
    for key, sentences in MESSAGES.items():
        if key.startswith("note_"):
            assert sentences[language].format(**values)


def test_every_input_error_the_engines_raise_carries_a_code() -> None:
    """A refusal written as a plain string would reach a Chinese speaker in English."""
    plain = []
    for path in ENGINES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            raised = node.exc.func
            if isinstance(raised, ast.Name) and raised.id.endswith(
                ("InputError", "UnavailableError")
            ):
                argument = node.exc.args[0] if node.exc.args else None
                if isinstance(argument, ast.Constant | ast.JoinedStr):
                    plain.append(f"{path.name}:{node.lineno}")
    assert not plain, plain


async def test_refused_input_is_explained_in_the_persons_language(handlers: Handlers) -> None:
    talk = handlers.conversation
    claims_huge = png(Image.new("L", (1, 1)))  # its header then says 8,000 × 8,000
    header = b"IHDR" + struct.pack(">II", 8_000, 8_000) + claims_huge[24:29]
    claims_huge = (
        claims_huge[:12] + header + struct.pack(">I", zlib.crc32(header)) + claims_huge[33:]
    )
    refusals = {
        "empty photo": (talk.on_photo, b"", "文件是空的；请发一张照片（JPEG、PNG 或 WebP）。"),
        "not an image": (
            talk.on_photo, b"hello", "这个文件不是我能读的图片（JPEG、PNG、WebP 或 GIF）。"
        ),
        "too many pixels": (
            talk.on_photo, claims_huge,
            "这张图片是 8,000 × 8,000 像素，上限是 50,000,000 像素。",
        ),
        "a picture as a voice note": (
            talk.on_voice, png(Image.new("RGB", (8, 8))), "这个文件是PNG 图片，不是语音。"
        ),
        "empty voice note": (talk.on_voice, b"", "这条语音是空的。"),
        "noise as a voice note": (talk.on_voice, bytes(range(256)) * 40, None),
    }  # fmt: skip
    for case, (send, data, expected) in refusals.items():
        chinese, english = await send(CHINESE, data), await send(ENGLISH, data)
        assert not chinese.ok and not english.ok, case
        if expected is not None:
            assert chinese.text == expected, case
        assert not LATIN.search(
            chinese.text.replace("JPEG", "")
            .replace("PNG", "")
            .replace("WebP", "")
            .replace("GIF", "")
        ), (case, chinese.text)
        assert LATIN.search(english.text) and english.text != chinese.text, case
