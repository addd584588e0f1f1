"""Procedural test photos (numpy): a sky, a ridge line and a lake; EXIF written with Pillow."""

from __future__ import annotations

import io
from fractions import Fraction

import numpy as np
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def landscape(width: int = 1600, height: int = 1000, seed: int = 0) -> Image.Image:
    """A mountain landscape: a sky gradient, a jagged ridge, a darker valley."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, height)[:, None]
    sky = np.stack([90 + 100 * y, 150 + 80 * y, 230 + 20 * y], axis=-1) * np.ones((1, width, 1))
    x = np.arange(width)
    ridge = height * (0.45 + 0.08 * np.sin(x / width * 9) + 0.05 * np.sin(x / width * 23))
    ridge += np.cumsum(rng.normal(0, 1.5, width))
    rows = np.arange(height)[:, None]
    rock = rows > ridge[None, :]
    pixels = sky.copy()
    shade = 60 + 60 * (rows / height)
    pixels[rock[..., None].repeat(3, axis=-1)] = 0
    pixels[..., 0] += rock * (shade * 0.9)
    pixels[..., 1] += rock * (shade * 1.0)
    pixels[..., 2] += rock * (shade * 0.8)
    noise = rng.normal(0, 6, (height, width, 1))
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "RGB")


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = (value - d - m / 60) * 3600
    return Fraction(d), Fraction(m), Fraction(s).limit_denominator(10_000)


def _rational(value: float) -> IFDRational:
    exact = Fraction(value).limit_denominator(1000)
    return IFDRational(exact.numerator, exact.denominator)


def jpeg_with_exif(
    image: Image.Image,
    *,
    lat: float | None = None,
    lon: float | None = None,
    alt: float | None = None,
    heading: float | None = None,
    heading_ref: str = "T",
    focal_35: int | None = None,
    focal: float | None = None,
    plane_x_res: float | None = None,
    orientation: int | None = None,
) -> bytes:
    """The image as JPEG bytes with the given EXIF tags."""
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    if lat is not None and lon is not None:
        gps[1] = "N" if lat >= 0 else "S"
        gps[2] = _dms(lat)
        gps[3] = "E" if lon >= 0 else "W"
        gps[4] = _dms(lon)
    if alt is not None:
        gps[5] = 0 if alt >= 0 else 1
        gps[6] = Fraction(abs(alt)).limit_denominator(100)
    if heading is not None:
        gps[16] = heading_ref
        gps[17] = Fraction(heading).limit_denominator(100)
    tags = exif.get_ifd(EXIF_IFD)
    if focal_35 is not None:
        tags[0xA405] = focal_35
    if focal is not None:
        tags[0x920A] = _rational(focal)
    if plane_x_res is not None:
        tags[0xA20E] = _rational(plane_x_res)
        tags[0xA210] = 4  # mm
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()
