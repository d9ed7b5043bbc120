"""Decoding photos in bounded memory: bombs refused from their header, the cost model held
against what decoding really takes, thin pictures shrunk to working size, 16-bit pictures
without a float copy, and memory given back after a burst of big photos.

Memory is measured in a process of its own (memory_probe.py), each file in a fresh child,
from the kernel's high-water mark of the resident set.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from photo_samples import astronaut, blank_png, encode, jpeg_declaring
from PIL import Image

from moodtune.emotion_engines.memory import SharedLimit
from moodtune.emotion_engines.photo import PhotoInputError, decode_photo
from moodtune.emotion_engines.photo.decoding import WORKING_PIXELS
from moodtune.emotion_engines.photo.decoding_cost import decoding_budget
from moodtune.emotion_engines.photo.shrinking import fit, shrunk_rgb

LIMITS = {"max_bytes": 20 * 1024 * 1024, "max_pixels": 50_000_000}  # the defaults
PROBE = Path(__file__).with_name("memory_probe.py")
ROOT = Path(__file__).resolve().parents[2]
SLACK_MB = 8  # the interpreter's own allocations and page granularity, beside the estimate

linux_only = pytest.mark.skipif(
    not Path("/proc/self/clear_refs").exists(), reason="peaks are read from Linux's /proc"
)


def probe(kind: str, paths: list[Path]) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(PROBE.parent)])}
    done = subprocess.run(
        [sys.executable, str(PROBE), kind, *map(str, paths)],
        capture_output=True, text=True, env=env, timeout=300, check=True,
    )  # fmt: skip
    return [json.loads(line) for line in done.stdout.splitlines()]


def gradient(width: int, height: int, mode: str = "RGB") -> Image.Image:
    return Image.linear_gradient("L").resize((width, height)).convert(mode)


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Every file below decoded in a fresh child: what it gave, its estimate and its peak."""
    folder = tmp_path_factory.mktemp("pictures")
    files = {
        # bombs: refused before decoding
        "thin bomb.png": blank_png(1, 49_999_999),
        "wide bomb.png": blank_png(49_999_999, 1),
        "big.webp": encode(gradient(4500, 4000), "WEBP", quality=50, method=0),
        "progressive.jpg": jpeg_declaring(
            encode(gradient(700, 700), "JPEG", progressive=True), 7000, 7000
        ),
        # decoded, each shape and format that costs differently
        "16-bit 7000.png": blank_png(7000, 7000, "L", 16),
        "rgba.png": blank_png(2000, 2000, "RGBA"),
        "thin.png": blank_png(1, 2_000_000),
        "wide 16-bit rgba.png": blank_png(2_000_000, 1, "RGBA", 16),
        "photo.webp": encode(gradient(2000, 1500), "WEBP", quality=80),
        "photo-progressive.jpg": encode(gradient(2000, 1500), "JPEG", progressive=True),
        "photo.gif": encode(gradient(2000, 1500, "P"), "GIF"),
        "phone.jpg": encode(gradient(4000, 3000), "JPEG", quality=90),
    }
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return {result["file"]: result for result in probe("decode", paths)}


def test_a_thin_png_bomb_is_refused_from_its_header() -> None:
    bomb = blank_png(1, 49_999_999)  # valid, 97 KB; decoding it took 3.3 GB and 6 s
    assert len(bomb) < 100_000
    with pytest.raises(PhotoInputError, match=r"1 × 49,999,999 pixels; decoding it would take"):
        decode_photo(bomb, **LIMITS)
    with pytest.raises(PhotoInputError, match=r"49,999,999 × 1 pixels; decoding it would take"):
        decode_photo(blank_png(49_999_999, 1), **LIMITS)


@linux_only
@pytest.mark.parametrize("name", ["thin bomb.png", "wide bomb.png", "big.webp", "progressive.jpg"])
def test_bombs_are_refused_before_a_pixel_is_decoded(measured: dict, name: str) -> None:
    result = measured[name]
    assert "decoding it would take" in result["refused"]
    assert result["peak_mb"] < 16  # what was decoded: nothing (WebP's demuxer reads the file)


@linux_only
@pytest.mark.parametrize(
    "name",
    [
        "16-bit 7000.png", "rgba.png", "thin.png", "wide 16-bit rgba.png", "photo.webp",
        "photo-progressive.jpg", "photo.gif", "phone.jpg",
    ],
)  # fmt: skip
def test_decoding_takes_no_more_than_its_estimate(measured: dict, name: str) -> None:
    result = measured[name]
    assert "shape" in result, result
    assert result["peak_mb"] <= result["estimate_mb"] + SLACK_MB, result


@linux_only
def test_a_big_16_bit_picture_is_read_without_a_float_copy(measured: dict) -> None:
    # The frame is 98 MB (2 bytes a pixel); a float64 copy of it alone was 392 MB.
    result = measured["16-bit 7000.png"]
    assert result["shape"] == [1000, 1000, 3] and result["original"] == [7000, 7000]
    assert result["peak_mb"] < 160


def test_16_bit_grey_keeps_its_range_in_8_bits() -> None:
    levels = np.array([[0, 128, 129, 257, 32896, 65406, 65535]], np.uint16)
    photo = decode_photo(encode(Image.fromarray(levels), "PNG"), **LIMITS)
    assert photo.pixels[0, :, 0].tolist() == [0, 0, 1, 1, 128, 254, 255]
    assert (photo.pixels[..., 0] == photo.pixels[..., 2]).all()


@pytest.mark.parametrize(
    ("width", "height"), [(1, 3_000_000), (3_000_000, 1), (3, 2_000_000), (4000, 3000)]
)
def test_downscaling_reaches_the_working_size_for_any_shape(width: int, height: int) -> None:
    photo = decode_photo(blank_png(width, height), **LIMITS)
    rows, columns = photo.pixels.shape[:2]
    assert 800_000 <= rows * columns <= 1_000_000  # it was 1 × 7,071,068 for 1 × 50,000,000
    assert (rows >= columns) == (height >= width)
    assert photo.original_size == (width, height)


@pytest.mark.parametrize(("width", "height"), [(1, 49_999_999), (7, 10**9), (10**9, 2)])
def test_fit_never_exceeds_the_pixels_it_is_given(width: int, height: int) -> None:
    fitted_width, fitted_height = fit(width, height, 1_000_000)
    assert fitted_width * fitted_height <= 1_000_000
    assert 1 <= fitted_width <= width and 1 <= fitted_height <= height


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L"])
def test_shrinking_by_tiles_gives_what_shrinking_at_once_gives(mode: str) -> None:
    picture = Image.fromarray(astronaut()).resize((3100, 2300)).convert(mode)  # many tiles
    size = fit(3100, 2300, 1_000_000)
    expected = picture.convert("RGB").reduce((2, 2)).resize(size, Image.Resampling.BILINEAR)
    if mode == "RGBA":  # opaque, so lying on white changes nothing
        assert picture.getextrema()[3] == (255, 255)
    assert np.array_equal(np.asarray(shrunk_rgb(picture, size)), np.asarray(expected))


def test_orientation_is_applied_to_the_small_picture() -> None:
    tall = Image.fromarray(astronaut()).resize((3000, 1500))
    exif = Image.Exif()
    exif[0x0112] = 8  # "rotate 90° counter-clockwise to display"
    out = io.BytesIO()
    tall.save(out, "PNG", exif=exif)
    photo = decode_photo(out.getvalue(), **LIMITS)
    assert photo.original_size == (1500, 3000)
    assert photo.pixels.shape[0] > photo.pixels.shape[1]


@linux_only
def test_a_burst_of_big_photos_is_decoded_one_at_a_time_and_gives_memory_back(
    tmp_path: Path,
) -> None:
    # Without giving memory back, the same burst left 600 MB resident for good.
    rgba = blank_png(7071, 7071, "RGBA")
    big = {
        "rgba.png": rgba,
        "grey16.png": blank_png(7000, 7000, "L", 16),
        "damaged half-way.png": rgba[: len(rgba) * 3 // 4],  # refused after decoding began
    }
    paths = []
    for name, data in big.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    [summary] = probe("burst", [*paths, paths[0]])  # four at once, on the engine's two workers
    grown = summary["peak_mb"] - summary["before_mb"]
    one_at_a_time = decoding_budget(LIMITS["max_pixels"], WORKING_PIXELS) / 2**20
    assert one_at_a_time / 2 < grown < one_at_a_time + 32  # four at once cost what one does
    assert summary["after_mb"] - summary["before_mb"] < 64


def test_decoders_share_the_limit_and_one_alone_always_runs() -> None:
    limit, events = SharedLimit(), []
    big_in, small_out = threading.Event(), threading.Event()

    def decode(name: str, cost: int) -> None:
        with limit.holding(cost, 100):
            events.append(f"{name} in")
            if name == "big":
                big_in.set()
                assert small_out.wait(timeout=30)  # holds its 80 until the small one is done
            events.append(f"{name} out")
        if name == "small":
            small_out.set()

    threads = {name: threading.Thread(target=decode, args=(name, cost))
               for name, cost in [("big", 80), ("another big", 80), ("small", 20)]}  # fmt: skip
    threads["big"].start()
    assert big_in.wait(timeout=30)
    threads["another big"].start()
    threads["small"].start()
    for thread in threads.values():
        thread.join(timeout=30)
    # 80 + 20 fit within 100, 80 + 80 do not: the second big one waited for the first.
    assert events[:3] == ["big in", "small in", "small out"]
    assert events.index("another big in") > events.index("big out")
    alone = threading.Thread(target=decode, args=("over the limit", 500))
    alone.start()
    alone.join(timeout=30)
    assert events[-1] == "over the limit out"  # alone, whatever it costs
