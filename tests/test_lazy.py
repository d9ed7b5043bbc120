"""The one lazy model loader every engine uses (emotion_engines/lazy.py)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from moodtune.emotion_engines.lazy import LazyModel, load_shared, model_label, warn_once


class Counted:
    """A "model" that counts how often it was built and can be told to fail."""

    built = 0

    def __init__(self, source: str) -> None:
        if source == "broken":
            raise OSError("truncated file")
        type(self).built += 1
        self.source = source


def test_a_model_is_loaded_once_whatever_the_number_of_threads() -> None:
    Counted.built = 0
    lazy = LazyModel("test", "good", Counted)
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(lazy.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counted.built == 1 and len({id(r) for r in results}) == 1
    assert not lazy.failed and lazy.error is None


def test_a_model_that_cannot_load_is_logged_once_and_never_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls = []

    def load(source: str) -> object:
        calls.append(source)
        raise OSError("truncated file")

    lazy = LazyModel("face detector", "centerface.onnx", load, fallback="the haar detector")
    assert not lazy.failed  # nothing tried yet
    with caplog.at_level(logging.WARNING):
        assert [lazy.get(), lazy.get(), lazy.use(lambda m: m)] == [None, None, None]
    assert calls == ["centerface.onnx"] and lazy.failed
    assert lazy.error == "OSError: truncated file"
    (record,) = caplog.records
    assert record.getMessage() == (
        "the face detector model centerface.onnx could not be loaded (OSError: truncated file);"
        " the haar detector answers instead"
    )


def test_a_failure_on_one_input_is_skipped_and_logged_once_per_kind(
    caplog: pytest.LogCaptureFixture,
) -> None:
    lazy = LazyModel("speech-to-text", "whisper-once", Counted, fallback="the tone alone")

    def fail(error: Exception):
        def action(model: Counted) -> str:
            raise error

        return action

    with caplog.at_level(logging.WARNING):
        assert lazy.use(fail(RuntimeError("too long"))) is None
        assert lazy.use(fail(RuntimeError("too long again"))) is None
        assert lazy.use(fail(ValueError("odd input"))) is None
        assert lazy.use(lambda model: model.source) == "whisper-once"  # still usable
    assert [r.getMessage().split(" (")[1].split(":")[0] for r in caplog.records] == [
        "RuntimeError",
        "ValueError",
    ]


def test_shared_loads_build_one_instance_per_kind_and_file(tmp_path: Path) -> None:
    Counted.built = 0
    first, second = tmp_path / "a.bin", tmp_path / "b.bin"
    assert load_shared(Counted, first) is load_shared(Counted, first)
    assert load_shared(Counted, second) is not load_shared(Counted, first)
    assert Counted.built == 2
    for _ in range(2):  # a failed load is not remembered: the next call tries again
        with pytest.raises(OSError):
            load_shared(Counted, "broken")  # type: ignore[arg-type]


def test_warn_once_logs_a_key_once(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("moodtune.test")
    with caplog.at_level(logging.WARNING):
        assert warn_once(log, "key-a", "first %s", 1)
        assert not warn_once(log, "key-a", "again %s", 2)
    assert [r.getMessage() for r in caplog.records] == ["first 1"]


def test_a_model_is_named_by_its_directory_or_its_id(tmp_path: Path) -> None:
    assert model_label(str(tmp_path)) == tmp_path.name
    assert model_label("j-hartmann/emotion-english-distilroberta-base").startswith("j-hartmann/")
