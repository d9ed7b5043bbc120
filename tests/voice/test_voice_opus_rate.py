"""Rewriting the OpusHead rate so libsndfile decodes at 16 kHz: same sound, valid pages."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from voice_samples import encode

from moodtune.emotion_engines.voice.opus_rate import decode_opus_at, ogg_crc


def first_page_end(data: bytes) -> int:
    start = 27 + data[26]
    return start + sum(data[27:start])


def test_the_crc_of_a_real_page_is_reproduced(english_note: bytes) -> None:
    page = bytearray(english_note[: first_page_end(english_note)])
    stored = int.from_bytes(page[22:26], "little")
    page[22:26] = bytes(4)
    assert ogg_crc(page) == stored


def test_the_note_decodes_at_16_khz_with_the_same_length_and_sound(english_note: bytes):
    original, original_rate = soundfile.read(io.BytesIO(english_note), dtype="float32")
    patched = decode_opus_at(english_note, 16_000)
    assert len(patched) == len(english_note) and patched[4:] != english_note[4:]
    samples, rate = soundfile.read(io.BytesIO(patched), dtype="float32")
    assert (original_rate, rate) == (48_000, 16_000)
    assert samples.size == pytest.approx(original.size / 3, abs=2)
    # The same sound: the 48 kHz decode, decimated, matches the 16 kHz one closely.
    decimated = original[: samples.size * 3 : 3]
    size = min(decimated.size, samples.size)
    assert np.corrcoef(decimated[:size], samples[:size])[0, 1] > 0.9


def test_a_damaged_first_page_is_left_alone(english_note: bytes) -> None:
    damaged = bytearray(english_note)
    damaged[40] ^= 0xFF
    assert decode_opus_at(bytes(damaged), 16_000) == bytes(damaged)


@pytest.mark.parametrize("data", [b"", b"OggS", b"OggS" + bytes(40), b"RIFF" + bytes(60)])
def test_what_is_not_an_opus_head_page_is_left_alone(data: bytes) -> None:
    assert decode_opus_at(data, 16_000) == data


def test_ogg_vorbis_is_left_alone(english_wav: bytes) -> None:
    vorbis = encode(english_wav, "-c:a", "libvorbis", "-q:a", "2")
    assert decode_opus_at(vorbis, 16_000) == vorbis
