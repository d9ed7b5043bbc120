"""Decoding: every format a person may send, at 16 kHz mono, within limits; bad files refused."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import soundfile
from voice_samples import encode, encode_file, repeat_to, require, wav

from moodtune.emotion_engines.voice.decode import RATE, decode
from moodtune.emotion_engines.voice.errors import DecoderUnavailableError, VoiceInputError

MB = 2**20
LIMIT = 20 * MB


def seconds_of(data: bytes) -> float:
    samples, rate = soundfile.read(io.BytesIO(data))
    return samples.shape[0] / rate


@pytest.fixture(scope="session")
def formats(english_wav: bytes, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("formats")
    return {
        "OGG": encode(english_wav, "-c:a", "libopus", "-b:a", "24k", "-ar", "48000"),
        "OGG Vorbis": encode(english_wav, "-c:a", "libvorbis", "-q:a", "2"),
        "MP3": encode(english_wav, "-c:a", "libmp3lame", "-b:a", "64k", container="mp3"),
        "FLAC": encode_file(english_wav, folder / "note.flac", "-c:a", "flac"),
        "WAV": english_wav,
        # ffmpeg writes the M4A index (moov atom) last, as many phones do.
        "M4A": encode_file(english_wav, folder / "note.m4a", "-c:a", "aac", "-b:a", "48k"),
        "AAC": encode(english_wav, "-c:a", "aac", "-b:a", "48k", container="adts"),
        "WebM": encode(english_wav, "-c:a", "libopus", "-b:a", "24k", container="webm"),
    }


@pytest.mark.parametrize(
    ("name", "container", "decoder"),
    [
        ("OGG", "OGG", "soundfile"),
        ("OGG Vorbis", "OGG", "soundfile"),
        ("MP3", "MP3", "soundfile"),
        ("FLAC", "FLAC", "soundfile"),
        ("WAV", "WAV", "soundfile"),
        ("M4A", "M4A", "ffmpeg"),
        ("AAC", "AAC", "ffmpeg"),
        ("WebM", "WebM", "ffmpeg"),
    ],
)
def test_every_format_decodes_to_16_khz_mono(
    formats: dict[str, bytes], english_wav: bytes, name: str, container: str, decoder: str
) -> None:
    audio = decode(formats[name], LIMIT, 120)
    assert (audio.container, audio.decoder, audio.rate) == (container, decoder, RATE)
    assert audio.samples.ndim == 1 and audio.samples.dtype == np.float32
    # Codecs add a few tens of milliseconds of priming/padding at most.
    assert audio.seconds == pytest.approx(seconds_of(english_wav), abs=0.15)
    assert 0.05 < np.abs(audio.samples).max() <= 1.0
    assert not audio.truncated


def test_a_streamed_flac_without_its_length_falls_back_to_ffmpeg(english_wav: bytes) -> None:
    # Written to a pipe, FLAC cannot go back to record its length; libsndfile gives up.
    streamed = encode(english_wav, "-c:a", "flac", container="flac")
    audio = decode(streamed, LIMIT, 120)
    assert (audio.container, audio.decoder) == ("FLAC", "ffmpeg")
    assert audio.seconds == pytest.approx(seconds_of(english_wav), abs=0.01)


def test_an_8_khz_recording_is_upsampled(english_wav: bytes) -> None:
    narrowband = encode(english_wav, "-ar", "8000", container="wav")
    audio = decode(narrowband, LIMIT, 120)
    assert audio.rate == RATE
    assert audio.seconds == pytest.approx(seconds_of(english_wav), abs=0.01)


def test_a_48_khz_stereo_file_is_mixed_down(english_wav: bytes) -> None:
    samples, rate = soundfile.read(io.BytesIO(english_wav))
    left_only = np.stack([samples, np.zeros_like(samples)], axis=1)
    stereo = encode(wav(left_only, rate), "-ar", "48000", container="wav")
    assert soundfile.info(io.BytesIO(stereo)).channels == 2
    audio = decode(stereo, LIMIT, 120)
    assert audio.rate == RATE and audio.samples.ndim == 1
    assert audio.seconds == pytest.approx(samples.size / rate, abs=0.01)
    assert np.abs(audio.samples).max() > 0.05  # the voice in one channel survives the mix


def test_an_odd_sample_rate_is_resampled_approximately() -> None:
    tone = 0.5 * np.sin(2 * np.pi * 200 * np.arange(44_099) / 44_099)
    audio = decode(wav(tone, 44_099), LIMIT, 120)
    assert audio.seconds == pytest.approx(1.0, abs=0.002)


def test_only_the_first_max_seconds_are_decoded(english_wav: bytes) -> None:
    note = repeat_to(english_wav, 20)
    audio = decode(note, LIMIT, 5)
    assert audio.truncated and audio.seconds == pytest.approx(5.0, abs=0.01)
    assert audio.source_seconds == pytest.approx(20.0, abs=0.05)


def test_the_ffmpeg_path_also_stops_at_max_seconds(english_wav: bytes) -> None:
    long_aac = encode(repeat_to(english_wav, 20), "-c:a", "aac", container="adts")
    audio = decode(long_aac, LIMIT, 5)
    assert audio.decoder == "ffmpeg" and audio.truncated
    assert audio.seconds == pytest.approx(5.0, abs=0.01)


def test_an_hour_long_note_costs_what_two_minutes_cost(hour_long_note: bytes) -> None:
    assert len(hour_long_note) < LIMIT
    tracemalloc.start()
    try:
        audio = decode(hour_long_note, LIMIT, 120)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert audio.truncated and audio.seconds == pytest.approx(120, abs=0.05)
    # An hour at 16 kHz float32 would be 230 MB; two minutes are 7.7 MB.
    assert peak < 80 * MB


def test_too_many_bytes_are_refused_before_anything_else() -> None:
    fifty_mb = b"OggS" + bytes(50 * MB)
    with pytest.raises(VoiceInputError, match=r"50\.0 MB; I can take at most 20\.0 MB"):
        decode(fifty_mb, LIMIT, 120)


@pytest.mark.parametrize("data", [b"", bytearray(), memoryview(b"")])
def test_an_empty_note_is_refused(data: bytes) -> None:
    with pytest.raises(VoiceInputError, match="empty"):
        decode(data, LIMIT, 120)


@pytest.mark.parametrize("data", ["a string", None, 42, np.zeros(10)])
def test_something_other_than_bytes_is_refused(data: object) -> None:
    with pytest.raises(VoiceInputError, match="must be bytes"):
        decode(data, LIMIT, 120)  # type: ignore[arg-type]


def test_random_bytes_are_not_audio() -> None:
    require("ffmpeg")
    noise = np.random.default_rng(3).integers(0, 256, 64_000, dtype=np.uint8).tobytes()
    with pytest.raises(VoiceInputError, match="do not recognise this file as audio"):
        decode(noise, LIMIT, 120)


def test_an_ogg_header_over_garbage_is_refused() -> None:
    require("ffmpeg")
    garbage = b"OggS" + np.random.default_rng(5).integers(0, 256, 8_000, dtype=np.uint8).tobytes()
    with pytest.raises(VoiceInputError, match="OGG file"):
        decode(garbage, LIMIT, 120)


def test_a_truncated_note_yields_what_it_holds(english_note: bytes) -> None:
    half = decode(english_note[: len(english_note) // 2], LIMIT, 120)
    whole = decode(english_note, LIMIT, 120)
    assert 0.2 * whole.seconds < half.seconds < 0.8 * whole.seconds


def test_a_note_cut_inside_its_headers_is_refused(english_note: bytes) -> None:
    require("ffmpeg")
    with pytest.raises(VoiceInputError, match="OGG file"):
        decode(english_note[:300], LIMIT, 120)


def test_not_a_number_samples_are_cleaned() -> None:
    samples = np.full(16_000, np.nan, dtype=np.float32)
    samples[::2] = 4.0  # far beyond full scale
    audio = decode(wav(samples, 16_000, "FLOAT"), LIMIT, 120)
    assert np.isfinite(audio.samples).all() and np.abs(audio.samples).max() <= 1.0


def test_a_note_of_a_few_milliseconds_decodes() -> None:
    audio = decode(wav(np.zeros(80), 8_000), LIMIT, 120)
    assert audio.samples.size == 160


@pytest.fixture
def no_ffmpeg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A host without ffmpeg: nothing on PATH."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))


@pytest.mark.usefixtures("no_ffmpeg")
def test_m4a_without_ffmpeg_says_what_is_missing(formats: dict[str, bytes]) -> None:
    with pytest.raises(DecoderUnavailableError, match="needs ffmpeg, which is not installed"):
        decode(formats["M4A"], LIMIT, 120)


@pytest.mark.usefixtures("no_ffmpeg")
def test_without_ffmpeg_native_formats_still_decode(formats: dict[str, bytes]) -> None:
    assert decode(formats["OGG"], LIMIT, 120).decoder == "soundfile"


@pytest.mark.usefixtures("no_ffmpeg")
def test_without_ffmpeg_a_damaged_ogg_is_called_damaged(english_note: bytes) -> None:
    with pytest.raises(VoiceInputError, match="damaged or truncated"):
        decode(english_note[:300], LIMIT, 120)


@pytest.mark.usefixtures("no_ffmpeg")
def test_without_ffmpeg_random_bytes_are_not_audio() -> None:
    with pytest.raises(VoiceInputError, match="do not recognise"):
        decode(b"\x01\x02\x03" * 100, LIMIT, 120)
