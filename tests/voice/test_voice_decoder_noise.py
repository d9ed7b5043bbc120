"""A damaged MP3: libmpg123's complaints go to the log, never straight to stderr."""

from __future__ import annotations

import logging
import os
import random
import subprocess
import sys

import pytest
from voice_samples import ENGLISH, encode, speak

from moodtune.emotion_engines.voice.decode import decode, is_mpg123_line
from moodtune.emotion_engines.voice.errors import VoiceInputError
from moodtune.emotion_engines.voice.stderr_capture import stderr_to_log

LOGGER = "moodtune.emotion_engines.voice.decode"
READ_RAW = "import io, sys, soundfile; soundfile.read(io.BytesIO(sys.stdin.buffer.read()))"


@pytest.fixture(scope="module")
def damaged_mp3() -> bytes:
    """Speech as MP3 with 200 bits flipped past its first frame, as a bad upload might be."""
    data = bytearray(encode(speak(ENGLISH), "-c:a", "libmp3lame", "-b:a", "64k", container="mp3"))
    flips = random.Random(16)
    for _ in range(200):
        data[flips.randrange(200, len(data))] ^= 1 << flips.randrange(8)
    return bytes(data)


def test_the_damaged_mp3_really_makes_the_decoder_talk(damaged_mp3: bytes) -> None:
    raw = subprocess.run(
        [sys.executable, "-c", READ_RAW], input=damaged_mp3, capture_output=True, check=False
    )
    complaints = raw.stderr.decode(errors="replace").splitlines()
    assert len(complaints) >= 10 and all(map(is_mpg123_line, complaints))


def test_decoding_it_writes_nothing_to_stderr_and_logs_a_summary(
    damaged_mp3: bytes, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        try:
            audio = decode(damaged_mp3, 20 * 2**20, 120.0)
            assert audio.container == "MP3" and audio.seconds > 1
        except VoiceInputError:  # too damaged to read at all is a fine answer too
            pass
    assert capfd.readouterr().err == ""
    (summary,) = [r for r in caplog.records if r.levelno == logging.INFO]
    assert summary.getMessage().startswith("libmpg123 reported ")
    assert "dequantization failed" in caplog.text or "Illegal Audio-MPEG-Header" in caplog.text


def test_what_others_write_during_a_capture_still_reaches_stderr(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    logger = logging.getLogger("capture-test")
    with (
        caplog.at_level(logging.INFO, logger="capture-test"),
        stderr_to_log(is_mpg123_line, logger, "libmpg123"),
    ):
        os.write(2, b"Note: Trying to resync...\n")
        os.write(2, b"another thread's warning\n")
    assert capfd.readouterr().err == "another thread's warning\n"
    assert "libmpg123 reported 1 problem(s) in a damaged file: Note: Trying to resync..." in (
        caplog.text
    )


def test_a_decoder_that_fails_inside_a_capture_still_gives_stderr_back(
    capfd: pytest.CaptureFixture[str],
) -> None:
    logger = logging.getLogger("capture-test")
    with pytest.raises(RuntimeError), stderr_to_log(lambda line: False, logger, "a decoder"):
        raise RuntimeError("the decoder failed")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"
