"""The bundled models' weights for tests: found, or a skip that says how to install them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from moodtune.emotion_engines.bundled import BundledModel, MissingWeightsError


def require(model: BundledModel) -> Path:
    """The installed weights file; skip the test, naming the install, when it is absent."""
    try:
        return model.locate()
    except MissingWeightsError as error:
        pytest.skip(f"{model.name} weights absent: {error}; `make setup` installs them")


@dataclass(frozen=True)
class FileWeights:
    """Weights from a file of the test's own (a truncated or reshaped copy), in place of
    the installed package; the engines take it as they take a BundledModel."""

    path: Path
    name: str = "test weights"
    requirement: str = "a file made by the test"

    def locate(self) -> Path:
        if not self.path.exists():
            raise MissingWeightsError(f"no file at {self.path}")
        return self.path


def truncated_copy(model: BundledModel, folder: Path, keep: float = 0.5) -> FileWeights:
    """The first ``keep`` share of the real file, as an interrupted download leaves it."""
    data = require(model).read_bytes()
    path = folder / f"truncated-{Path(model.file).name}"
    path.write_bytes(data[: int(len(data) * keep)])
    return FileWeights(path)


def copy_of(model: BundledModel, folder: Path) -> Path:
    target = folder / Path(model.file).name
    shutil.copyfile(require(model), target)
    return target


def absent(model: BundledModel) -> BundledModel:
    """The same model as if its package were not installed."""
    from dataclasses import replace

    return replace(model, package=f"{model.package}-not-installed")
