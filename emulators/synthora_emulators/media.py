"""What an emulator can learn from uploaded bytes: their hash and, for MP4/MOV, duration and size.

The ISO base media file format (ISO/IEC 14496-12) stores the presentation
duration in the `mvhd` box inside `moov` (timescale units), and each track's
display size in its `tkhd` box (16.16 fixed point). That is all the platforms'
processing needs here: a file without a readable `moov` fails processing, as it
does on the real services.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class Probe:
    duration_s: float
    width: int
    height: int


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _boxes(data: bytes, start: int, end: int) -> list[tuple[str, int, int]]:
    """(type, payload start, payload end) of each box between start and end."""
    out: list[tuple[str, int, int]] = []
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > end:
                break
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            break
        out.append((kind.decode("latin-1"), pos + header, pos + size))
        pos += size
    return out


def probe_mp4(data: bytes) -> Probe | None:
    """Duration and largest track size of an MP4/MOV, or None when it is not one."""
    top = _boxes(data, 0, len(data))
    if not top or top[0][0] not in ("ftyp", "moov", "mdat", "free", "wide"):
        return None
    moov = next(((s, e) for k, s, e in top if k == "moov"), None)
    if moov is None:
        return None
    duration: float | None = None
    width = height = 0
    for kind, start, end in _boxes(data, *moov):
        if kind == "mvhd" and end - start >= 32:
            version = data[start]
            if version == 1:
                timescale, length = struct.unpack(">IQ", data[start + 20 : start + 32])
            else:
                timescale, length = struct.unpack(">II", data[start + 12 : start + 20])
            if timescale:
                duration = length / timescale
        elif kind == "trak":
            for sub, s, e in _boxes(data, start, end):
                if sub == "tkhd" and e - s >= 84:
                    w, h = struct.unpack(">II", data[e - 8 : e])
                    if (w >> 16) * (h >> 16) > width * height:
                        width, height = w >> 16, h >> 16
    if duration is None:
        return None
    return Probe(duration_s=round(duration, 3), width=width, height=height)
