"""What decoding photos costs in memory, measured in a process of its own (Linux).

    python memory_probe.py decode FILE...   decode_photo on each file, beside decoding_cost
    python memory_probe.py burst FILE...    the photo engine on all files at once

Prints one JSON object per line. Each file of ``decode`` is read in a
child forked after the imports, so no file inherits a heap that an earlier one shaped; its
peak is the growth of the resident set's high-water mark (VmHWM, reset through
/proc/self/clear_refs) above what was resident when it began. A burst reports the
resident set before, at its peak and after, in one process as the bot would hold it.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

MB = 1024 * 1024


def _status(field: str) -> int:
    """A /proc/self/status memory field, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> int:
    """Reset the high-water mark to what is resident now, and return that. Free memory is
    given back first, so what the next file needs is not drawn from what is kept."""
    from moodtune.emotion_engines.memory import return_freed_memory

    return_freed_memory()
    Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def _in_child(measure: Callable[[str], dict[str, object]], paths: list[str]) -> None:
    for path in paths:
        sys.stdout.flush()
        child = os.fork()
        if child == 0:
            try:
                print(json.dumps({"file": Path(path).name, **measure(path)}), flush=True)
            finally:
                os._exit(0)
        os.waitpid(child, 0)


def decode(paths: list[str]) -> None:
    from moodtune.config import Settings
    from moodtune.emotion_engines.photo import PhotoInputError, decode_photo

    settings = Settings()

    def measure(path: str) -> dict[str, object]:
        data = Path(path).read_bytes()
        estimate = _estimate(data) / MB
        before = _reset_peak()
        start = time.perf_counter()
        try:
            photo = decode_photo(
                data, max_bytes=settings.max_photo_bytes, max_pixels=settings.max_photo_pixels
            )
            result = {"shape": list(photo.pixels.shape), "original": list(photo.original_size)}
        except PhotoInputError as error:
            result = {"refused": str(error)}
        seconds = time.perf_counter() - start
        peak = (_status("VmHWM") - before) / MB
        return {**result, "estimate_mb": estimate, "peak_mb": peak, "s": seconds}

    _in_child(measure, paths)


def _estimate(data: bytes) -> int:
    """decoding_cost for the picture, opened as decode_photo opens it (0: not a picture)."""
    from PIL import Image

    from moodtune.emotion_engines.photo.decoding import WORKING_PIXELS
    from moodtune.emotion_engines.photo.decoding_cost import decoding_cost
    from moodtune.emotion_engines.photo.shrinking import fit

    try:
        image = Image.open(io.BytesIO(data))
    except Exception:
        return 0
    with image:
        declared = image.size
        image.draft("RGB", fit(*declared, WORKING_PIXELS // 2))
        return decoding_cost(image, declared, WORKING_PIXELS)


def burst(paths: list[str]) -> None:
    from moodtune.config import Settings
    from moodtune.emotion_engines.memory import keep_big_blocks_apart
    from moodtune.emotion_engines.photo import build_photo_engine

    keep_big_blocks_apart()  # as App.open does for the bot
    engine = build_photo_engine(Settings())
    photos = [Path(path).read_bytes() for path in paths]

    async def run() -> None:
        # Warm: the face detector's buffers at full detection size, on both of the pool's
        # threads at once, so what follows measures decoding, not the models settling in.
        await asyncio.gather(engine.analyze(_warm_jpeg()), engine.analyze(_warm_jpeg()))
        before = _reset_peak()
        start = time.perf_counter()
        await asyncio.gather(*map(engine.analyze, photos), return_exceptions=True)
        seconds = time.perf_counter() - start
        after, peak = _status("VmRSS"), _status("VmHWM")
        print(
            json.dumps(
                {
                    "before_mb": before / MB,
                    "peak_mb": peak / MB,
                    "after_mb": after / MB,
                    "s": seconds,
                }
            )
        )

    asyncio.run(run())


def _warm_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.linear_gradient("L").resize((1200, 900)).convert("RGB").save(out, "JPEG")
    return out.getvalue()


if __name__ == "__main__":
    {"decode": decode, "burst": burst}[sys.argv[1]](sys.argv[2:])
