"""Decoding photo bytes: formats, orientation, modes, limits and bad files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import skimage.data
from photo_samples import astronaut, encode, png_declaring
from PIL import Image

from moodtune.emotion_engines.photo import PhotoInputError, decode_photo

LIMITS = {"max_bytes": 20 * 1024 * 1024, "max_pixels": 50_000_000}


def decode(data: object, **limits: int):
    return decode_photo(data, **{**LIMITS, **limits})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "options"),
    [("JPEG", {"quality": 90}), ("PNG", {}), ("WEBP", {"quality": 90}), ("GIF", {})],
)
def test_chat_formats_decode_to_upright_rgb(fmt: str, options: dict) -> None:
    photo = decode(encode(astronaut(), fmt, **options))
    assert photo.pixels.shape == (512, 512, 3) and photo.pixels.dtype == np.uint8
    assert photo.original_size == (512, 512) and photo.format == fmt
    # The picture is still the astronaut: her orange suit is at the bottom left.
    red, green, blue = photo.pixels[400:450, 100:150].reshape(-1, 3).mean(axis=0)
    assert red > 150 and red > green + 50 and red > blue + 50


def test_exif_orientation_is_applied() -> None:
    wide = np.zeros((100, 200, 3), np.uint8)
    wide[:, :100] = (255, 0, 0)  # red on the left, as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    photo = decode(encode(wide, "JPEG", quality=95, exif=exif))
    assert photo.original_size == (100, 200)
    assert photo.pixels.shape == (200, 100, 3)
    top, bottom = photo.pixels[:90].mean(axis=(0, 1)), photo.pixels[110:].mean(axis=(0, 1))
    assert top[0] > 200 and bottom[0] < 50  # the stored left edge is now on top


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_a_broken_exif_block_does_not_cost_the_picture() -> None:
    data = encode(astronaut(), "JPEG", exif=b"Exif\x00\x00MM\x00*" + bytes(range(200)))
    photo = decode(data)
    assert photo.pixels.shape == (512, 512, 3) and photo.original_size == (512, 512)


def test_big_jpeg_is_decoded_small_but_reports_its_real_size() -> None:
    big = Image.fromarray(astronaut()).resize((4000, 3000))
    photo = decode(encode(big, "JPEG", quality=85))
    height, width = photo.pixels.shape[:2]
    assert photo.original_size == (4000, 3000)
    assert 400_000 <= width * height <= 1_000_000
    assert width / height == pytest.approx(4 / 3, rel=0.01)
    assert photo.scale == pytest.approx(width / 4000)


def test_cmyk_jpeg_converts_to_rgb() -> None:
    cmyk = Image.fromarray(astronaut()).convert("CMYK")
    photo = decode(encode(cmyk, "JPEG", quality=92))
    assert photo.pixels.shape == (512, 512, 3)
    red, green, blue = photo.pixels[400:450, 100:150].reshape(-1, 3).mean(axis=0)
    assert red > green + 50 and red > blue + 50


@pytest.mark.parametrize("mode", ["LA", "RGBA", "P", "L", "1", "I;16"])
def test_other_modes_convert_to_rgb(mode: str) -> None:
    if mode == "I;16":  # a 16-bit greyscale PNG, as scanners and some cameras write
        grey = np.asarray(Image.fromarray(astronaut()).convert("L"), dtype=np.uint16) * 257
        image = Image.fromarray(grey)
        assert image.mode == "I;16"
    else:
        image = Image.fromarray(astronaut()).convert(mode)
    photo = decode(encode(image, "PNG"))
    assert photo.pixels.shape == (512, 512, 3)
    assert 40 < photo.pixels.mean() < 220  # neither blown out nor black


def test_transparency_lies_on_white() -> None:
    clear = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    photo = decode(encode(clear, "PNG"))
    assert (photo.pixels == 255).all()


def test_animated_images_give_their_first_frame() -> None:
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue", "green")]
    for fmt in ("GIF", "WEBP", "PNG"):
        data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)
        photo = decode(data)
        assert photo.animated, fmt
        red, green, blue = photo.pixels.reshape(-1, 3).mean(axis=0)
        assert red > 200 and green < 50 and blue < 50, fmt


def test_a_real_animated_gif() -> None:
    path = Path(skimage.data.__file__).parent / "no_time_for_that_tiny.gif"
    photo = decode(path.read_bytes())
    assert photo.animated and photo.format == "GIF" and photo.pixels.ndim == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (np.random.default_rng(1).bytes(4096), "not an image I can read"),
        (b"GIF89a\x0a\x00\x0a\x00" + bytes(range(100)), "not an image|truncated or damaged"),
        (b"\xff\xd8\xff" + bytes(100), "not an image|truncated or damaged"),
        ("a photo.jpg", "must arrive as bytes"),
        (None, "must arrive as bytes"),
        (12345, "must arrive as bytes"),
    ],
)
def test_unusable_bytes_give_a_clear_error(data: object, message: str) -> None:
    with pytest.raises(PhotoInputError, match=message):
        decode(data)


def test_other_image_formats_are_refused() -> None:
    bmp = encode(astronaut(), "BMP")
    tiff = encode(astronaut(), "TIFF")
    for data in (bmp, tiff):
        with pytest.raises(PhotoInputError, match="JPEG, PNG, WebP or GIF"):
            decode(data)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_files_give_a_clear_error(fmt: str) -> None:
    data = encode(astronaut(), fmt)
    with pytest.raises(PhotoInputError, match=r"truncated or damaged|not an image"):
        decode(data[: len(data) // 2])


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = png_declaring(100_000, 100_000)
    assert len(bomb) < 200
    # Decoding 10¹⁰ pixels would need 30 GB: reaching the error at all shows nothing was.
    with pytest.raises(PhotoInputError, match=r"more than .* pixels; the limit is 50,000,000"):
        decode(bomb)


def test_too_many_pixels_names_the_size_and_the_limit() -> None:
    with pytest.raises(PhotoInputError, match=r"10,000 × 6,000 pixels; the limit is 50,000,000"):
        decode(png_declaring(10_000, 6_000))
    with pytest.raises(PhotoInputError, match=r"512 × 512 pixels; the limit is 100,000"):
        decode(encode(astronaut(), "PNG"), max_pixels=100_000)


def test_a_50_megabyte_file_is_refused_from_its_size() -> None:
    huge = b"\xff\xd8\xff\xe0" + bytes(50 * 1024 * 1024)
    with pytest.raises(PhotoInputError, match=r"50\.0 MB; the limit is 20\.0 MB"):
        decode(huge)


def test_bytearray_and_memoryview_are_accepted() -> None:
    data = encode(astronaut(), "PNG")
    assert decode(bytearray(data)).pixels.shape == (512, 512, 3)
    assert decode(memoryview(data)).pixels.shape == (512, 512, 3)


def test_a_one_pixel_image_decodes() -> None:
    photo = decode(encode(Image.new("RGB", (1, 1), "white"), "PNG"))
    assert photo.pixels.shape == (1, 1, 3)


def test_decoding_does_not_keep_the_file_open() -> None:
    data = encode(astronaut(), "JPEG")
    stream = io.BytesIO(data)
    decode(stream.getvalue())
    assert not stream.closed  # our own copy was used, the caller's stream is untouched


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_corrupted_files_never_raise_anything_but_a_clear_error(fmt: str) -> None:
    """Flipped bytes and cut files, as a broken upload or a hostile one delivers them."""
    rng = np.random.default_rng(7)
    original = np.frombuffer(encode(astronaut()[::4, ::4], fmt), np.uint8)
    for _ in range(25):
        damaged = original.copy()
        spots = rng.integers(0, damaged.size, size=rng.integers(1, 20))
        damaged[spots] = rng.integers(0, 256, size=spots.size)
        data = damaged[: rng.integers(1, damaged.size + 1)].tobytes()
        try:
            photo = decode(data)
        except PhotoInputError as error:
            assert str(error).endswith(".")
        else:
            assert photo.pixels.ndim == 3 and photo.pixels.shape[2] == 3
