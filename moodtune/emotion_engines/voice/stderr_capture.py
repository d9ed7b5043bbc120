"""What a C library prints to the process's stderr, caught and sent to the log instead.

libsndfile decodes MP3 with libmpg123, which prints its complaints about a damaged file
straight to file descriptor 2 ("Note: Illegal Audio-MPEG-Header …", "[src/libmpg123/
layer3.c:…] error: dequantization failed!"): hundreds of lines for one bad file, and
neither library has a switch to silence them (libsndfile issue #958). While such a
decoder runs, descriptor 2 points at an anonymous in-memory file; afterwards it is put
back, the decoder's lines go to the log, and any other line (another thread's, written to
stderr in those milliseconds) is written on to the real stderr, where it was going.
Descriptor 2 belongs to the whole process, so one capture runs at a time.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

SHOWN_LINES = 3  # a summary quotes this many of the decoder's lines; the rest is at DEBUG

_one_at_a_time = threading.Lock()


@contextmanager
def stderr_to_log(
    is_decoders: Callable[[str], bool], logger: logging.Logger, decoder: str
) -> Iterator[None]:
    """Run the body with descriptor 2 captured; log the lines ``is_decoders`` claims."""
    with _one_at_a_time, _sink() as sink:
        sys.stderr.flush()  # what Python wrote before is not the decoder's
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            written = sink.read().decode("utf-8", "replace")
            _route(written.splitlines(), is_decoders, logger, decoder)


def _route(
    lines: list[str], is_decoders: Callable[[str], bool], logger: logging.Logger, decoder: str
) -> None:
    theirs = [line for line in lines if is_decoders(line)]
    others = [line for line in lines if not is_decoders(line)]
    if others:
        os.write(2, ("\n".join(others) + "\n").encode())
    if theirs:
        shown = " | ".join(dict.fromkeys(line.strip() for line in theirs[:SHOWN_LINES]))
        logger.info("%s reported %d problem(s) in a damaged file: %s", decoder, len(theirs), shown)
        logger.debug("everything %s reported:\n%s", decoder, "\n".join(theirs))


def _sink() -> BinaryIO:
    """An anonymous file in memory (Linux), else a temporary file that is never named."""
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("moodtune-decoder-stderr"), "w+b")
    return tempfile.TemporaryFile()
