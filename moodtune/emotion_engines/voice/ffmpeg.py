"""Decode what libsndfile cannot (M4A/AAC, WebM, AMR, ...) with an ffmpeg subprocess.

The note never touches disk: on Linux it sits in an anonymous in-memory file (memfd)
that ffmpeg opens as /dev/fd/N, which is seekable, so an M4A whose index (moov atom)
comes last still decodes; elsewhere it is piped through stdin. ffmpeg writes raw 32-bit
float mono at the target rate to stdout and stops after `max_seconds`, so the output is
bounded however long the note is, and a timeout ends a decoder that stalls.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess

import numpy as np

from moodtune.emotion_engines.reading import Note
from moodtune.emotion_engines.voice.errors import DecoderUnavailableError, VoiceInputError

TIMEOUT_SECONDS = 30.0
logger = logging.getLogger(__name__)


def decode_with_ffmpeg(
    data: bytes, rate: int, max_seconds: float, container: str, timeout: float = TIMEOUT_SECONDS
) -> np.ndarray:
    """Mono float32 samples at `rate`, at most `max_seconds` of them."""
    executable = shutil.which("ffmpeg")
    if executable is None:
        raise DecoderUnavailableError(
            Note(
                "input_voice_needs_ffmpeg",
                f"I cannot read {container} audio here: it needs ffmpeg, which is not installed. "
                "Please send an OGG, MP3, WAV or FLAC file instead.",
                container=container,
            )
        )
    output = [
        "-t", f"{max_seconds:.3f}", "-vn", "-ac", "1", "-ar", str(rate), "-f", "f32le", "pipe:1",
    ]  # fmt: skip
    command = [executable, "-nostdin", "-hide_banner", "-loglevel", "error", "-i"]
    if hasattr(os, "memfd_create"):
        completed = _run_from_memory(command, output, data, timeout)
    else:
        completed = _run([*command, "pipe:0", *output], data, timeout, ())
    samples = np.frombuffer(completed.stdout, dtype="<f4", count=len(completed.stdout) // 4)
    if samples.size == 0:
        detail = _last_error(completed.stderr)
        what = "file" if container == "unknown" else f"{container} file"
        raise VoiceInputError(
            Note(
                "input_voice_undecodable",
                f"I could not find any sound in this {what}: it is damaged or not audio{detail}.",
                what=what,
                detail=detail,
            )
        )
    if completed.stderr.strip():  # it decoded, with complaints (a damaged frame or two)
        count = len(completed.stderr.strip().splitlines())
        last = _last_error(completed.stderr)
        logger.info("ffmpeg decoded a %s file with %d complaint(s)%s", container, count, last)
    return samples.astype(np.float32)


def _last_error(stderr: bytes) -> str:
    """ffmpeg's last complaint, without the internal input name, as " (reason)"."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    if not lines:
        return ""
    reason = re.sub(r"^(/dev/fd/\d+|pipe:\d?):\s*", "", lines[-1])[:200]
    return f" ({reason})"


def _run_from_memory(
    command: list[str], output: list[str], data: bytes, timeout: float
) -> subprocess.CompletedProcess[bytes]:
    fd = os.memfd_create("moodtune-voice-note")
    try:
        with os.fdopen(os.dup(fd), "wb") as note:
            note.write(data)
        return _run([*command, f"/dev/fd/{fd}", *output], None, timeout, (fd,))
    finally:
        os.close(fd)


def _run(
    command: list[str], stdin: bytes | None, timeout: float, fds: tuple[int, ...]
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            command,
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True,
            timeout=timeout,
            pass_fds=fds,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        seconds = f"{timeout:.0f}"
        raise VoiceInputError(
            Note(
                "input_voice_too_slow",
                f"Decoding this voice note took longer than {seconds} s, so I gave up.",
                seconds=seconds,
            )
        ) from error
