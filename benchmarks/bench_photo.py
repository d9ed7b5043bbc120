"""Time per photo through the photo engine at 0.3, 1 and 12 megapixels.

The photos are real: a scikit-learn landscape (china.jpg) scaled to each size with the
scikit-image astronaut's head pasted in, saved as JPEG (quality 90) as a phone would. Each
is read end to end by `analyze_sync` (decode, faces, expression, scene). "default" is what
a fresh install runs (Haar faces, smile cue, colours); "model" reads the faces with a tiny
random ViT image classifier built here, so it times the model path, not a real model's
weight. Medians of repeated runs after a warm-up; on a busy machine they are pessimistic,
so each case also reports its fastest run and the process's CPU time.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from benchmarks.table import Row
from moodtune.config import Settings
from moodtune.emotion_engines.photo import PhotoEngine, build_photo_engine
from moodtune.emotion_engines.photo.decoding import decode_photo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "photo"))
from photo_samples import build_tiny_expression_model

SIZES = {"0.3 MP": (640, 480), "1 MP": (1155, 866), "12 MP": (4000, 3000)}
TARGETS_MS = {"1 MP": 60.0, "12 MP": 250.0}  # the figures, default engines


def _photo(width: int, height: int) -> bytes:
    from skimage import data
    from sklearn.datasets import load_sample_images

    canvas = Image.fromarray(load_sample_images().images[0]).resize((width, height))
    head = Image.fromarray(data.astronaut()[20:230, 130:320])
    side = height * 2 // 5
    canvas.paste(head.resize((side * 190 // 210, side)), (width // 3, height // 5))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=90)
    return out.getvalue()


@dataclass(frozen=True)
class Timing:
    """Wall-time median and fastest run, and the process's median CPU time, in ms."""

    median: float
    fastest: float
    cpu: float


def _time(func: Callable[[], object], repeats: int) -> Timing:
    """Time ``func`` after two warm-up runs.

    On a machine shared with other work, the median wall time is pessimistic; the fastest
    run and the CPU time (which hardly grows while waiting for a core) show what an idle
    machine does.
    """
    func()
    func()  # warm: cascades, model and allocator
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return Timing(statistics.median(wall) * 1e3, min(wall) * 1e3, statistics.median(cpu) * 1e3)


def _engine_rows(
    name: str, engine: PhotoEngine, photos: dict[str, bytes], repeats: int
) -> list[Row]:
    rows = []
    for size, data in photos.items():
        faces = sum(p.engine.startswith("face:") for p in engine.analyze_sync(data).parts)
        timing = _time(lambda data=data: engine.analyze_sync(data), repeats)
        target = TARGETS_MS.get(size) if name == "default" else None
        case = f"{size} JPEG, {faces} face{'s' * (faces != 1)}"
        rows += [
            Row(
                f"photo {name}",
                f"{case}: median",
                timing.median,
                "ms",
                f"<= {target:g} ms" if target else "",
                timing.median <= target if target else None,
            ),
            Row(f"photo {name}", f"{case}: fastest of {repeats}", timing.fastest, "ms"),
            Row(f"photo {name}", f"{case}: CPU time", timing.cpu, "ms"),
        ]
    return rows


def _stage_rows(engine: PhotoEngine, data: bytes, repeats: int) -> list[Row]:
    """Where the time of a 1-megapixel photo goes."""
    from moodtune.emotion_engines.photo.scene import scene_reading

    photo = decode_photo(data, max_bytes=engine.max_bytes, max_pixels=engine.max_pixels)
    stages = {
        "decode": lambda: decode_photo(
            data, max_bytes=engine.max_bytes, max_pixels=engine.max_pixels
        ),
        "detect faces": lambda: engine.detector.detect(photo.pixels),
        "scene colours": lambda: scene_reading(photo.pixels),
    }
    return [
        Row("photo stages", f"1 MP: {stage}, fastest", _time(func, repeats).fastest, "ms")
        for stage, func in stages.items()
    ]


def run(quick: bool = False) -> list[Row]:
    repeats = 5 if quick else 21
    photos = {size: _photo(*dimensions) for size, dimensions in SIZES.items()}
    default = build_photo_engine(Settings())
    rows = _engine_rows("default", default, photos, repeats)
    rows += _stage_rows(default, photos["1 MP"], repeats)
    with tempfile.TemporaryDirectory() as directory:
        model = build_tiny_expression_model(Path(directory), favour=None)  # as the tests build
        engine = build_photo_engine(Settings(photo_model=str(model)))
        rows += _engine_rows("tiny model", engine, photos, repeats)
    return rows


if __name__ == "__main__":
    from benchmarks.table import render

    print(render(run()))
