"""Generated bad (and good) inputs for the fuzz benchmark, one modality at a time.

Every input is made from a seed and its number, so a run can be repeated exactly and one
input regenerated alone. Each modality cycles through its categories in turn:

- random: random bytes (or, for text, random code points), sometimes behind real magic bytes
- truncated: a real sample cut anywhere, header included
- bit-flipped: a real sample with 1 to 256 bits flipped
- boundary: a real sample with one header field set to 0, 1, or its largest values
  (PNG/GIF/JPEG/WebP sizes and depths, WAV/FLAC/Ogg rates and channels)
- bomb: small files that claim or hold far more than they look (a 97 KB PNG of
  1 × 49,999,999 pixels, a progressive JPEG claiming 7000 × 7000, a WAV claiming 4 GB)
- huge: just over and just under the size limit
- empty: nothing at all
- unicode junk: control characters, lone surrogates, bidirectional marks, combining floods
- valid: real samples as people send them, so the normal path is fuzzed too

Documents mix all of these with declared types and names that may lie.

The real samples are the scikit-image astronaut and a scikit-learn landscape for photos,
espeak-ng speech (a synthetic voice when it is missing) encoded by libsndfile (and ffmpeg,
when present, for M4A) for sound.
"""

from __future__ import annotations

import functools
import io
import random
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "photo"))
from photo_samples import blank_png, jpeg_declaring, png_declaring

MODALITIES = ("text", "photo", "voice", "document")
LIMIT = 20 * 1024 * 1024  # the default byte limit of photos and voice notes
MAX_TEXT = 4000  # the default max_text_chars


@dataclass(frozen=True)
class FuzzInput:
    modality: str
    number: int
    category: str
    description: str
    data: bytes | str
    media_type: str | None = None
    filename: str | None = None
    caption: str | None = None


def inputs(modality: str, count: int, seed: int) -> Iterator[FuzzInput]:
    """``count`` inputs for one modality, made lazily (a huge one lives only while used)."""
    categories = CATEGORIES[modality]
    for number in range(count):
        rng = random.Random(f"{seed}:{modality}:{number}")
        category = categories[number % len(categories)]
        description, data, *declared = MAKERS[modality][category](rng)
        media_type, filename = declared if declared else (None, None)
        captioned = modality != "text" and rng.random() < 0.1
        caption = _unicode_junk(rng, rng.randrange(1, 200)) if captioned else None
        yield FuzzInput(
            modality, number, category, description, data, media_type, filename, caption
        )


# --- real samples ----------------------------------------------------------------------


@functools.cache
def photo_samples() -> dict[str, bytes]:
    from skimage import data as skimage_data
    from sklearn.datasets import load_sample_images

    astronaut = Image.fromarray(skimage_data.astronaut())
    landscape = Image.fromarray(load_sample_images().images[0])
    exif = Image.Exif()
    exif[0x0112] = 6
    frames = [astronaut.resize((96, 96)).rotate(angle) for angle in (0, 90, 180)]
    grey16 = Image.fromarray(np.asarray(astronaut.convert("L"), np.uint16) * 257)
    samples = {
        "JPEG": _save(astronaut, "JPEG", quality=90),
        "progressive JPEG": _save(landscape, "JPEG", quality=80, progressive=True),
        "rotated JPEG": _save(astronaut, "JPEG", exif=exif),
        "CMYK JPEG": _save(astronaut.convert("CMYK"), "JPEG"),
        "PNG": _save(astronaut, "PNG"),
        "RGBA PNG": _save(astronaut.convert("RGBA"), "PNG"),
        "16-bit PNG": _save(grey16, "PNG"),
        "palette PNG": _save(landscape.convert("P"), "PNG"),
        "WebP": _save(landscape, "WEBP", quality=70),
        "GIF": _save(astronaut.convert("P"), "GIF"),
        "animated GIF": _save(frames[0], "GIF", save_all=True, append_images=frames[1:]),
    }
    return samples


@functools.cache
def voice_samples() -> dict[str, bytes]:
    samples, rate = _speech()
    sounds = {
        "OGG/Opus": _sound(samples, rate, "OGG", "OPUS", 48_000),
        "OGG/Vorbis": _sound(samples, rate, "OGG", "VORBIS"),
        "MP3": _sound(samples, rate, "MP3", "MPEG_LAYER_III"),
        "FLAC": _sound(samples, rate, "FLAC", "PCM_16"),
        "WAV": _sound(samples, rate, "WAV", "PCM_16"),
        "float WAV": _sound(samples, rate, "WAV", "FLOAT"),
    }
    if shutil.which("ffmpeg"):
        command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0"]
        command += ["-c:a", "aac", "-f", "adts", "pipe:1"]
        done = subprocess.run(command, input=sounds["WAV"], capture_output=True, check=False)
        if done.returncode == 0 and done.stdout:
            sounds["AAC"] = done.stdout
    return sounds


TEXTS = (
    "I feel so happy today, the sun is shining!",
    "I'm exhausted and a bit sad tonight.",
    "我今天非常高兴，阳光明媚。",
    "有点难过，也有点生气 😢😠",
    "not bad, not great… meh",
    "I am NOT happy. At all!!!",
    "🎉🎉🎉",
    "Привет, как дела?",
)


def _speech() -> tuple[np.ndarray, int]:
    """A few seconds of English speech from espeak-ng, or a voice-like hum without it."""
    import soundfile

    if shutil.which("espeak-ng"):
        command = ["espeak-ng", "-v", "en", "--stdout", "I feel happy today, and a bit tired."]
        done = subprocess.run(command, capture_output=True, check=False, timeout=60)
        if done.returncode == 0 and done.stdout:
            samples, rate = soundfile.read(io.BytesIO(done.stdout), dtype="float32")
            return samples, rate
    rate = 16_000
    t = np.arange(3 * rate) / rate
    pitch = 140 + 30 * np.sin(2 * np.pi * 0.7 * t)  # a wandering voice
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    syllables = 0.5 * (1 + np.sin(2 * np.pi * 4 * t)) ** 2  # four a second
    return (0.2 * syllables * (np.sin(phase) + 0.5 * np.sin(2 * phase))).astype(np.float32), rate


def _sound(
    samples: np.ndarray, rate: int, fmt: str, subtype: str, resample_to: int | None = None
) -> bytes:
    import soundfile

    if resample_to and resample_to != rate:
        positions = np.arange(int(samples.size * resample_to / rate)) * rate / resample_to
        samples, rate = np.interp(positions, np.arange(samples.size), samples), resample_to
    out = io.BytesIO()
    soundfile.write(out, samples, rate, format=fmt, subtype=subtype)
    return out.getvalue()


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


# --- mutations ---------------------------------------------------------------------------


def _pick(rng: random.Random, samples: dict[str, bytes]) -> tuple[str, bytes]:
    name = rng.choice(sorted(samples))
    return name, samples[name]


def _truncated(rng: random.Random, samples: dict[str, bytes]) -> tuple[str, bytes]:
    name, data = _pick(rng, samples)
    cut = rng.choice([rng.randrange(0, 64), rng.randrange(0, len(data))])
    return f"{name} cut at {cut} of {len(data)} bytes", data[:cut]


def _flipped(rng: random.Random, samples: dict[str, bytes]) -> tuple[str, bytes]:
    name, data = _pick(rng, samples)
    flipped = bytearray(data)
    bits = rng.choice([1, 4, 32, 256])
    start = rng.choice([0, 16, 64])  # sometimes leave the magic bytes alone
    for _ in range(bits):
        flipped[rng.randrange(min(start, len(data) - 1), len(data))] ^= 1 << rng.randrange(8)
    return f"{name} with {bits} bits flipped", bytes(flipped)


def _random_bytes(rng: random.Random, magic: tuple[bytes, ...]) -> tuple[str, bytes]:
    size = rng.choice([1, 16, 600, 4096, 65_536])
    head = rng.choice((b"", *magic))
    return f"{size} random bytes after {head[:8]!r}", head + rng.randbytes(size)


def _huge(rng: random.Random, samples: dict[str, bytes]) -> tuple[str, bytes]:
    name, data = _pick(rng, samples)
    if rng.random() < 0.5:
        return f"{name} padded to 1 byte over the limit", data + bytes(LIMIT + 1 - len(data))
    size = LIMIT - rng.randrange(1, 1024)
    return f"{name} padded with random bytes to {size:,}", data + rng.randbytes(size - len(data))


# Header fields: (sample, offset or finder, size in bytes, byte order, what it is).
def _sof(data: bytes) -> int:
    at = max(data.find(b"\xff\xc0"), data.find(b"\xff\xc2"))
    return at + 5 if at >= 0 else 0


PHOTO_FIELDS: tuple[tuple[str, int | Callable[[bytes], int], int, str, str], ...] = (
    ("PNG", 16, 4, ">", "PNG width"),
    ("PNG", 20, 4, ">", "PNG height"),
    ("PNG", 24, 1, ">", "PNG bit depth"),
    ("PNG", 25, 1, ">", "PNG colour type"),
    ("16-bit PNG", 16, 4, ">", "16-bit PNG width"),
    ("palette PNG", 20, 4, ">", "palette PNG height"),
    ("JPEG", _sof, 2, ">", "JPEG height"),
    ("JPEG", lambda data: _sof(data) + 2, 2, ">", "JPEG width"),
    ("progressive JPEG", _sof, 2, ">", "progressive JPEG height"),
    ("JPEG", lambda data: _sof(data) + 4, 1, ">", "JPEG components"),
    ("GIF", 6, 2, "<", "GIF screen width"),
    ("GIF", 8, 2, "<", "GIF screen height"),
    ("animated GIF", 6, 2, "<", "animated GIF screen width"),
    ("WebP", 4, 4, "<", "WebP RIFF size"),
    ("WebP", 26, 2, "<", "WebP frame width"),
    ("WebP", 28, 2, "<", "WebP frame height"),
)
VOICE_FIELDS: tuple[tuple[str, int | Callable[[bytes], int], int, str, str], ...] = (
    ("WAV", 22, 2, "<", "WAV channels"),
    ("WAV", 24, 4, "<", "WAV sample rate"),
    ("WAV", 34, 2, "<", "WAV bits per sample"),
    ("WAV", 40, 4, "<", "WAV data size"),
    ("float WAV", 24, 4, "<", "float WAV sample rate"),
    ("FLAC", 18, 3, ">", "FLAC sample rate and channels"),
    ("FLAC", 8, 2, ">", "FLAC block size"),
    ("OGG/Opus", 37, 1, "<", "Opus channels"),
    ("OGG/Opus", 40, 4, "<", "Opus input rate"),
    ("OGG/Opus", 26, 1, "<", "Ogg page segments"),
    ("OGG/Vorbis", 39, 1, "<", "Vorbis channels"),
    ("OGG/Vorbis", 40, 4, "<", "Vorbis rate"),
    ("MP3", 2, 1, ">", "MPEG bitrate and rate bits"),
)


def _boundary(rng: random.Random, samples: dict[str, bytes], fields: tuple) -> tuple[str, bytes]:  # type: ignore[type-arg]
    name, where, size, order, what = rng.choice([f for f in fields if f[0] in samples])
    data = bytearray(samples[name])
    offset = where(bytes(data)) if callable(where) else where
    top = 2 ** (8 * size) - 1
    value = rng.choice([0, 1, 2, top // 2, top // 2 + 1, top - 1, top])
    data[offset : offset + size] = value.to_bytes(size, "big" if order == ">" else "little")
    if name.endswith("PNG") and offset < 29 and rng.random() < 0.7:  # a valid IHDR CRC
        data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    return f"{what} = {value:,}", bytes(data)


# --- bombs -------------------------------------------------------------------------------


def photo_bombs() -> dict[str, tuple[int, Callable[[], bytes]]]:
    """Name → (how often in a hundred, how to make it); the slow valid ones are rare."""
    return {
        "PNG of 1 × 49,999,999 pixels (97 KB)": (20, functools.partial(_blank, 1, 49_999_999)),
        "PNG of 49,999,999 × 1 pixels": (15, functools.partial(_blank, 49_999_999, 1)),
        "PNG header claiming 100,000 × 100,000": (
            15, functools.partial(png_declaring, 100_000, 100_000)),
        "progressive JPEG claiming 7000 × 7000": (12, _progressive_claiming_7000),
        "GIF claiming 65,535 × 65,535": (12, functools.partial(_gif_declaring, 65_535, 65_535)),
        "PNG of 1 × 3,000,000 pixels": (12, functools.partial(_blank, 1, 3_000_000)),
        "16-bit grey PNG of 4000 × 4000": (11, functools.partial(_blank, 4000, 4000, "L", 16)),
        "RGBA PNG of 7071 × 7071 (the pixel limit)": (
            3, functools.partial(_blank, 7071, 7071, "RGBA")),
    }  # fmt: skip


@functools.cache
def _blank(width: int, height: int, mode: str = "L", bit_depth: int = 8) -> bytes:
    return blank_png(width, height, mode, bit_depth)  # at most 200 KB, slow to make


def _progressive_claiming_7000() -> bytes:
    small = _save(Image.linear_gradient("L").convert("RGB"), "JPEG", progressive=True)
    return jpeg_declaring(small, 7000, 7000)


def _gif_declaring(width: int, height: int) -> bytes:
    head = b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
    image = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0)
    return head + image + b"\x02\x02\x44\x01\x00;"


def voice_bombs() -> dict[str, tuple[int, Callable[[], bytes]]]:
    """Name → (how often in a hundred, how to make it); big ones are made when used."""
    return {
        "WAV claiming 4 GB": (35, _wav_claiming_4_gb),
        "FLAC of an hour of silence": (30, _silent_hour),
        "MP3 repeated up to the size limit": (25, _mp3_up_to_the_limit),
        "WAV of 8 channels at 384 kHz": (5, _wide_wav),
        "FLAC of 8 channels at 384 kHz, 20 s of silence (66 KB)": (5, _silent_wide_flac),
    }


def _wav_claiming_4_gb() -> bytes:
    claim = b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVEfmt "
    claim += struct.pack("<IHHIIHH", 16, 1, 1, 16_000, 32_000, 2, 16)
    return claim + b"data" + struct.pack("<I", 0xFFFFFFFE) + bytes(4000)


@functools.cache
def _silent_hour() -> bytes:
    import soundfile

    out = io.BytesIO()
    soundfile.write(out, np.zeros(3600 * 8000, np.float32), 8000, format="FLAC")
    return out.getvalue()  # 90 KB


@functools.cache
def _silent_wide_flac() -> bytes:
    import soundfile

    out = io.BytesIO()
    with soundfile.SoundFile(out, "w", 384_000, 8, format="FLAC", subtype="PCM_16") as note:
        for _ in range(20):
            note.write(np.zeros((384_000, 8), np.float32))
    return out.getvalue()


def _mp3_up_to_the_limit() -> bytes:
    frames = voice_samples()["MP3"]
    return frames * (LIMIT // len(frames))


def _wide_wav() -> bytes:
    import soundfile

    out = io.BytesIO()
    noise = np.random.default_rng(8).normal(0, 0.1, (384_000 * 3, 8)).astype(np.float32)
    soundfile.write(out, noise, 384_000, format="WAV", subtype="PCM_16")
    return out.getvalue()


def _bomb(
    bombs: Callable[[], dict[str, tuple[int, Callable[[], bytes]]]], rng: random.Random
) -> tuple[str, bytes]:
    made = bombs()
    names = sorted(made)
    name = rng.choices(names, weights=[made[name][0] for name in names])[0]
    return name, made[name][1]()


# --- text ----------------------------------------------------------------------------------


JUNK_RANGES = (
    (0x00, 0x1F), (0x7F, 0x9F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069),
    (0x0300, 0x036F), (0xD800, 0xDFFF), (0xE000, 0xF8FF), (0xFFF0, 0xFFFF), (0x1F300, 0x1FAFF),
    (0x4E00, 0x9FFF), (0x0600, 0x06FF), (0x10FFF0, 0x10FFFF),
)  # fmt: skip


def _unicode_junk(rng: random.Random, length: int) -> str:
    picks = []
    for _ in range(length):
        low, high = rng.choice(JUNK_RANGES)
        picks.append(chr(rng.randint(low, high)))
    return "".join(picks)


def _text(rng: random.Random, category: str) -> tuple[str, str]:
    base = rng.choice(TEXTS)
    if category == "random":
        size = rng.choice([1, 10, 300, 4000])
        return f"{size} random code points", "".join(
            chr(rng.randrange(0x110000)) for _ in range(size)
        )
    if category == "truncated":
        raw = base.encode()[: rng.randrange(len(base.encode()) + 1)]
        return "a message cut mid-character", raw.decode("utf-8", "replace")
    if category == "bit-flipped":
        raw = bytearray(base.encode())
        for _ in range(rng.choice([1, 4, 16])):
            raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
        return "UTF-8 with flipped bits", raw.decode("utf-8", rng.choice(["replace", "ignore"]))
    if category == "boundary":
        size = rng.choice([MAX_TEXT - 1, MAX_TEXT, MAX_TEXT + 1])
        return f"{size} characters", (base * (size // len(base) + 1))[:size]
    if category == "bomb":
        mark = rng.choice(["\u0301", "\u200d", "😢", "!", "很"])
        return f"{mark!r} a hundred thousand times", base + mark * 100_000
    if category == "huge":
        return "1 MB of words", (base + " ") * (1_000_000 // (len(base) + 1))
    if category == "empty":
        return "empty or blank", rng.choice(["", " ", "\n\t", "\u3000", "\u200b"])
    if category == "unicode junk":
        return "unicode junk", _unicode_junk(rng, rng.choice([1, 5, 50, 500]))
    return "a real message", base


# --- makers --------------------------------------------------------------------------------

PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBPVP8 ")
SOUND_MAGIC = (b"OggS", b"fLaC", b"ID3", b"RIFF\x00\x00\x00\x00WAVEfmt ", b"\xff\xfb")
OTHER_FILES = {
    "PDF": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
    "ZIP": b"PK\x03\x04" + bytes(26),
    "ELF": b"\x7fELF\x02\x01\x01" + bytes(57),
    "HTML": b"<!doctype html><html><body>hi</body></html>",
}
MEDIA_TYPES = (
    None, "image/jpeg", "image/png", "image/webp", "audio/ogg", "audio/mpeg", "audio/x-wav",
    "video/mp4", "application/pdf", "application/octet-stream", "image/", "audio", ";;",
    "IMAGE/PNG; charset=utf-8",
)  # fmt: skip
NAMES = (None, "photo.jpg", "voice.ogg", "song.mp3", "file", ".png", "a.b.c.wav", "x" * 300)


def _media_maker(
    samples: Callable[[], dict[str, bytes]],
    magic: tuple[bytes, ...],
    fields: tuple,  # type: ignore[type-arg]
    bomb: Callable[[random.Random], tuple[str, bytes]],
) -> dict[str, Callable[[random.Random], tuple]]:  # type: ignore[type-arg]
    def valid(rng: random.Random) -> tuple[str, bytes]:
        return _pick(rng, samples())

    return {
        "random": lambda rng: _random_bytes(rng, magic),
        "truncated": lambda rng: _truncated(rng, samples()),
        "bit-flipped": lambda rng: _flipped(rng, samples()),
        "boundary": lambda rng: _boundary(rng, samples(), fields),
        "bomb": bomb,
        "huge": lambda rng: _huge(rng, samples()),
        "empty": lambda rng: ("no bytes", b""),
        "unicode junk": lambda rng: ("unicode junk as UTF-8", _unicode_junk(rng, 200).encode(
            "utf-8", "surrogatepass")),
        "valid": valid,
    }  # fmt: skip


PHOTO = _media_maker(
    photo_samples, PHOTO_MAGIC, PHOTO_FIELDS, functools.partial(_bomb, photo_bombs)
)
VOICE = _media_maker(
    voice_samples, SOUND_MAGIC, VOICE_FIELDS, functools.partial(_bomb, voice_bombs)
)


def _document(rng: random.Random, category: str) -> tuple[str, bytes, str | None, str | None]:
    source = rng.choice(["photo", "voice", "other"])
    if source == "other" and category in ("valid", "truncated", "bit-flipped", "boundary"):
        kind, data = _pick(rng, OTHER_FILES)
        description = f"a {kind} file"
    else:
        maker = (PHOTO if source == "photo" else VOICE)[category]
        description, data = maker(rng)
    media_type = rng.choice(MEDIA_TYPES)
    filename = rng.choice(NAMES) if rng.random() < 0.8 else _unicode_junk(rng, 40)
    shown = filename if filename is None or len(filename) <= 40 else f"{filename[:37]}..."
    return f"{description}, declared {media_type!r} {shown!r}", data, media_type, filename


TEXT_CATEGORIES = (
    "random", "truncated", "bit-flipped", "boundary", "bomb", "huge", "empty", "unicode junk",
    "valid",
)  # fmt: skip
CATEGORIES = {
    "text": TEXT_CATEGORIES,
    "photo": tuple(PHOTO),
    "voice": tuple(VOICE),
    "document": tuple(PHOTO),
}
MAKERS: dict[str, dict[str, Callable[[random.Random], tuple]]] = {  # type: ignore[type-arg]
    "text": {c: functools.partial(_text, category=c) for c in TEXT_CATEGORIES},
    "photo": PHOTO,
    "voice": VOICE,
    "document": {c: functools.partial(_document, category=c) for c in PHOTO},
}
