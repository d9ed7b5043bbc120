"""Real sample photos as the bytes a chat platform delivers, and crafted bad files."""

from __future__ import annotations

import functools
import io
import struct
import zlib
from pathlib import Path

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


def astronaut_head(margin: float = 0.6) -> np.ndarray:
    """The astronaut's face with some hair and neck around it, as a crop."""
    x, y, w, h = ASTRONAUT_FACE
    pad_x, pad_y = int(w * margin), int(h * margin)
    return astronaut()[max(0, y - pad_y) : y + h + pad_y, max(0, x - pad_x) : x + w + pad_x]


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width × height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


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
