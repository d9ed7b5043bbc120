"""Real sample photos as the bytes a chat platform delivers, and crafted bad files.

The faces are real: scikit-image's astronaut (Eileen Collins, smiling) and matplotlib's
portrait of Grace Hopper (straight-faced), and their mirror images. Group photos,
collages and a crowd are composed from their heads on scikit-learn's landscapes, so every
face's place and size is known.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

# Where the astronaut's face is in skimage.data.astronaut() (512 × 512): x, y, w, h.
ASTRONAUT_FACE = (177, 67, 93, 93)
FER_LABELS = ("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise")


def encode(image: Image.Image | np.ndarray, fmt: str = "JPEG", **options: object) -> bytes:
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


@functools.cache
def _astronaut() -> np.ndarray:
    from skimage import data

    picture = data.astronaut()
    picture.setflags(write=False)
    return picture


def astronaut() -> np.ndarray:
    return _astronaut()


@functools.cache
def landscapes() -> dict[str, np.ndarray]:
    from sklearn.datasets import load_sample_images

    samples = load_sample_images()
    pairs = zip(samples.filenames, samples.images, strict=True)
    return {Path(name).stem: image for name, image in pairs}


@functools.cache
def grace_hopper() -> np.ndarray:
    from matplotlib import cbook

    with Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as image:
        picture = np.asarray(image.convert("RGB"))
    picture.setflags(write=False)
    return picture


# Where Grace Hopper's face is in matplotlib's grace_hopper.jpg (512 × 600): x, y, w, h.
HOPPER_FACE = (173, 128, 186, 206)
# Each head: the crop, and the share of its height that the face box takes.
HEAD_FACE_SHARE = 0.6


@functools.cache
def heads() -> tuple[np.ndarray, ...]:
    """Four real heads with some room around the face: two people, each also mirrored."""
    both = (astronaut()[20:230, 130:320], grace_hopper()[60:380, 130:400])
    return (*both, *(np.ascontiguousarray(head[:, ::-1]) for head in both))


Box = tuple[int, int, int, int]


def place(canvas: np.ndarray, head: np.ndarray, centre: tuple[int, int], height: int) -> Box:
    """Paste ``head`` scaled to ``height`` pixels, centred at ``centre``; its box."""
    width = round(head.shape[1] * height / head.shape[0])
    small = cv2.resize(head, (width, height), interpolation=cv2.INTER_AREA)
    x, y = centre[0] - width // 2, centre[1] - height // 2
    canvas[y : y + height, x : x + width] = small
    return (x, y, width, height)


def backdrop(width: int, height: int, name: str = "china") -> np.ndarray:
    return cv2.resize(landscapes()[name], (width, height), interpolation=cv2.INTER_AREA)


def group_photo(width: int = 1600, height: int = 1000) -> tuple[np.ndarray, list[Box]]:
    """Six people in two staggered rows, faces about 13 % of the long side."""
    canvas, boxes = backdrop(width, height), []
    for i in range(6):
        centre = (round(width * (i + 0.5) / 6), round(height * (0.4 if i % 2 else 0.62)))
        boxes.append(place(canvas, heads()[i % 4], centre, round(height * 0.22)))
    return canvas, boxes


def collage(face_shares: tuple[float, ...], width: int = 2400, height: int = 1500):
    """One face per share of the long side (the face box's height), left to right."""
    canvas, boxes, left = backdrop(width, height, "flower"), [], 10
    for i, share in enumerate(face_shares):
        head = heads()[i % 4]
        head_height = round(share * width / HEAD_FACE_SHARE)
        head_width = round(head.shape[1] * head_height / head.shape[0])
        boxes.append(place(canvas, head, (left + head_width // 2, height // 2), head_height))
        left += head_width + 10
    return canvas, boxes


def crowd(count: int = 60, width: int = 1800, height: int = 1200) -> tuple[np.ndarray, list[Box]]:
    """``count`` faces in rows of ten."""
    canvas, boxes, rows = backdrop(width, height), [], count // 10
    for i in range(count):
        row, column = divmod(i, 10)
        centre = (round(width * (column + 0.5) / 10), round(height * (row + 0.5) / rows))
        boxes.append(place(canvas, heads()[i % 4], centre, round(height / rows * 0.9)))
    return canvas, boxes


def inside(face_box: tuple[int, ...], head_box: tuple[int, ...]) -> bool:
    """Whether a found face's centre lies in a placed head."""
    x, y = face_box[0] + face_box[2] / 2, face_box[1] + face_box[3] / 2
    return head_box[0] <= x <= head_box[0] + head_box[2] and (
        head_box[1] <= y <= head_box[1] + head_box[3]
    )


def each_head_found_once(faces: list, heads_placed: list[Box]) -> bool:
    hits = [sum(inside(face.box, head) for face in faces) for head in heads_placed]
    return hits == [1] * len(heads_placed) and len(faces) == len(heads_placed)


def overlap(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Intersection over union of two (x, y, w, h) boxes."""
    width = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    height = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = width * height
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def two_heads(background: int | str = 90, small_scale: float = 0.5) -> np.ndarray:
    """The astronaut's head twice on one canvas: full size top left, smaller bottom right."""
    canvas = (
        cv2.resize(landscapes()["china"], (800, 560))
        if background == "china"
        else np.full((560, 800, 3), background, np.uint8)
    )
    head = astronaut()[20:230, 130:320]
    canvas[20:230, 20:210] = head
    height, width = round(210 * small_scale), round(190 * small_scale)
    small = cv2.resize(head, (width, height), interpolation=cv2.INTER_AREA)
    canvas[540 - height : 540, 780 - width : 780] = small
    return canvas


def _png(header: bytes, data: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width × height`` pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return _png(header, zlib.compress(b"\x00" * 64))


def jpeg_declaring(data: bytes, width: int, height: int) -> bytes:
    """A JPEG with its frame header (SOF) changed to claim ``width × height`` pixels."""
    for marker in (b"\xff\xc0", b"\xff\xc1", b"\xff\xc2"):
        at = data.find(marker)
        if at >= 0:
            size = struct.pack(">HH", height, width)
            return data[: at + 5] + size + data[at + 9 :]
    raise ValueError("no frame header found")


PNG_COLOUR_TYPES = {"L": (0, 1), "RGB": (2, 3), "LA": (4, 2), "RGBA": (6, 4)}  # type, channels


def blank_png(width: int, height: int, mode: str = "L", bit_depth: int = 8) -> bytes:
    """A valid PNG of ``width × height`` black pixels, compressed without ever holding them
    (a 1 × 49,999,999 one is 97 KB): the shape of a real decompression bomb."""
    colour_type, channels = PNG_COLOUR_TYPES[mode]
    row = bytes(1 + (width * channels * bit_depth + 7) // 8)  # filter byte 0, then zeros
    rows_at_once = max(1, 2**20 // len(row))
    compressor = zlib.compressobj(9)
    parts = []
    for first in range(0, height, rows_at_once):
        parts.append(compressor.compress(row * min(rows_at_once, height - first)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return _png(header, b"".join(parts))


def build_tiny_expression_model(
    directory: Path, labels: tuple[str, ...] = FER_LABELS, favour: str | None = "happy"
) -> Path:
    """A random tiny ViT image classifier; ``favour`` gets a large bias (None: all zero)."""
    import torch
    from transformers import ViTConfig, ViTForImageClassification

    try:
        from transformers import ViTImageProcessorPil as Processor
    except ImportError:  # transformers 4: the one processor is PIL-based
        from transformers import ViTImageProcessor as Processor

    torch.manual_seed(0)
    config = ViTConfig(
        image_size=32,
        patch_size=8,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    model = ViTForImageClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()  # the logits are the biases: a known answer
        model.classifier.bias.zero_()
        if favour is not None:
            model.classifier.bias[labels.index(favour)] = 6.0
    model.save_pretrained(directory)
    Processor(size={"height": 32, "width": 32}).save_pretrained(directory)
    return directory
