"""A library's warning about a person's file (Pillow on a corrupt EXIF block) reaches the
bot's log as a record, never stderr around the log."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
DECODE = """
import logging, os, sys
from moodtune.bot.redaction import configure_logging
from moodtune.emotion_engines.photo import decode_photo
configure_logging()
logging.getLogger().handlers[0].setStream(open(os.devnull, "w"))  # the log, kept apart
records = []
class Kept(logging.Handler):
    def emit(self, record):
        records.append(record)
logging.getLogger("py.warnings").addHandler(Kept())
decode_photo(sys.stdin.buffer.read(), max_bytes=2**24, max_pixels=10**7)
print(sum("Corrupt EXIF" in record.getMessage() for record in records))
"""


def test_a_corrupt_exif_warning_is_a_log_record() -> None:
    out = io.BytesIO()
    broken = b"Exif\x00\x00MM\x00*" + bytes(range(200))
    Image.new("RGB", (64, 64), "orange").save(out, "JPEG", exif=broken)
    done = subprocess.run(
        [sys.executable, "-c", DECODE], input=out.getvalue(), capture_output=True,
        cwd=ROOT, timeout=120, check=True,
    )  # fmt: skip
    assert int(done.stdout) >= 1  # the warning, as a record of the py.warnings logger
    assert done.stderr == b""  # and nothing written around the log
