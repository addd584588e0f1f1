"""A fast PNG writer for rendered pixels.

Pillow tries five filters on every row before compressing; on a 1080×1080 card that took
25 ms at zlib level 1. Rendered graphics compress well with the ``Sub`` filter alone, which
numpy applies to the whole image at once: filtering plus zlib level 1 took ~9 ms here for
files within 10 % of Pillow's. The output is a standard PNG (Pillow, browsers and libpng
read it) and the same pixels always give the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping

import numpy as np
from PIL import Image

__all__ = ["encode_png"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SUB = 1


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _itxt(key: str, value: str) -> bytes:
    # keyword, null, compression flag 0, method 0, empty language tag, empty translated key
    return key.encode("latin-1") + b"\x00\x00\x00\x00\x00" + value.encode("utf-8")


def encode_png(
    pixels: np.ndarray,
    *,
    alpha: bool = True,
    compress_level: int = 6,
    text: Mapping[str, str] | None = None,
) -> bytes:
    """Encodes (height, width, 4) RGBA uint8 pixels as an 8-bit PNG.

    Args:
        pixels: unpremultiplied RGBA.
        alpha: keep the alpha channel; False writes RGB (for opaque pictures: smaller).
        compress_level: zlib level 0–9.
        text: metadata written as iTXt chunks (UTF-8 values; Latin-1 keywords ≤ 79 chars).
    """
    h, w, _ = pixels.shape
    channels = 4 if alpha else 3
    if alpha:
        flat = pixels.reshape(h, w * 4)
    else:
        # Pillow packs RGBX to RGB in ~0.5 ms; numpy's strided slice took ~9 ms.
        packed = Image.frombytes("RGB", (w, h), pixels, "raw", "RGBX")
        flat = np.asarray(packed).reshape(h, w * 3)
    rows = np.empty((h, 1 + w * channels), np.uint8)
    rows[:, 0] = _SUB
    rows[:, 1 : 1 + channels] = flat[:, :channels]
    np.subtract(flat[:, channels:], flat[:, :-channels], out=rows[:, 1 + channels :])
    color_type = 6 if alpha else 2
    header = struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0)
    parts = [_SIGNATURE, _chunk(b"IHDR", header)]
    for key, value in (text or {}).items():
        parts.append(_chunk(b"iTXt", _itxt(key, value)))
    parts.append(_chunk(b"IDAT", zlib.compress(rows.data, compress_level)))
    parts.append(_chunk(b"IEND", b""))
    return b"".join(parts)
