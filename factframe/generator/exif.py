"""A photo's camera pose from its EXIF tags, read with Pillow.

Position: ``GPSLatitude``/``GPSLongitude`` (degrees, minutes, seconds) with their ``Ref``
(N/S, E/W), ``GPSAltitude`` with ``GPSAltitudeRef`` (1 = below sea level). Heading:
``GPSImgDirection`` (``GPSImgDirectionRef`` T = true north; M = magnetic, used as it is
and reported, since the local declination is not known here). Field of view, first found:

1. ``FocalLengthIn35mmFilm``: the 35 mm equivalent is defined on the frame's diagonal
   (43.27 mm), so the horizontal view is ``2·atan(43.27·W/√(W²+H²) / 2f)`` for a picture
   W × H as shown (36 mm wide for 3:2).
2. ``FocalLength`` and the sensor's width: from ``FocalPlaneXResolution`` /
   ``FocalPlaneResolutionUnit`` and the stored image width, or given by the caller.

The EXIF ``Orientation`` is applied first: a portrait photo shows the sensor's short side
across. Pitch and roll are not in standard EXIF; they are 0 (a level camera) unless given.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from factframe.errors import ImageError, SpecError
from factframe.spec_annotation import CameraPose

__all__ = ["ExifPose", "photo_size", "read_exif_pose"]

_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_ORIENTATION = 0x0112
_FOCAL_35 = 0xA405
_FOCAL = 0x920A
_PLANE_X_RES = 0xA20E
_PLANE_Y_RES = 0xA20F
_PLANE_UNIT = 0xA210
_EXIF_WIDTH, _EXIF_HEIGHT = 0xA002, 0xA003
_UNIT_MM = {2: 25.4, 3: 10.0, 4: 1.0, 5: 0.001}
_DIAGONAL_35 = math.hypot(36.0, 24.0)


@dataclass(frozen=True)
class ExifPose:
    """What a photo's EXIF says about the camera.

    Attributes:
        pose: the pose, or None when something it needs is missing.
        missing: what is missing (``GPS position``, ``GPSImgDirection``, ``focal length``).
        notes: how it was read (magnetic heading, field of view from which tags).
        size: the photo's size as shown (after the EXIF orientation).
    """

    pose: CameraPose | None
    missing: tuple[str, ...]
    notes: tuple[str, ...]
    size: tuple[int, int]


def _open(src: str | bytes | Path) -> Image.Image:
    try:
        return Image.open(io.BytesIO(src) if isinstance(src, bytes) else src)
    except FileNotFoundError:
        raise ImageError("photo not found", str(src), "photo") from None
    except (UnidentifiedImageError, OSError) as exc:
        label = f"<{len(src)} bytes>" if isinstance(src, bytes) else str(src)
        raise ImageError(f"not a photo Pillow can read ({exc})", label, "photo") from None


def photo_size(src: str | bytes | Path) -> tuple[int, int]:
    """The photo's (width, height) as shown, the EXIF orientation applied; not decoded."""
    with _open(src) as img:
        w, h = img.size
        return (h, w) if img.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8) else (w, h)


def _number(value: Any) -> float:
    return float(value)


def _degrees(dms: Any, ref: Any, negative: str) -> float:
    d, m, s = (_number(v) for v in dms)
    value = d + m / 60 + s / 3600
    return -value if str(ref).strip().upper() == negative else value


def read_exif_pose(src: str | bytes | Path, *, sensor_width_mm: float | None = None) -> ExifPose:
    """Reads the camera pose from a photo's EXIF.

    Args:
        src: the photo (path or bytes).
        sensor_width_mm: the sensor's width, for photos with ``FocalLength`` but neither a
            35 mm equivalent nor focal-plane resolution.

    Raises:
        ImageError: the photo is missing or unreadable.
    """
    with _open(src) as img:
        exif = img.getexif()
        gps = exif.get_ifd(_GPS_IFD)
        tags = exif.get_ifd(_EXIF_IFD)
        stored = img.size
    turned = exif.get(_ORIENTATION, 1) in (5, 6, 7, 8)
    width, height = (stored[1], stored[0]) if turned else stored
    missing: list[str] = []
    notes: list[str] = []
    fields: dict[str, float] = {}
    try:
        fields["lat"] = _degrees(gps[2], gps.get(1, "N"), "S")
        fields["lon"] = _degrees(gps[4], gps.get(3, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        missing.append("GPS position (GPSLatitude/GPSLongitude)")
    if 6 in gps:
        below = gps.get(5, 0) in (1, b"\x01")
        fields["alt"] = -_number(gps[6]) if below else _number(gps[6])
    else:
        missing.append("GPSAltitude")
    if 17 in gps:
        fields["heading"] = _number(gps[17]) % 360
        if str(gps.get(16, "T")).strip().upper() == "M":
            notes.append(
                "GPSImgDirection is magnetic (GPSImgDirectionRef M): used as true north, "
                "off by the local magnetic declination"
            )
    else:
        missing.append("GPSImgDirection (the compass heading)")
    hfov = _hfov(tags, stored, (width, height), turned, sensor_width_mm, notes)
    if hfov is None:
        missing.append("FocalLengthIn35mmFilm, or FocalLength with the sensor size")
    else:
        fields["hfov"] = hfov
    pose = None
    if not missing:
        try:
            pose = CameraPose(**fields)
        except ValueError as exc:
            raise SpecError(f"the photo's EXIF gives an impossible pose: {exc}", "photo") from None
    return ExifPose(pose, tuple(missing), tuple(notes), (width, height))


def _hfov(
    tags: dict[int, Any],
    stored: tuple[int, int],
    shown: tuple[int, int],
    turned: bool,
    sensor_width_mm: float | None,
    notes: list[str],
) -> float | None:
    w, h = shown
    f35 = tags.get(_FOCAL_35)
    if f35:
        across = _DIAGONAL_35 * w / math.hypot(w, h)
        notes.append(f"field of view from FocalLengthIn35mmFilm {int(f35)} mm")
        return math.degrees(2 * math.atan(across / (2 * float(f35))))
    focal = tags.get(_FOCAL)
    if not focal or float(focal) <= 0:
        return None
    sensor = sensor_width_mm
    if sensor is None:
        res_tag, size_tag, stored_side = (
            (_PLANE_Y_RES, _EXIF_HEIGHT, stored[1])
            if turned
            else (_PLANE_X_RES, _EXIF_WIDTH, stored[0])
        )
        res = tags.get(res_tag)
        unit = _UNIT_MM.get(int(tags.get(_PLANE_UNIT, 2)))
        if not res or float(res) <= 0 or unit is None:
            return None
        pixels = float(tags.get(size_tag) or stored_side)
        sensor = pixels / float(res) * unit
    notes.append(f"field of view from FocalLength {float(focal):g} mm on a {sensor:.2f} mm sensor")
    return math.degrees(2 * math.atan(sensor / (2 * float(focal))))
