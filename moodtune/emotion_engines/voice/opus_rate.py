"""Let libsndfile decode Ogg Opus straight to 16 kHz instead of 48 kHz.

libsndfile decodes an Opus stream at the rate its OpusHead header names as the "input
sample rate", a field RFC 7845 (§5.1) calls informational and that chat apps set to
48 kHz. libopus decodes natively at 16 kHz, which costs less and makes the 48 → 16 kHz
resampling unnecessary, so the field is rewritten in a copy of the first page, whose
CRC is then recomputed. Anything that is not a well-formed OpusHead page is left alone.
"""

from __future__ import annotations

OGG_HEADER = 27  # bytes before the segment table
RATE_FIELD = slice(12, 16)  # little-endian u32 inside the OpusHead packet


def _crc_table() -> tuple[int, ...]:
    """Ogg's CRC-32: polynomial 0x04C11DB7, MSB first, initial value 0 (RFC 3533)."""
    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = (crc << 1) ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return tuple(table)


_TABLE = _crc_table()


def ogg_crc(page: bytes | bytearray) -> int:
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _TABLE[((crc >> 24) & 0xFF) ^ byte]
    return crc


def decode_opus_at(data: bytes, rate: int) -> bytes:
    """`data` with its OpusHead asking for `rate` (8, 12, 16, 24 or 48 kHz)."""
    if len(data) < OGG_HEADER or data[:4] != b"OggS":
        return data
    segments = data[26]
    start = OGG_HEADER + segments
    end = start + sum(data[OGG_HEADER:start])
    head = data[start:end]
    if end > len(data) or len(head) < 19 or head[:8] != b"OpusHead":
        return data
    page = bytearray(data[:end])
    stored = int.from_bytes(page[22:26], "little")
    page[22:26] = bytes(4)  # the CRC is computed with its own field zeroed
    if ogg_crc(page) != stored:
        return data  # a damaged first page: let the decoder report it as it is
    page[start + RATE_FIELD.start : start + RATE_FIELD.stop] = rate.to_bytes(4, "little")
    page[22:26] = ogg_crc(page).to_bytes(4, "little")
    return bytes(page) + data[end:]
